import {
  copyFile,
  cp,
  lstat,
  mkdir,
  readlink,
  rename,
  rm,
  rmdir,
  symlink,
  unlink,
  utimes,
} from 'node:fs/promises';
import { DsmApiError } from '../dsm-error';
import { viewerOf } from '../file-station/context';
import { type DsmLocation, type FileRecord, isWithin } from '../file-station/dsm-path';
import { ApiError, FileError, FileFailure, toDsmError } from '../file-station/errors';
import { totalSize, walkTree } from '../file-station/tree';
import type { ParamReader } from '../params';
import type { SimulatorState } from '../state';
import type { ApiCall, ApiHandler } from './api-handler';
import { updateSearchResults } from './file-station-search';
import { stopTask, taskStatus } from './file-station-task-methods';

const API = 'SYNO.FileStation.CopyMove';

type Overwrite = 'overwrite' | 'skip' | 'ask';

interface Operation {
  /** `link` copies a symbolic link as a link: its target is never read. */
  readonly kind: 'mkdir' | 'copy' | 'link' | 'move' | 'rmdir';
  readonly from: FileRecord;
  readonly to: DsmLocation;
  /** The given path this belongs to. */
  readonly root: string;
  readonly size: number;
}

interface Job {
  readonly sim: SimulatorState;
  readonly move: boolean;
  readonly overwrite: Overwrite;
}

/** overwrite true / false / absent: replace, skip, or fail with 1003 on the first clash (guide, CopyMove). */
function readOverwrite(params: ParamReader): Overwrite {
  if (!params.has('overwrite') || params.text('overwrite') === '') return 'ask';
  return params.bool('overwrite', false) ? 'overwrite' : 'skip';
}

/**
 * Everything is checked before anything changes. Destination problems answer 1002, clashes without an
 * overwrite parameter 1003, a file against a folder 1004, source problems 1000 (copy) / 1001 (move), each
 * with `errors: [{code, path}]`.
 */
async function plan(job: Job, paths: readonly string[], destPath: string): Promise<Operation[]> {
  const { sim, move } = job;
  let dest: FileRecord;
  try {
    dest = await sim.files.findFolder(destPath);
    sim.files.assertWritable(dest.location);
  } catch (error) {
    throw toDsmError(error, ApiError.DestinationFailed, destPath);
  }
  const operations: Operation[] = [];
  for (const path of paths) {
    // A move takes a link itself; a copy follows one given by path, inside its shared folder only.
    const source = await sim.files.find(path, move ? 'link' : 'target');
    if (move && source.location.isShareRoot)
      throw new FileFailure(FileError.NotPermitted, source.location.path);
    if (move) sim.files.assertWritable(source.location);
    const target = sim.files.child(dest.location, source.location.name);
    if (target.path === source.location.path) {
      if (job.overwrite === 'ask') throw clash(ApiError.OverwriteNotGiven, target);
      continue;
    }
    if (source.stats.isDirectory() && isWithin(target.path, source.location.path)) {
      throw new FileFailure(FileError.InvalidParameter, source.location.path);
    }
    operations.push(...(await planItem(job, source, target, source.location.path)));
  }
  return operations;
}

async function planItem(
  job: Job,
  source: FileRecord,
  target: DsmLocation,
  root: string,
): Promise<Operation[]> {
  const { sim } = job;
  const existing = await lstat(target.fsPath).catch(() => undefined);
  if (!existing) {
    if (job.move) {
      const size = totalSize(await walkTree(sim.files, source));
      return [{ kind: 'move', from: source, to: target, root, size }];
    }
    const tree = await walkTree(sim.files, source);
    return tree.map((entry) => ({
      kind: entry.stats.isDirectory() ? 'mkdir' : fileKind(job, entry),
      from: entry,
      to: sim.files.locate(target.path + entry.location.path.slice(source.location.path.length)),
      root,
      size: entry.stats.isDirectory() ? 0 : entry.stats.size,
    }));
  }
  if (existing.isDirectory() !== source.stats.isDirectory()) throw clash(ApiError.FileFolderConflict, target);
  if (!existing.isDirectory()) {
    if (job.overwrite === 'ask') throw clash(ApiError.OverwriteNotGiven, target);
    if (job.overwrite === 'skip') return [];
    return [{ kind: fileKind(job, source), from: source, to: target, root, size: source.stats.size }];
  }
  // Two folders of the same name merge.
  const operations: Operation[] = [];
  for (const child of await sim.files.children(source.location)) {
    operations.push(...(await planItem(job, child, sim.files.child(target, child.location.name), root)));
  }
  if (job.move) operations.push({ kind: 'rmdir', from: source, to: target, root, size: 0 });
  return operations;
}

function fileKind(job: Job, source: FileRecord): Operation['kind'] {
  if (job.move) return 'move';
  return source.stats.isSymbolicLink() ? 'link' : 'copy';
}

function clash(code: number, target: DsmLocation): DsmApiError {
  return new DsmApiError(code, [{ code: FileError.Exists, path: target.path }]);
}

async function perform(operation: Operation): Promise<void> {
  const { from, to } = operation;
  switch (operation.kind) {
    case 'mkdir':
      await mkdir(to.fsPath, { recursive: true });
      return;
    case 'copy':
      // Replacing a link must not write into what it points to.
      await removeLink(to);
      await copyFile(from.location.fsPath, to.fsPath);
      await utimes(to.fsPath, from.stats.atime, from.stats.mtime);
      return;
    case 'link':
      await rm(to.fsPath, { force: true });
      await symlink(await readlink(from.location.fsPath), to.fsPath);
      return;
    case 'move':
      await rename(from.location.fsPath, to.fsPath).catch(async (error: NodeJS.ErrnoException) => {
        if (error.code !== 'EXDEV') throw error;
        await cp(from.location.fsPath, to.fsPath, { recursive: true, preserveTimestamps: true, force: true });
        await rm(from.location.fsPath, { recursive: true });
      });
      return;
    case 'rmdir':
      // Skipped files keep their source folder.
      await rmdir(from.location.fsPath).catch(() => undefined);
      return;
  }
}

async function removeLink(location: DsmLocation): Promise<void> {
  const existing = await lstat(location.fsPath).catch(() => undefined);
  if (existing?.isSymbolicLink()) await unlink(location.fsPath);
}

function start(call: ApiCall): { taskid: string } {
  const { params, sim } = call;
  const owner = viewerOf(call).user;
  const paths = params.requiredList('path');
  const destPath = params.requiredText('dest_folder_path');
  const move = params.bool('remove_src', false);
  const overwrite = readOverwrite(params);
  const accurate = params.bool('accurate_progress', true);
  const searchTaskId = params.text('search_taskid');
  const state = { path: paths[0], processingPath: paths[0], processed: 0, total: -1 };
  const summary = (): Record<string, unknown> => ({
    path: state.path,
    processed_size: state.processed,
    processing_path: state.processingPath,
    progress: state.total > 0 ? state.processed / state.total : state.total === 0 ? 1 : 0,
    total: state.total,
  });
  const startParams: Record<string, unknown> = {
    accurate_progress: accurate,
    dest_folder_path: destPath,
    path: paths,
    remove_src: move,
  };
  if (overwrite !== 'ask') startParams.overwrite = overwrite === 'overwrite';
  const task = sim.tasks.start(
    {
      api: API,
      version: call.version,
      owner,
      params: startParams,
      background: true,
      failureCode: move ? ApiError.MoveFailed : ApiError.CopyFailed,
      status: (self) => ({ dest_folder_path: destPath, finished: self.finished, ...summary() }),
      summary,
    },
    async (pacer) => {
      const operations = await plan({ sim, move, overwrite }, paths, destPath);
      state.total = operations.reduce((sum, operation) => sum + operation.size, 0);
      const top = move ? ApiError.MoveFailed : ApiError.CopyFailed;
      await pacer.each(operations, async (operation) => {
        state.path = operation.root;
        state.processingPath = operation.from.location.path;
        await perform(operation).catch((error: unknown) => {
          throw toDsmError(error, top, operation.from.location.path);
        });
        state.processed += operation.size;
      });
      if (move) {
        updateSearchResults(sim, owner, searchTaskId, (records) =>
          records.filter((record) => !paths.some((path) => isWithin(record.location.path, path))),
        );
      }
    },
  );
  return { taskid: task.id };
}

export const fileStationCopyMoveHandler: ApiHandler = {
  methods: { start, status: (call) => taskStatus(call, API), stop: (call) => stopTask(call, API) },
};
