import { randomBytes } from 'node:crypto';
import { lstat, mkdir, rename, utimes } from 'node:fs/promises';
import { dirname, extname, join } from 'node:path';
import { CommonError, DsmApiError } from '../dsm-error';
import {
  type ArchiveItem,
  archiveItems,
  formatArchiveTime,
  isUnsafeArchivePath,
} from '../file-station/archive-items';
import { viewerOf } from '../file-station/context';
import { type DsmLocation, UPLOAD_TEMP_PREFIX } from '../file-station/dsm-path';
import { ApiError, FileError, FileFailure, toDsmError } from '../file-station/errors';
import { pageOf, readDirection } from '../file-station/listing';
import { createFileSink } from '../file-station/zip-io';
import {
  extractEntry,
  openZipArchive,
  verifyPassword,
  type ZipArchive,
  type ZipEntry,
} from '../file-station/zip-reader';
import type { ParamReader } from '../params';
import type { SimulatorState } from '../state';
import type { ApiCall, ApiHandler } from './api-handler';
import { stopTask, taskStatus } from './file-station-task-methods';
import { progressCounter } from '../file-station/tasks';

const API = 'SYNO.FileStation.Extract';

interface Extraction {
  readonly item: ArchiveItem;
  readonly target: DsmLocation;
}

const SORT_KEYS: Record<string, (a: ArchiveItem, b: ArchiveItem) => number> = {
  name: (a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0),
  size: (a, b) => a.size - b.size,
  pack_size: (a, b) => a.packSize - b.packSize,
  mtime: (a, b) => a.mtime.getTime() - b.mtime.getTime(),
};

/** Only zip archives are read: anything else is 1401. The codepage parameter is ignored (UTF-8 names). */
async function list(call: ApiCall): Promise<Record<string, unknown>> {
  const { params, sim } = call;
  const filePath = params.requiredText('file_path');
  const offset = params.int('offset', 0);
  const limit = params.int('limit', -1);
  const compare = SORT_KEYS[params.text('sort_by') || 'name'];
  if (!compare) throw new DsmApiError(CommonError.InvalidParameter);
  const direction = readDirection(params);
  let archive: DsmLocation;
  try {
    archive = (await sim.files.find(filePath)).location;
  } catch (error) {
    throw toDsmError(error, undefined, filePath);
  }
  const zip = await openZipArchive(archive.fsPath);
  let items: ArchiveItem[];
  try {
    items = archiveItems(zip.entries);
    const password = params.text('password');
    const encrypted = smallestEncrypted(items);
    if (password && encrypted) await verifyPassword(encrypted, password);
  } finally {
    await zip.close();
  }
  const itemId = params.int('item_id', -1);
  let parent = '';
  if (itemId !== -1) {
    const folder = items.find((item) => item.itemid === itemId);
    if (!folder) throw new DsmApiError(ApiError.NoSuchArchiveItem);
    parent = folder.path;
  }
  const children = items
    .filter((item) => item.parent === parent)
    .sort((a, b) => direction * (compare(a, b) || SORT_KEYS.name(a, b)));
  return {
    items: pageOf(children, offset, limit, -1).map((item) => ({
      is_dir: item.isDir,
      itemid: item.itemid,
      mtime: formatArchiveTime(item.mtime),
      name: item.name,
      pack_size: item.packSize,
      path: item.path,
      size: item.size,
    })),
    total: children.length,
  };
}

interface ExtractJob {
  readonly sim: SimulatorState;
  readonly filePath: string;
  readonly destPath: string;
  readonly overwrite: boolean;
  readonly keepDir: boolean;
  readonly createSubfolder: boolean;
  readonly password: string | undefined;
  readonly itemIds: number[] | undefined;
}

/**
 * Checks before extracting: 1400 with `errors: [{code, path}]` for a missing archive or destination (408),
 * a read-only destination (411) or an entry escaping the destination (418); 1401 not a zip, 1405 unknown
 * item id, 1403 wrong or missing password.
 */
async function plan(job: ExtractJob, archive: DsmLocation, zip: ZipArchive): Promise<Extraction[]> {
  const space = job.sim.files;
  const items = archiveItems(zip.entries);
  let dest = (await space.findFolder(job.destPath)).location;
  space.assertWritable(dest);
  if (job.createSubfolder)
    dest = space.child(
      dest,
      archive.name.slice(0, archive.name.length - extname(archive.name).length) || archive.name,
    );
  const selected = selectItems(items, job.itemIds);
  const extractions: Extraction[] = [];
  for (const item of selected) {
    if (isUnsafeArchivePath(item.path))
      throw new FileFailure(FileError.IllegalPath, `${dest.path}/${item.path}`);
    if (!job.keepDir && item.isDir) continue;
    const relative = job.keepDir ? item.path : item.name;
    extractions.push({ item, target: space.locate(`${dest.path}/${relative}`) });
  }
  const encrypted = smallestEncrypted(selected);
  if (encrypted) await verifyPassword(encrypted, job.password);
  return extractions;
}

/** The password is checked on the smallest encrypted file: ZipCrypto's check reads it whole. */
function smallestEncrypted(items: readonly ArchiveItem[]): ZipEntry | undefined {
  const encrypted = items.filter((item) => item.entry?.encrypted && !item.isDir);
  return encrypted.sort((a, b) => a.packSize - b.packSize)[0]?.entry;
}

/** The items to extract: all, or the given ids with everything inside the given folders. */
function selectItems(items: ArchiveItem[], itemIds: number[] | undefined): ArchiveItem[] {
  const sorted = [...items].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  if (!itemIds) return sorted;
  const roots = itemIds.map((id) => {
    const item = items.find((candidate) => candidate.itemid === id);
    if (!item) throw new DsmApiError(ApiError.NoSuchArchiveItem);
    return item;
  });
  return sorted.filter((item) =>
    roots.some((root) => item.path === root.path || (root.isDir && item.path.startsWith(`${root.path}/`))),
  );
}

/**
 * Existing files are skipped unless overwrite; a folder is never replaced by a file. A link in the way is an
 * existing file: never written through, replaced only with overwrite.
 */
async function extractOne(job: ExtractJob, { item, target }: Extraction): Promise<void> {
  // Earlier items may have created folders: check the way to each target when it is written.
  await job.sim.files.confineTarget(target);
  const existing = await lstat(target.fsPath).catch(() => undefined);
  if (item.isDir) {
    if (!existing) await mkdir(target.fsPath, { recursive: true });
    return;
  }
  if (existing && (existing.isDirectory() || !job.overwrite)) return;
  await mkdir(dirname(target.fsPath), { recursive: true });
  if (!item.entry || item.entry.directory) return;
  const temp = join(dirname(target.fsPath), `${UPLOAD_TEMP_PREFIX}${randomBytes(6).toString('hex')}`);
  const sink = createFileSink(temp);
  try {
    await extractEntry(item.entry, job.password, sink.writable);
    await rename(temp, target.fsPath);
  } catch (error) {
    await sink.discard();
    throw error;
  }
  await utimes(target.fsPath, item.mtime, item.mtime);
}

function readItemIds(params: ParamReader): number[] | undefined {
  const ids = params.list('item_id');
  if (!ids) return undefined;
  const numbers = ids.map(Number);
  if (numbers.some((id) => !Number.isInteger(id))) throw new DsmApiError(CommonError.InvalidParameter);
  return numbers.includes(-1) ? undefined : numbers;
}

function start(call: ApiCall): { taskid: string } {
  const { params, sim } = call;
  const job: ExtractJob = {
    sim,
    filePath: params.requiredText('file_path'),
    destPath: params.requiredText('dest_folder_path'),
    overwrite: params.bool('overwrite', false),
    keepDir: params.bool('keep_dir', true),
    createSubfolder: params.bool('create_subfolder', false),
    password: params.text('password'),
    itemIds: readItemIds(params),
  };
  const { state, progress } = progressCounter();
  const task = sim.tasks.start(
    {
      api: API,
      version: call.version,
      owner: viewerOf(call).user,
      params: {
        create_subfolder: job.createSubfolder,
        dest_folder_path: job.destPath,
        file_path: [job.filePath],
        keep_dir: job.keepDir,
        overwrite: job.overwrite,
      },
      background: true,
      failureCode: ApiError.ExtractFailed,
      status: (self) => ({ dest_folder_path: job.destPath, finished: self.finished, progress: progress() }),
      summary: () => ({ progress: progress(), total: -1 }),
    },
    async (pacer) => {
      const archive = (await sim.files.find(job.filePath)).location;
      const zip = await openZipArchive(archive.fsPath);
      try {
        const extractions = await plan(job, archive, zip);
        state.total = extractions.reduce((sum, { item }) => sum + item.size + 1, 0);
        await pacer.each(extractions, async (extraction) => {
          await extractOne(job, extraction).catch((error: unknown) => {
            throw toDsmError(error, ApiError.ExtractFailed, extraction.target.path);
          });
          state.processed += extraction.item.size + 1;
        });
      } finally {
        await zip.close();
      }
    },
  );
  return { taskid: task.id };
}

export const fileStationExtractHandler: ApiHandler = {
  methods: { start, status: (call) => taskStatus(call, API), stop: (call) => stopTask(call, API), list },
};
