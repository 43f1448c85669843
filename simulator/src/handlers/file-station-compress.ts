import { randomBytes } from 'node:crypto';
import { lstat, rename } from 'node:fs/promises';
import { join } from 'node:path';
import { CommonError, DsmApiError } from '../dsm-error';
import { viewerOf } from '../file-station/context';
import { type DsmLocation, UPLOAD_TEMP_PREFIX } from '../file-station/dsm-path';
import { ApiError, FileError, FileFailure, toDsmError } from '../file-station/errors';
import { type TreeEntry, walkTree } from '../file-station/tree';
import { createFileSink } from '../file-station/zip-io';
import { entryPath, readZipEntries, type ZipEntry } from '../file-station/zip-reader';
import { ZipFileWriter } from '../file-station/zip-writer';
import type { SimulatorState } from '../state';
import type { ApiCall, ApiHandler } from './api-handler';
import { stopTask, taskStatus } from './file-station-task-methods';
import { progressCounter } from '../file-station/tasks';

const API = 'SYNO.FileStation.Compress';
const LEVELS: Record<string, number> = { store: 0, fastest: 1, moderate: 6, best: 9 };
const MODES = ['add', 'update', 'refreshen', 'synchronize'];
const FORMATS = ['zip', '7z'];

interface CompressJob {
  readonly sim: SimulatorState;
  readonly paths: readonly string[];
  readonly destPath: string;
  readonly level: number;
  readonly mode: string;
  readonly format: string;
  readonly password: string | undefined;
}

interface Plan {
  readonly dest: DsmLocation;
  readonly entries: TreeEntry[];
  /** Paths of the existing archive's entries that stay in it. */
  readonly kept: ReadonlySet<string>;
}

/**
 * Checks before writing: 1300 with `errors: [{code, path}]` for a missing source (408), a missing or
 * read-only destination folder (408, 411) or an existing destination that is not a zip (414). Only the
 * zip format is supported: 7z fails with 1300. An existing archive is updated according to `mode`: add
 * (default) replaces entries of the same name and keeps the others, update and synchronize replace only
 * older entries, refreshen replaces older entries and adds nothing.
 */
async function plan(job: CompressJob): Promise<Plan> {
  const space = job.sim.files;
  const dest = space.locate(job.destPath);
  const folder = await space.findFolder(space.parent(dest).path);
  space.assertWritable(folder.location);
  space.child(folder.location, dest.name);
  if (job.format !== 'zip') throw new FileFailure(FileError.InvalidParameter, dest.path);
  let entries: TreeEntry[] = [];
  for (const path of job.paths) entries.push(...(await walkTree(space, await space.find(path))));
  // Links are not followed: they have no content to archive.
  entries = entries.filter((entry) => entry.location.path !== dest.path && !entry.stats.isSymbolicLink());
  let kept = new Set<string>();
  const existing = await lstat(dest.fsPath).catch(() => undefined);
  if (existing?.isSymbolicLink()) throw new FileFailure(FileError.NotPermitted, dest.path);
  if (existing) {
    const old = await readZipEntries(dest.fsPath).catch(() => {
      throw new FileFailure(FileError.Exists, dest.path);
    });
    const oldByPath = new Map<string, ZipEntry>(old.map((entry) => [entryPath(entry), entry]));
    const newer = (entry: TreeEntry): boolean => {
      const archived = oldByPath.get(entry.relative);
      return !archived || entry.stats.mtimeMs > archived.lastModDate.getTime() + 2000;
    };
    if (job.mode === 'refreshen')
      entries = entries.filter((entry) => oldByPath.has(entry.relative) && newer(entry));
    else if (job.mode !== 'add') entries = entries.filter(newer);
    const replaced = new Set(entries.map((entry) => entry.relative));
    kept = new Set([...oldByPath.keys()].filter((path) => !replaced.has(path)));
  }
  return { dest, entries, kept };
}

async function write(
  job: CompressJob,
  found: Plan,
  each: (steps: (() => Promise<number>)[]) => Promise<boolean>,
): Promise<void> {
  const { dest, entries, kept } = found;
  const temp = join(
    job.sim.files.parent(dest).fsPath,
    `${UPLOAD_TEMP_PREFIX}${randomBytes(6).toString('hex')}`,
  );
  const sink = createFileSink(temp);
  const writer = new ZipFileWriter(sink.writable, { level: job.level, password: job.password || undefined });
  const keptSteps = kept.size === 0 ? [] : [keptStep(writer, dest.fsPath, kept)];
  const steps = [
    ...keptSteps,
    ...entries.map((entry) => async () => {
      const { stats, relative, location } = entry;
      try {
        if (stats.isDirectory()) await writer.addDirectory(relative, stats.mtime, stats.mode);
        else await writer.addFile(relative, stats.mtime, stats.mode, location.fsPath);
      } catch (error) {
        throw toDsmError(error, ApiError.CompressFailed, location.path);
      }
      return stats.isDirectory() ? 0 : stats.size;
    }),
  ];
  try {
    if (!(await each(steps))) throw new Error('stopped');
    await writer.finish();
    await rename(temp, dest.fsPath);
  } catch (error) {
    await sink.discard();
    if (error instanceof Error && error.message === 'stopped') return;
    throw error;
  }
}

/** The existing archive's entries that stay are copied as they are stored, in one step. */
function keptStep(
  writer: ZipFileWriter,
  archivePath: string,
  kept: ReadonlySet<string>,
): () => Promise<number> {
  return async () => {
    await writer.addEntriesOf(archivePath, (entry) => kept.has(entryPath(entry)));
    return 0;
  };
}

function start(call: ApiCall): { taskid: string } {
  const { params, sim } = call;
  const level = LEVELS[params.text('level') || 'moderate'];
  const mode = params.text('mode') || 'add';
  const format = params.text('format') || 'zip';
  if (level === undefined || !MODES.includes(mode) || !FORMATS.includes(format)) {
    throw new DsmApiError(CommonError.InvalidParameter);
  }
  const job: CompressJob = {
    sim,
    paths: params.requiredList('path'),
    destPath: params.requiredText('dest_file_path'),
    level,
    mode,
    format,
    password: params.text('password'),
  };
  const { state, progress } = progressCounter();
  const task = sim.tasks.start(
    {
      api: API,
      version: call.version,
      owner: viewerOf(call).user,
      params: {
        dest_file_path: job.destPath,
        format,
        level: params.text('level') ?? '',
        mode: params.text('mode') ?? '',
        password: job.password ? '***' : '',
        path: job.paths,
      },
      background: true,
      failureCode: ApiError.CompressFailed,
      status: (self) => ({ dest_file_path: job.destPath, finished: self.finished, progress: progress() }),
      summary: () => ({ progress: progress(), total: -1 }),
    },
    async (pacer) => {
      const found = await plan(job).catch((error: unknown) => {
        throw toDsmError(error, ApiError.CompressFailed, job.destPath);
      });
      const sizes = found.entries.map((entry) => (entry.stats.isDirectory() ? 0 : entry.stats.size));
      const keptSteps = found.kept.size === 0 ? 0 : 1;
      state.total = sizes.reduce((sum, size) => sum + size, 0) + keptSteps + found.entries.length;
      await write(job, found, (steps) =>
        pacer.each(steps, async (step) => {
          state.processed += (await step()) + 1;
        }),
      );
    },
  );
  return { taskid: task.id };
}

export const fileStationCompressHandler: ApiHandler = {
  methods: { start, status: (call) => taskStatus(call, API), stop: (call) => stopTask(call, API) },
};
