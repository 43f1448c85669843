import { rmdir, unlink } from 'node:fs/promises';
import { viewerOf } from '../file-station/context';
import { isWithin } from '../file-station/dsm-path';
import { ApiError, FileError, FileFailure, toDsmError } from '../file-station/errors';
import { type TreeEntry, totalSize, walkTree } from '../file-station/tree';
import type { ParamReader } from '../params';
import type { SimulatorState } from '../state';
import type { ApiCall, ApiHandler } from './api-handler';
import { updateSearchResults } from './file-station-search';
import { stopTask, taskStatus } from './file-station-task-methods';

const API = 'SYNO.FileStation.Delete';

interface DeletePlan {
  /** Per given path, its tree children first (the order things are deleted in). */
  readonly roots: { readonly path: string; readonly entries: readonly TreeEntry[] }[];
  readonly foundDirs: number;
  readonly foundFiles: number;
  readonly foundSize: number;
}

interface DeleteProgress {
  path: string;
  processingPath: string;
  processed: number;
  total: number;
}

/**
 * Checks every path before anything is deleted: 408 missing, 407 a shared folder itself, 411 read-only,
 * 401 a non-empty folder with recursive=false. Failures are 900 with `errors: [{code, path}]`.
 */
async function plan(sim: SimulatorState, paths: readonly string[], recursive: boolean): Promise<DeletePlan> {
  const roots = [];
  for (const path of paths) {
    const record = await sim.files.find(path, 'link');
    if (record.location.isShareRoot) throw new FileFailure(FileError.NotPermitted, record.location.path);
    sim.files.assertWritable(record.location);
    const tree = await walkTree(sim.files, record);
    if (!recursive && tree.length > 1) throw new FileFailure(FileError.Unknown, record.location.path);
    roots.push({ path: record.location.path, entries: tree.reverse() });
  }
  const all = roots.flatMap((root) => root.entries);
  const foundDirs = all.filter((entry) => entry.stats.isDirectory()).length;
  return { roots, foundDirs, foundFiles: all.length - foundDirs, foundSize: totalSize(all) };
}

async function deleteEntry(entry: TreeEntry): Promise<void> {
  if (entry.stats.isDirectory()) await rmdir(entry.location.fsPath);
  else await unlink(entry.location.fsPath);
}

function readOptions(params: ParamReader): { paths: string[]; recursive: boolean; searchTaskId?: string } {
  return {
    paths: params.requiredList('path'),
    recursive: params.bool('recursive', true),
    searchTaskId: params.text('search_taskid'),
  };
}

function forgetInSearch(
  sim: SimulatorState,
  owner: string,
  taskid: string | undefined,
  paths: string[],
): void {
  updateSearchResults(sim, owner, taskid, (records) =>
    records.filter((record) => !paths.some((path) => isWithin(record.location.path, path))),
  );
}

/** Non-blocking delete; status reports counts while deleting one entry after another. */
function start(call: ApiCall): { taskid: string } {
  const { params, sim } = call;
  const owner = viewerOf(call).user;
  const { paths, recursive, searchTaskId } = readOptions(params);
  const accurate = params.bool('accurate_progress', true);
  let found: DeletePlan | undefined;
  const progress: DeleteProgress = { path: paths[0], processingPath: paths[0], processed: 0, total: -1 };
  const summary = (): Record<string, unknown> => ({
    path: progress.path,
    processed_num: progress.processed,
    processing_path: progress.processingPath,
    progress: progress.total > 0 ? progress.processed / progress.total : progress.total === 0 ? 1 : 0,
    total: progress.total,
  });
  const task = sim.tasks.start(
    {
      api: API,
      version: call.version,
      owner,
      params: { accurate_progress: accurate, path: paths, recursive },
      background: true,
      failureCode: ApiError.DeleteFailed,
      status: (self) => ({
        finished: self.finished,
        found_dir_num: found?.foundDirs ?? 0,
        found_file_num: found?.foundFiles ?? 0,
        found_file_size: found?.foundSize ?? 0,
        has_dir: (found?.foundDirs ?? 0) > 0,
        ...summary(),
      }),
      summary,
    },
    async (pacer) => {
      found = await plan(sim, paths, recursive);
      const steps = found.roots.flatMap((root) =>
        root.entries.map((entry, index) => ({ root, entry, index })),
      );
      progress.total = accurate ? steps.length : found.roots.length;
      const deleted: string[] = [];
      try {
        await pacer.each(steps, async ({ root, entry, index }) => {
          progress.path = root.path;
          progress.processingPath = entry.location.path;
          await deleteEntry(entry).catch((error: unknown) => {
            throw toDsmError(error, ApiError.DeleteFailed, entry.location.path);
          });
          const rootDone = index === root.entries.length - 1;
          if (rootDone) deleted.push(root.path);
          if (accurate || rootDone) progress.processed += 1;
        });
      } finally {
        forgetInSearch(sim, owner, searchTaskId, deleted);
      }
    },
  );
  return { taskid: task.id };
}

/** Blocking delete: answers once everything is gone. */
async function remove(call: ApiCall): Promise<undefined> {
  const { params, sim } = call;
  const { paths, recursive, searchTaskId } = readOptions(params);
  let deleted: string[];
  try {
    const found = await plan(sim, paths, recursive);
    for (const root of found.roots) for (const entry of root.entries) await deleteEntry(entry);
    deleted = found.roots.map((root) => root.path);
  } catch (error) {
    throw toDsmError(error, ApiError.DeleteFailed, paths[0]);
  }
  forgetInSearch(sim, viewerOf(call).user, searchTaskId, deleted);
  return undefined;
}

export const fileStationDeleteHandler: ApiHandler = {
  methods: {
    start,
    status: (call) => taskStatus(call, API),
    stop: (call) => stopTask(call, API),
    delete: remove,
  },
};
