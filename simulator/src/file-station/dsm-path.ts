import type { Stats } from 'node:fs';
import { lstat, readdir, realpath, stat } from 'node:fs/promises';
import { dirname, join, sep } from 'node:path';
import { FileError, FileFailure } from './errors';

/** Prefix of the temporary files uploads stream into; they never show up in File Station. */
export const UPLOAD_TEMP_PREFIX = '.synosim-upload-';

const MAX_NAME_BYTES = 255;

/** A DSM path (`/share/folder/file`) and where it lives in the data directory. */
export interface DsmLocation {
  /** Normalised DSM path: one leading slash, no empty segments. */
  readonly path: string;
  readonly share: string;
  readonly name: string;
  readonly fsPath: string;
  readonly isShareRoot: boolean;
}

/** A located file or folder that exists. */
export interface FileRecord {
  readonly location: DsmLocation;
  /** A symbolic link's own stats (lstat) unless it was followed: a link is an entry, never a folder to walk. */
  readonly stats: Stats;
}

/**
 * What a path ending in a symbolic link means: `target` follows the link (only to a real path inside the
 * same shared folder), `link` takes the link itself (getinfo, rename, move and delete act on the link).
 */
export type LinkMode = 'target' | 'link';

/** The shared folders of the data directory and the DSM paths inside them. */
export class FileSpace {
  private readonly readOnly: ReadonlySet<string>;
  private realDataDir: Promise<string> | undefined;

  constructor(
    readonly dataDir: string,
    readOnlyShares: readonly string[],
  ) {
    this.readOnly = new Set(readOnlyShares);
  }

  /** Parses a DSM path without touching the disk: 418 for a relative path or a `.`, `..` or NUL segment. */
  locate(dsmPath: string): DsmLocation {
    if (!dsmPath.startsWith('/') || dsmPath.includes('\0'))
      throw new FileFailure(FileError.IllegalPath, dsmPath);
    const segments = dsmPath.split('/').filter((segment) => segment !== '');
    if (segments.some((segment) => segment === '.' || segment === '..')) {
      throw new FileFailure(FileError.IllegalPath, dsmPath);
    }
    if (segments.length === 0 || segments[0].startsWith('.')) {
      throw new FileFailure(FileError.NoSuchFile, dsmPath);
    }
    return {
      path: `/${segments.join('/')}`,
      share: segments[0],
      name: segments[segments.length - 1],
      fsPath: join(this.dataDir, ...segments),
      isShareRoot: segments.length === 1,
    };
  }

  /** The location of `name` inside a folder, checking the name as DSM does (418, 412). */
  child(parent: DsmLocation, name: string): DsmLocation {
    const path = `${parent.path}/${name}`;
    checkName(name, path);
    return this.locate(path);
  }

  parent(location: DsmLocation): DsmLocation {
    return this.locate(location.path.slice(0, location.path.lastIndexOf('/')) || '/');
  }

  /**
   * The file or folder at a DSM path; 408 when it (or its shared folder) does not exist. Every folder on the
   * way must really be inside the shared folder, links resolved: 407 otherwise, as DSM refuses to follow a
   * link out of its shared folder.
   */
  async find(dsmPath: string, links: LinkMode = 'target'): Promise<FileRecord> {
    const location = this.locate(dsmPath);
    if (!(await this.shareExists(location.share))) throw new FileFailure(FileError.NoSuchFile, location.path);
    if (!location.isShareRoot) await this.assertInShare(dirname(location.fsPath), location, false);
    const own = await lstat(location.fsPath).catch(() => undefined);
    if (!own) throw new FileFailure(FileError.NoSuchFile, location.path);
    if (!own.isSymbolicLink() || links === 'link') return { location, stats: own };
    const real = await this.assertInShare(location.fsPath, location, false);
    return { location, stats: await stat(real) };
  }

  /** An existing folder; 408 when missing or not a folder. */
  async findFolder(dsmPath: string): Promise<FileRecord> {
    const record = await this.find(dsmPath);
    if (!record.stats.isDirectory()) throw new FileFailure(FileError.NoSuchFile, record.location.path);
    return record;
  }

  /**
   * Before creating or replacing something at a location: 408 without its shared folder, 407 when the
   * nearest existing folder on the way (links resolved) lies outside the shared folder.
   */
  async confineTarget(location: DsmLocation): Promise<void> {
    if (!(await this.shareExists(location.share))) throw new FileFailure(FileError.NoSuchFile, location.path);
    let folder = dirname(location.fsPath);
    while (!(await lstat(folder).catch(() => undefined))) folder = dirname(folder);
    await this.assertInShare(folder, location, true);
  }

  /** A share is a real folder of the data directory, never a link to somewhere else. */
  async shareExists(share: string): Promise<boolean> {
    if (share.startsWith('.')) return false;
    const stats = await lstat(join(this.dataDir, share)).catch(() => undefined);
    return stats?.isDirectory() ?? false;
  }

  /** The real path of fsPath, which must be inside the location's shared folder (407; 408 when missing). */
  private async assertInShare(fsPath: string, location: DsmLocation, dangling407: boolean): Promise<string> {
    const real = await realpath(fsPath).catch(() => undefined);
    if (real === undefined) {
      throw new FileFailure(dangling407 ? FileError.NotPermitted : FileError.NoSuchFile, location.path);
    }
    this.realDataDir ??= realpath(this.dataDir);
    const shareRoot = join(await this.realDataDir, location.share);
    if (real !== shareRoot && !real.startsWith(`${shareRoot}${sep}`)) {
      throw new FileFailure(FileError.NotPermitted, location.path);
    }
    return real;
  }

  async shareNames(): Promise<string[]> {
    const entries = await readdir(this.dataDir, { withFileTypes: true });
    return entries.filter((entry) => entry.isDirectory() && !entry.name.startsWith('.')).map((e) => e.name);
  }

  isReadOnly(location: DsmLocation): boolean {
    return this.readOnly.has(location.share);
  }

  /** 411 for anything inside a read-only shared folder. */
  assertWritable(location: DsmLocation): void {
    if (this.isReadOnly(location)) throw new FileFailure(FileError.ReadOnly, location.path);
  }

  /** The entries of a folder found with find(), links as themselves, temporary upload files left out. */
  async children(folder: DsmLocation): Promise<FileRecord[]> {
    const names = await readdir(folder.fsPath);
    const records: FileRecord[] = [];
    for (const name of names) {
      if (name.startsWith(UPLOAD_TEMP_PREFIX)) continue;
      const location = this.locate(`${folder.path}/${name}`);
      const stats = await lstat(location.fsPath).catch(() => undefined);
      if (stats) records.push({ location, stats });
    }
    return records;
  }

  /** The volume path DSM reports as real_path. */
  realPath(location: DsmLocation): string {
    return `/volume1${location.path}`;
  }
}

/**
 * A new file or folder name: 418 for an empty name, `.`, `..` or a name with `/`, NUL or `:` (the guide's
 * "Parsing Response" Example 2 answers 418 for the name ":"), 412 when longer than 255 bytes.
 */
export function checkName(name: string, path: string): void {
  if (name === '' || name === '.' || name === '..' || /[/:\0]/.test(name)) {
    throw new FileFailure(FileError.IllegalPath, path);
  }
  if (Buffer.byteLength(name) > MAX_NAME_BYTES) throw new FileFailure(FileError.NameTooLong, path);
}

/** Whether `path` is `ancestor` or inside it (DSM paths). */
export function isWithin(path: string, ancestor: string): boolean {
  return path === ancestor || path.startsWith(`${ancestor}/`);
}
