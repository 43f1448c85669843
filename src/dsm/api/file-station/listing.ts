import type { DsmClient } from '../../client';
import { DsmError } from '../../errors';
import { pollUntilFinished, throwIfAborted, withStartedTask, type TaskOptions } from './background';
import { DEFAULT_ADDITIONAL, toFileEntry, type DsmFile, type FileEntry } from './entries';
import {
  checkTaskOptions,
  optionalBoolean,
  optionalChoice,
  optionalNumber,
  optionalPatterns,
  optionalStringList,
  optionalWholeNumber,
  optionsObject,
} from './options';
import { checkDsmPath, checkDsmPaths } from './paths';

const LIST = 'SYNO.FileStation.List';
const SEARCH = 'SYNO.FileStation.Search';
const PAGE = 1000;

export interface ShareEntry extends FileEntry {
  isdir: true;
}

export interface ListOptions {
  /** Glob patterns, e.g. `*.jpg` or `["*.jpg", "*.png"]`; matched by DSM on names. */
  pattern?: string | string[];
  filetype?: 'file' | 'dir' | 'all';
  sortBy?: 'name' | 'size' | 'user' | 'group' | 'mtime' | 'atime' | 'ctime' | 'crtime' | 'posix' | 'type';
  sortDirection?: 'asc' | 'desc';
  /** Stop after this many entries (default: every page to the end). */
  limit?: number;
  offset?: number;
  additional?: string[];
  /** Entries asked for per request (default 1000). */
  pageSize?: number;
  signal?: AbortSignal;
}

export interface SearchOptions extends TaskOptions {
  pattern?: string | string[];
  /** File extensions without dot, e.g. `["jpg","png"]`. */
  extension?: string | string[];
  filetype?: 'file' | 'dir' | 'all';
  recursive?: boolean;
  sizeFrom?: number;
  sizeTo?: number;
  /** ms since 1970 (DSM wants seconds; converted). */
  mtimeFrom?: number;
  mtimeTo?: number;
  limit?: number;
  additional?: string[];
  /** Results asked for per request (default 1000). */
  pageSize?: number;
}

const FILETYPES = ['file', 'dir', 'all'] as const;
const SORT_BY = [
  'name',
  'size',
  'user',
  'group',
  'mtime',
  'atime',
  'ctime',
  'crtime',
  'posix',
  'type',
] as const;
const SORT_DIRECTIONS = ['asc', 'desc'] as const;

/** The list options, checked: what each page request needs. */
function checkListOptions(given: ListOptions | undefined) {
  const options = optionsObject(given);
  const limit = optionalWholeNumber('limit', options.limit);
  return {
    want: limit === undefined || limit === 0 ? Infinity : limit,
    offset: optionalWholeNumber('offset', options.offset) ?? 0,
    pageSize: optionalWholeNumber('pageSize', options.pageSize, 1),
    pattern: optionalPatterns('pattern', options.pattern),
    filetype: optionalChoice('filetype', options.filetype, FILETYPES),
    sortBy: optionalChoice('sortBy', options.sortBy, SORT_BY),
    sortDirection: optionalChoice('sortDirection', options.sortDirection, SORT_DIRECTIONS),
    additional: optionalStringList('additional', options.additional),
    signal: options.signal,
  };
}

function checkSearchOptions(given: SearchOptions | undefined) {
  const options = optionsObject(given);
  checkTaskOptions(options);
  const limit = optionalWholeNumber('limit', options.limit);
  const mtimeFrom = optionalNumber('mtimeFrom', options.mtimeFrom);
  const mtimeTo = optionalNumber('mtimeTo', options.mtimeTo);
  return {
    want: limit === undefined || limit === 0 ? Infinity : limit,
    pageSize: optionalWholeNumber('pageSize', options.pageSize, 1),
    additional: optionalStringList('additional', options.additional),
    startParams: {
      recursive: optionalBoolean('recursive', options.recursive) ?? true,
      pattern: optionalPatterns('pattern', options.pattern),
      extension: optionalPatterns('extension', options.extension),
      filetype: optionalChoice('filetype', options.filetype, FILETYPES),
      size_from: optionalWholeNumber('sizeFrom', options.sizeFrom),
      size_to: optionalWholeNumber('sizeTo', options.sizeTo),
      mtime_from: mtimeFrom === undefined ? undefined : Math.floor(mtimeFrom / 1000),
      mtime_to: mtimeTo === undefined ? undefined : Math.ceil(mtimeTo / 1000),
    },
  };
}

/** Reads every page of a paged DSM list (offset/limit) until `total` or `limit` entries are in. */
async function allPages<T>(
  want: number,
  startOffset: number,
  fetchPage: (offset: number, limit: number) => Promise<{ items: T[]; total: number }>,
  signal?: AbortSignal,
  pageSize = PAGE,
): Promise<T[]> {
  const items: T[] = [];
  let offset = startOffset;
  for (;;) {
    throwIfAborted(signal, LIST);
    const size = Math.min(pageSize, want - items.length);
    const page = await fetchPage(offset, size);
    items.push(...page.items);
    offset += page.items.length;
    if (page.items.length === 0 || offset >= page.total || items.length >= want) return items.slice(0, want);
  }
}

export async function listShares(client: DsmClient, given?: ListOptions): Promise<ShareEntry[]> {
  const options = checkListOptions(given);
  return allPages(
    options.want,
    options.offset,
    async (offset, limit) => {
      const data = await client.call<{ shares: DsmFile[]; total: number }>(
        LIST,
        'list_share',
        {
          offset,
          limit,
          sort_by: options.sortBy,
          sort_direction: options.sortDirection,
          additional: options.additional ?? ['real_path', 'owner', 'time', 'perm'],
        },
        { signal: options.signal },
      );
      return { items: data.shares.map((s) => toFileEntry(s) as ShareEntry), total: data.total };
    },
    options.signal,
    options.pageSize,
  );
}

export async function listFolder(
  client: DsmClient,
  folderPath: string,
  given?: ListOptions,
): Promise<FileEntry[]> {
  const folder = checkDsmPath('path', folderPath);
  const options = checkListOptions(given);
  return whyNotListed(
    client,
    folder,
    options.signal,
    allPages(
      options.want,
      options.offset,
      async (offset, limit) => {
        const data = await client.call<{ files: DsmFile[]; total: number }>(
          LIST,
          'list',
          {
            folder_path: folder,
            offset,
            limit,
            sort_by: options.sortBy,
            sort_direction: options.sortDirection,
            pattern: options.pattern,
            filetype: options.filetype,
            additional: options.additional ?? DEFAULT_ADDITIONAL,
          },
          { signal: options.signal },
        );
        return { items: data.files.map(toFileEntry), total: data.total };
      },
      options.signal,
      options.pageSize,
    ),
  );
}

/**
 * DSM answers 408 both for a missing folder and for a file given as the folder: one getinfo after the failure
 * tells which, so the error can say "is a file, not a folder".
 */
async function whyNotListed<T>(
  client: DsmClient,
  folder: string,
  signal: AbortSignal | undefined,
  listing: Promise<T>,
): Promise<T> {
  try {
    return await listing;
  } catch (err) {
    if (!(err instanceof DsmError) || err.kind !== 'dsm' || err.code !== 408) throw err;
    const [entry] = await getInfo(client, folder, { signal }).catch(() => [] as FileEntry[]);
    if (entry?.exists && !entry.isdir)
      throw err.rephrased({
        reason: `${folder} is a file, not a folder`,
        hint: 'Give the folder that holds it, or read the file itself with getInfo.',
      });
    throw entry?.exists ? err : err.rephrased({ reason: `${folder} does not exist` });
  }
}

export async function getInfo(
  client: DsmClient,
  paths: string | string[],
  given?: { signal?: AbortSignal },
): Promise<FileEntry[]> {
  const options = optionsObject(given);
  const list = checkDsmPaths('path', paths);
  const data = await client.call<{ files: DsmFile[] }>(
    LIST,
    'getinfo',
    { path: list, additional: DEFAULT_ADDITIONAL },
    { signal: options.signal },
  );
  return data.files.map((file) => {
    const entry = toFileEntry(file);
    return { ...entry, exists: !entry.code };
  });
}

/**
 * Runs a File Station search to the end and returns every result (all pages). The DSM search task is stopped
 * and cleaned afterwards, also on abort.
 */
export async function search(
  client: DsmClient,
  folderPaths: string | string[],
  given?: SearchOptions,
): Promise<FileEntry[]> {
  const folders = checkDsmPaths('path', folderPaths);
  const checked = checkSearchOptions(given);
  const options = optionsObject(given);
  const want = checked.want;
  const startParams = { folder_path: folders, ...checked.startParams };
  return client.track(
    withStartedTask(client, SEARCH, startParams, options, async (taskid) => {
      try {
        await runSearchUntilFinished(client, taskid, options);
        return await allPages(
          want,
          0,
          async (offset, limit) => {
            const data = await client.call<{ files: DsmFile[]; total: number }>(
              SEARCH,
              'list',
              { taskid, offset, limit, additional: checked.additional ?? DEFAULT_ADDITIONAL },
              { signal: options.signal },
            );
            return { items: data.files.map(toFileEntry), total: data.total };
          },
          options.signal,
          checked.pageSize,
        );
      } finally {
        await client.call(SEARCH, 'stop', { taskid }, { timeoutMs: 10_000 }).catch(() => undefined);
        await client.call(SEARCH, 'clean', { taskid }, { timeoutMs: 10_000 }).catch(() => undefined);
      }
    }),
  );
}

function runSearchUntilFinished(client: DsmClient, taskid: string, options: SearchOptions) {
  // Search has no status method: its list answer says whether it finished.
  return pollUntilFinished<{ finished?: boolean; total?: number }>(
    {
      api: SEARCH,
      phase: 'search',
      progressOf: (s) => ({ done: s.total ?? 0, total: 0, percent: s.finished ? 100 : 0 }),
    },
    () => client.call(SEARCH, 'list', { taskid, offset: 0, limit: 1 }, { signal: options.signal }),
    options,
  );
}
