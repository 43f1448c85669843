import { type Dirent, lstatSync, readdirSync, realpathSync } from 'node:fs';
import { join } from 'node:path';
import type { FileSpace } from '../file-station/dsm-path';
import { UPLOAD_TEMP_PREFIX } from '../file-station/dsm-path';

/** A file of a sync folder, as a Cloud Sync pass sees it. */
export interface LocalFile {
  /** DSM path (`/home/sub/a.txt`): what get_log and get_recently_change report as `path`. */
  readonly path: string;
  /** Path below the sync folder (`/sub/a.txt`): what selective sync's filtered_paths name. */
  readonly relativePath: string;
  readonly name: string;
  readonly size: number;
  readonly mtimeMs: number;
}

const MAX_DEPTH = 8;
const MAX_FILES = 1000;

/**
 * The files under a sync folder of the data directory, read synchronously (sync passes run inside clock
 * updates). Nothing outside the shared folder is read: every folder on the way must be a real folder (no
 * symbolic link), links inside are skipped, and so are hidden names (`.x`, DSM's `@eaDir`) and upload temp
 * files. A folder that is missing or not confined yields no files.
 */
export function scanSyncFolder(files: FileSpace, dsmPath: string): LocalFile[] {
  const root = confinedFolder(files, dsmPath);
  if (root === undefined) return [];
  const found: LocalFile[] = [];
  walk(root.fsPath, root.path, '', 0, found);
  return found;
}

function confinedFolder(files: FileSpace, dsmPath: string): { fsPath: string; path: string } | undefined {
  let location;
  try {
    location = files.locate(dsmPath);
  } catch {
    return undefined;
  }
  let fsPath = files.dataDir;
  for (const segment of location.path.split('/').filter(Boolean)) {
    fsPath = join(fsPath, segment);
    const stats = lstatSync(fsPath, { throwIfNoEntry: false });
    if (!stats?.isDirectory()) return undefined;
  }
  try {
    if (
      realpathSync(fsPath) !== join(realpathSync(files.dataDir), ...location.path.split('/').filter(Boolean))
    ) {
      return undefined;
    }
  } catch {
    return undefined;
  }
  return { fsPath, path: location.path };
}

function walk(fsPath: string, dsmPath: string, relative: string, depth: number, found: LocalFile[]): void {
  let entries: Dirent[];
  try {
    entries = readdirSync(fsPath, { withFileTypes: true });
  } catch {
    return;
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    if (found.length >= MAX_FILES) return;
    if (isHidden(entry.name) || entry.isSymbolicLink()) continue;
    const childFs = join(fsPath, entry.name);
    const childDsm = `${dsmPath}/${entry.name}`;
    const childRelative = `${relative}/${entry.name}`;
    if (entry.isDirectory()) {
      if (depth < MAX_DEPTH) walk(childFs, childDsm, childRelative, depth + 1, found);
    } else if (entry.isFile()) {
      const stats = lstatSync(childFs, { throwIfNoEntry: false });
      if (!stats?.isFile()) continue;
      found.push({
        path: childDsm,
        relativePath: childRelative,
        name: entry.name,
        size: stats.size,
        mtimeMs: stats.mtimeMs,
      });
    }
  }
}

function isHidden(name: string): boolean {
  return name.startsWith('.') || name.startsWith('@') || name.startsWith(UPLOAD_TEMP_PREFIX);
}
