import type { DsmClient } from '../../client';
import { DsmError, inputError } from '../../errors';
import { getInfo } from './listing';
import { runBackgroundTask, toPercent, type TaskOptions } from './background';
import { DEFAULT_ADDITIONAL, toFileEntry, type DsmFile, type FileEntry } from './entries';
import {
  checkTaskOptions,
  describeType,
  optionalBoolean,
  optionalChoice,
  optionalString,
  optionsObject,
} from './options';
import { explainDestination, namingArchive, namingMissing } from './path-errors';
import { checkDsmPath, checkDsmPaths, checkItemPath, checkName, parentPath } from './paths';

const FS = (name: string) => `SYNO.FileStation.${name}`;

export async function createFolder(
  client: DsmClient,
  path: string,
  given?: { createParents?: boolean; signal?: AbortSignal },
): Promise<FileEntry> {
  const target = checkItemPath('path', path);
  const options = optionsObject(given);
  const createParents = optionalBoolean('createParents', options.createParents);
  const data = await client.call<{ folders: DsmFile[] }>(
    FS('CreateFolder'),
    'create',
    {
      folder_path: [parentPath(target)],
      name: [target.slice(target.lastIndexOf('/') + 1)],
      force_parent: createParents ?? true,
      additional: DEFAULT_ADDITIONAL,
    },
    { signal: options.signal },
  );
  return toFileEntry(data.folders[0]);
}

export async function rename(
  client: DsmClient,
  path: string,
  newName: string,
  given?: { signal?: AbortSignal },
): Promise<FileEntry> {
  const source = checkItemPath('path', path);
  const name = checkName('name', newName);
  const options = optionsObject(given);
  const data = await client.call<{ files: DsmFile[] }>(
    FS('Rename'),
    'rename',
    { path: [source], name: [name], additional: DEFAULT_ADDITIONAL },
    { signal: options.signal },
  );
  return toFileEntry(data.files[0]);
}

export interface CopyOptions extends TaskOptions {
  /** true: replace existing files; false: skip them; undefined: fail when one exists (DSM error 1003). */
  overwrite?: boolean;
}

export interface CopyMoveStatus {
  finished?: boolean;
  progress?: number;
  processed_size?: number;
  total?: number;
  processing_path?: string;
  dest_folder_path?: string;
}

export async function copyOrMove(
  client: DsmClient,
  move: boolean,
  paths: string | string[],
  destFolder: string,
  given?: CopyOptions,
): Promise<CopyMoveStatus> {
  const sources = checkDsmPaths('path', paths).map((p, i) => checkItemPath(i ? `path[${i}]` : 'path', p));
  const dest = checkDsmPath('destination', destFolder);
  const options = optionsObject(given);
  checkTaskOptions(options);
  const overwrite = optionalBoolean('overwrite', options.overwrite);
  return explainDestination(
    dest,
    runBackgroundTask<CopyMoveStatus>(
      client,
      {
        api: FS('CopyMove'),
        phase: move ? 'move' : 'copy',
        startParams: { path: sources, dest_folder_path: dest, overwrite, remove_src: move },
        progressOf: (s) => ({
          done: Number(s.processed_size ?? 0),
          total: Math.max(0, Number(s.total ?? 0)),
          percent: toPercent(s.progress, s.finished),
          current: s.processing_path,
        }),
      },
      options,
    ),
  );
}

export interface DeleteStatus {
  finished?: boolean;
  progress?: number;
  processed_num?: number;
  total?: number;
  processing_path?: string;
}

/** Deletes in the background with progress (DSM's start/status), so that large trees do not hit a timeout. */
export async function deletePaths(
  client: DsmClient,
  paths: string | string[],
  given?: TaskOptions & { recursive?: boolean },
): Promise<DeleteStatus> {
  const targets = checkDsmPaths('path', paths).map((p, i) => checkItemPath(i ? `path[${i}]` : 'path', p));
  const options = optionsObject(given);
  checkTaskOptions(options);
  const recursive = optionalBoolean('recursive', options.recursive);
  return runBackgroundTask<DeleteStatus>(
    client,
    {
      api: FS('Delete'),
      phase: 'delete',
      startParams: { path: targets, recursive: recursive ?? true, accurate_progress: true },
      progressOf: (s) => ({
        done: Number(s.processed_num ?? 0),
        total: Math.max(0, Number(s.total ?? 0)),
        percent: toPercent(s.progress, s.finished),
        current: s.processing_path,
      }),
    },
    options,
  );
}

export async function md5(client: DsmClient, path: string, given?: TaskOptions): Promise<string> {
  const file = checkItemPath('path', path);
  const options = optionsObject(given);
  checkTaskOptions(options);
  const status = await namingMissing(
    file,
    runBackgroundTask<{ finished?: boolean; md5?: string }>(
      client,
      {
        api: FS('MD5'),
        phase: 'md5',
        startParams: { file_path: file },
        progressOf: (s) => ({ done: s.finished ? 1 : 0, total: 1, percent: s.finished ? 100 : 0 }),
      },
      options,
    ),
  );
  return String(status.md5 ?? '');
}

export interface DirSize {
  dirs: number;
  files: number;
  bytes: number;
}

export async function dirSize(
  client: DsmClient,
  paths: string | string[],
  given?: TaskOptions,
): Promise<DirSize> {
  const targets = checkDsmPaths('path', paths);
  const options = optionsObject(given);
  checkTaskOptions(options);
  const status = await namingMissing(
    targets,
    runBackgroundTask<{
      finished?: boolean;
      num_dir?: number;
      num_file?: number;
      total_size?: number;
    }>(
      client,
      {
        api: FS('DirSize'),
        phase: 'dirsize',
        startParams: { path: targets },
        progressOf: (s) => ({ done: Number(s.num_file ?? 0), total: 0, percent: s.finished ? 100 : 0 }),
      },
      options,
    ),
  );
  return {
    dirs: Number(status.num_dir ?? 0),
    files: Number(status.num_file ?? 0),
    bytes: Number(status.total_size ?? 0),
  };
}

export interface CompressOptions extends TaskOptions {
  level?: 'moderate' | 'store' | 'fastest' | 'best';
  password?: string;
}

export async function compress(
  client: DsmClient,
  paths: string | string[],
  destFile: string,
  given?: CompressOptions,
): Promise<{ path: string }> {
  const sources = checkDsmPaths('path', paths);
  const dest = checkItemPath('destination', destFile);
  if (!/\.zip$/i.test(dest)) throw inputError('destination', 'must end in .zip');
  const options = optionsObject(given);
  checkTaskOptions(options);
  const level = optionalChoice('level', options.level, ['moderate', 'store', 'fastest', 'best'] as const);
  const password = optionalString('password', options.password);
  await explainDestination(
    parentPath(dest),
    runBackgroundTask<{ finished?: boolean; progress?: number }>(
      client,
      {
        api: FS('Compress'),
        phase: 'compress',
        startParams: {
          path: sources,
          dest_file_path: dest,
          level,
          format: 'zip',
          password,
        },
        progressOf: (s) => ({ done: 0, total: 0, percent: toPercent(s.progress, s.finished) }),
      },
      options,
    ),
  );
  return { path: dest };
}

export interface ExtractOptions extends TaskOptions {
  /** true: replace existing files; false: keep them; undefined: fail before extracting if any exists. */
  overwrite?: boolean;
  keepDirs?: boolean;
  createSubfolder?: boolean;
  password?: string;
}

export async function extract(
  client: DsmClient,
  archive: string,
  destFolder: string,
  given?: ExtractOptions,
): Promise<{ path: string }> {
  const file = checkItemPath('path', archive);
  const dest = checkDsmPath('destination', destFolder);
  const options = optionsObject(given);
  checkTaskOptions(options);
  optionalBoolean('overwrite', options.overwrite);
  optionalBoolean('keepDirs', options.keepDirs);
  optionalBoolean('createSubfolder', options.createSubfolder);
  optionalString('password', options.password);
  // DSM's Extract only overwrites or skips; "fail if it exists" is checked here, before anything changes.
  if (options.overwrite === undefined) await refuseExisting(client, file, dest, options);
  await explainDestination(
    dest,
    namingArchive(
      file,
      runBackgroundTask<{ finished?: boolean; progress?: number }>(
        client,
        {
          api: FS('Extract'),
          phase: 'extract',
          startParams: {
            file_path: file,
            dest_folder_path: dest,
            overwrite: options.overwrite ?? false,
            keep_dir: options.keepDirs ?? true,
            create_subfolder: options.createSubfolder ?? false,
            password: options.password,
          },
          progressOf: (s) => ({ done: 0, total: 0, percent: toPercent(s.progress, s.finished) }),
        },
        options,
      ),
    ),
  );
  return { path: dest };
}

async function refuseExisting(client: DsmClient, archive: string, dest: string, options: ExtractOptions) {
  const items = await archiveItems(client, archive, { password: options.password, signal: options.signal });
  const targets = items
    .filter((item) => !item.is_dir)
    .map((item) => `${dest}/${options.keepDirs === false ? item.name : item.path}`);
  if (targets.length === 0) return;
  const existing = (await getInfo(client, targets, { signal: options.signal })).filter((e) => !e.code);
  if (existing.length > 0) {
    throw new DsmError({
      kind: 'dsm',
      code: 414,
      api: FS('Extract'),
      method: 'start',
      reason: `${existing.length} file(s) of the archive already exist in ${dest}, e.g. ${existing[0].path}; nothing was extracted`,
      hint: 'Choose to overwrite or to skip existing files.',
    });
  }
}

export interface ShareLink {
  id: string;
  url: string;
  path: string;
  name?: string;
  date_expired?: string;
  [key: string]: unknown;
}

export async function createShareLinks(
  client: DsmClient,
  paths: string | string[],
  given?: {
    password?: string;
    /** A Date, "YYYY-MM-DD" or ms since 1970. */
    expires?: Date | string | number;
    availableFrom?: Date | string | number;
    signal?: AbortSignal;
  },
): Promise<ShareLink[]> {
  const targets = checkDsmPaths('path', paths);
  const options = optionsObject(given);
  optionalString('password', options.password);
  const data = await namingMissing(
    targets,
    client.call<{ links: ShareLink[] }>(
      FS('Sharing'),
      'create',
      {
        path: targets,
        password: options.password,
        date_expired: dsmDate('expires', options.expires),
        date_available: dsmDate('availableFrom', options.availableFrom),
      },
      { signal: options.signal, post: true },
    ),
  );
  return data.links;
}

export async function listShareLinks(
  client: DsmClient,
  given?: { signal?: AbortSignal },
): Promise<ShareLink[]> {
  const options = optionsObject(given);
  const data = await client.call<{ links: ShareLink[] }>(
    FS('Sharing'),
    'list',
    { offset: 0, limit: 0 },
    options,
  );
  return data.links;
}

export async function deleteShareLinks(
  client: DsmClient,
  ids: string | string[],
  given?: { signal?: AbortSignal },
): Promise<void> {
  const options = optionsObject(given);
  const list = Array.isArray(ids) ? ids : [ids];
  if (list.length === 0 || list.some((id) => typeof id !== 'string' || !id))
    throw inputError('id', 'is empty');
  await client.call(FS('Sharing'), 'delete', { id: list }, options);
}

/** DSM's share-link dates are "YYYY-MM-DD". */
function dsmDate(field: string, value: unknown): string | undefined {
  if (value === undefined || value === '') return undefined;
  if (!(value instanceof Date) && typeof value !== 'string' && typeof value !== 'number')
    throw inputError(
      field,
      `must be a date (a Date, "YYYY-MM-DD" or ms since 1970), not ${describeType(value)}`,
    );
  const date = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(date.getTime())) throw inputError(field, `"${String(value)}" is not a date`);
  return date.toISOString().slice(0, 10);
}

export interface BackgroundTaskInfo {
  api: string;
  taskid: string;
  finished?: boolean;
  progress?: number;
  path?: string;
  processing_path?: string;
  [key: string]: unknown;
}

/** The File Station background tasks (copy, move, delete, compress, extract) DSM knows for this account. */
export async function backgroundTasks(
  client: DsmClient,
  given?: { signal?: AbortSignal },
): Promise<BackgroundTaskInfo[]> {
  const options = optionsObject(given);
  const data = await client.call<{ tasks: BackgroundTaskInfo[] }>(
    FS('BackgroundTask'),
    'list',
    // For this API 0 means all (File Station guide, BackgroundTask list).
    { offset: 0, limit: 0 },
    options,
  );
  return data.tasks;
}

export interface ArchiveItem {
  itemid: number;
  name: string;
  path: string;
  size: number;
  is_dir: boolean;
  [key: string]: unknown;
}

/** What an archive on the NAS contains, without extracting it. */
export async function archiveItems(
  client: DsmClient,
  archive: string,
  given?: { password?: string; signal?: AbortSignal },
): Promise<ArchiveItem[]> {
  const file = checkItemPath('path', archive);
  const options = optionsObject(given);
  optionalString('password', options.password);
  const data = await namingMissing(
    file,
    client.call<{ items: ArchiveItem[] }>(
      FS('Extract'),
      'list',
      { file_path: file, offset: 0, limit: -1, password: options.password },
      { signal: options.signal, post: true },
    ),
  );
  return data.items;
}
