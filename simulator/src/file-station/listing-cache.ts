import type { Stats } from 'node:fs';
import { lstat } from 'node:fs/promises';
import type { FileRecord } from './dsm-path';

/** A folder's sorted, filtered listing and the folder state it was read from. */
interface CachedListing {
  readonly folder: FolderState;
  readonly builtAt: number;
  /** The folder changed too close to the read for its timestamps to tell a later change apart. */
  readonly racy: boolean;
  readonly records: readonly FileRecord[];
}

interface FolderState {
  readonly dev: number;
  readonly ino: number;
  readonly mtimeMs: number;
  readonly ctimeMs: number;
}

/** How long a listing may serve the next pages of a paging client. */
const TTL_MS = 30_000;
/**
 * Folder timestamps are as coarse as the file system (ext4 and tmpfs: a kernel tick, ext3 and HFS+: 1 s, FAT: 2 s):
 * a change within that time of the read may leave the folder's mtime as it was. A listing read that close to a
 * change is "racy" (as git calls its index entries): it serves only the following pages of the same paging, never
 * a new listing, which reads the folder again.
 */
const RACY_MS = 2_000;
const MAX_LISTINGS = 16;

/**
 * The sorted listings of recently listed folders, so that paging through a folder of n entries reads and sorts it
 * once instead of once per page (n/limit times). A listing is used while its folder's mtime, ctime and inode are
 * unchanged (entries added, removed or renamed change them); the entries of a page are read again from the disk,
 * so sizes and times are current, and an entry gone since is left out.
 */
export class ListingCache {
  private readonly listings = new Map<string, CachedListing>();

  constructor(private readonly now: () => number = Date.now) {}

  /**
   * The listing of `folder` with `key` (what else shapes it: sort, filters), from the cache when still good, else
   * from `read` (which reads and sorts it whole). `continuing`: the request asks for a later page of a paging
   * (offset > 0). `cached` says the records came from the cache: their stats are then to be read again (fresh()).
   */
  async listing(
    folder: FileRecord,
    key: string,
    continuing: boolean,
    read: () => Promise<FileRecord[]>,
  ): Promise<{ records: readonly FileRecord[]; cached: boolean }> {
    const cacheKey = `${folder.location.fsPath}\0${key}`;
    const state = folderState(folder.stats);
    const cached = this.listings.get(cacheKey);
    if (
      cached &&
      sameFolder(cached.folder, state) &&
      this.now() - cached.builtAt < TTL_MS &&
      // A new listing never trusts a racy read; the next pages of one may.
      (!cached.racy || continuing)
    ) {
      return { records: cached.records, cached: true };
    }
    const builtAt = this.now();
    const records = await read();
    const racy = builtAt - Math.max(state.mtimeMs, state.ctimeMs) < RACY_MS;
    this.remember(cacheKey, { folder: state, builtAt, racy, records });
    return { records, cached: false };
  }

  private remember(key: string, listing: CachedListing): void {
    this.listings.delete(key);
    this.listings.set(key, listing);
    for (const [oldest] of this.listings) {
      if (this.listings.size <= MAX_LISTINGS) break;
      this.listings.delete(oldest);
    }
  }
}

function folderState(stats: Stats): FolderState {
  return { dev: stats.dev, ino: stats.ino, mtimeMs: stats.mtimeMs, ctimeMs: stats.ctimeMs };
}

function sameFolder(a: FolderState, b: FolderState): boolean {
  return a.dev === b.dev && a.ino === b.ino && a.mtimeMs === b.mtimeMs && a.ctimeMs === b.ctimeMs;
}

/** The records with their stats read again; records whose entry is gone are left out. */
export async function fresh(records: readonly FileRecord[]): Promise<FileRecord[]> {
  const read = await Promise.all(
    records.map(async (record) => {
      const stats = await lstat(record.location.fsPath).catch(() => undefined);
      return stats && { location: record.location, stats };
    }),
  );
  return read.filter((record): record is FileRecord => record !== undefined);
}
