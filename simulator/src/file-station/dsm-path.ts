import type { Stats } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
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
  readonly stats: Stats;
}

/** The shared folders of the data directory and the DSM paths inside them. */
export class FileSpace {
  private readonly readOnly: ReadonlySet<string>;

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

  /** The file or folder at a DSM path; 408 when it (or its shared folder) does not exist. */
  async find(dsmPath: string): Promise<FileRecord> {
    const location = this.locate(dsmPath);
    const stats = await this.statOf(location);
    if (!stats) throw new FileFailure(FileError.NoSuchFile, location.path);
    return { location, stats };
  }

  /** An existing folder; 408 when missing or not a folder. */
  async findFolder(dsmPath: string): Promise<FileRecord> {
    const record = await this.find(dsmPath);
    if (!record.stats.isDirectory()) throw new FileFailure(FileError.NoSuchFile, record.location.path);
    return record;
  }

  /** Stats of a location, undefined when it is missing or its shared folder does not exist. */
  async statOf(location: DsmLocation): Promise<Stats | undefined> {
    if (!(await this.shareExists(location.share))) return undefined;
    return stat(location.fsPath).catch(() => undefined);
  }

  async shareExists(share: string): Promise<boolean> {
    if (share.startsWith('.')) return false;
    const stats = await stat(join(this.dataDir, share)).catch(() => undefined);
    return stats?.isDirectory() ?? false;
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

  /** The folder's entries as records, temporary upload files left out. */
  async children(folder: DsmLocation): Promise<FileRecord[]> {
    const names = await readdir(folder.fsPath);
    const records: FileRecord[] = [];
    for (const name of names) {
      if (name.startsWith(UPLOAD_TEMP_PREFIX)) continue;
      const location = this.locate(`${folder.path}/${name}`);
      const stats = await stat(location.fsPath).catch(() => undefined);
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
