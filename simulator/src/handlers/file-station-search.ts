import { extname } from 'node:path';
import { CommonError, DsmApiError } from '../dsm-error';
import { viewerOf } from '../file-station/context';
import type { FileRecord } from '../file-station/dsm-path';
import { toDsmError } from '../file-station/errors';
import { fileObject, readAdditional, timeObject } from '../file-station/file-entry';
import { fileTypeFilter, globMatcher, pageOf, sortRecords } from '../file-station/listing';
import type { FileTask } from '../file-station/tasks';
import { walkBelow } from '../file-station/tree';
import type { ParamReader } from '../params';
import type { SimulatorState } from '../state';
import type { ApiCall, ApiHandler } from './api-handler';
import { splitPatterns } from './file-station-list';

const API = 'SYNO.FileStation.Search';

/** What a search found so far; it grows while the task runs. */
const searchResults = new WeakMap<FileTask, FileRecord[]>();

/**
 * The last sorted, filtered view of a search's results, so that paging through n results sorts them once, not once
 * per page. Good while the results have the same length and were not changed since (`changes`).
 */
interface SortedResults {
  readonly key: string;
  readonly length: number;
  readonly changes: number;
  readonly records: FileRecord[];
}
const sortedResults = new WeakMap<FileTask, SortedResults>();
/** How often a search's results were changed in place (by Rename, CopyMove and Delete with search_taskid). */
const resultChanges = new WeakMap<FileTask, number>();

type Criterion = (record: FileRecord) => boolean;

/** Folders must exist when the search starts (408); the matches are then revealed over the task duration. */
async function start(call: ApiCall): Promise<{ taskid: string }> {
  const { params, sim } = call;
  const viewer = viewerOf(call);
  const folderPaths = params.requiredList('folder_path');
  const recursive = params.bool('recursive', true);
  const matches = criteria(params, viewer.user);
  const folders: FileRecord[] = [];
  for (const path of folderPaths) {
    try {
      folders.push(await sim.files.findFolder(path));
    } catch (error) {
      throw toDsmError(error, undefined, path);
    }
  }
  const results: FileRecord[] = [];
  const task = sim.tasks.start(
    {
      api: API,
      version: call.version,
      owner: viewer.user,
      params: { folder_path: folderPaths, recursive },
      background: false,
      status: () => ({}),
    },
    async (pacer) => {
      const found: FileRecord[] = [];
      for (const folder of folders) {
        found.push(...(await walkBelow(sim.files, folder, recursive)).filter(matches));
      }
      await pacer.each(found, async (record) => {
        results.push(record);
      });
    },
  );
  searchResults.set(task, results);
  return { taskid: task.id };
}

/** limit: 0 (the default) lists nothing and -1 everything, as the guide says for this method. */
function list(call: ApiCall): Record<string, unknown> {
  const { params, sim } = call;
  const viewer = viewerOf(call);
  const task = sim.tasks.find(params.requiredText('taskid'), API, viewer.user);
  if (task.failure) throw task.failure;
  const offset = params.int('offset', 0);
  const limit = params.int('limit', 0);
  const additional = readAdditional(params);
  const matchesName = globMatcher(splitPatterns(params.list('pattern'), /\s+/));
  const matchesType = fileTypeFilter(params);
  const found = searchResults.get(task) ?? [];
  const key = ['sort_by', 'sort_direction', 'filetype', 'pattern']
    .map((name) => params.text(name))
    .join('\0');
  const changes = resultChanges.get(task) ?? 0;
  let sorted = sortedResults.get(task);
  if (!sorted || sorted.key !== key || sorted.length !== found.length || sorted.changes !== changes) {
    const records = found.filter((record) => matchesType(record) && matchesName(record.location.name));
    sorted = { key, length: found.length, changes, records: sortRecords(records, params) };
    sortedResults.set(task, sorted);
  }
  const records = sorted.records;
  const page = pageOf(records, offset, limit, -1);
  return {
    files: page.map((record) => fileObject(sim.files, record, additional, viewer)),
    finished: task.finished,
    offset,
    total: records.length,
  };
}

/** Stops searching; what was found stays listable until clean. */
async function stop(call: ApiCall): Promise<undefined> {
  for (const task of findTasks(call)) await task.stop();
  return undefined;
}

async function clean(call: ApiCall): Promise<undefined> {
  for (const task of findTasks(call)) {
    await task.stop();
    call.sim.tasks.remove(task);
  }
  return undefined;
}

function findTasks(call: ApiCall): FileTask[] {
  const owner = viewerOf(call).user;
  return call.params.requiredList('taskid').map((id) => call.sim.tasks.find(id, API, owner));
}

/**
 * Keeps a search's results in step with a change made elsewhere (the search_taskid parameter of Rename,
 * CopyMove and Delete). Unknown task ids are ignored.
 */
export function updateSearchResults(
  sim: SimulatorState,
  owner: string,
  taskid: string | undefined,
  change: (records: FileRecord[]) => FileRecord[],
): void {
  if (!taskid) return;
  let task: FileTask;
  try {
    task = sim.tasks.find(taskid, API, owner);
  } catch {
    return;
  }
  const results = searchResults.get(task);
  if (!results) return;
  results.splice(0, results.length, ...change(results));
  resultChanges.set(task, (resultChanges.get(task) ?? 0) + 1);
}

/** The start criteria; all given ones must match. Patterns are separated by spaces (guide, Search start). */
function criteria(params: ParamReader, user: string): Criterion {
  const checks: Criterion[] = [fileTypeFilter(params)];
  const patterns = splitPatterns(params.list('pattern'), /\s+/);
  if (patterns.length > 0) {
    const matches = globMatcher(patterns);
    checks.push((record) => matches(record.location.name));
  }
  const extensions = splitPatterns(params.list('extension'), ',');
  if (extensions.length > 0) {
    const matches = globMatcher(extensions, true);
    checks.push((record) => !record.stats.isDirectory() && matches(extname(record.location.name).slice(1)));
  }
  checks.push(...rangeChecks(params));
  for (const name of ['owner', 'group']) {
    const wanted = params.text(name);
    const actual = name === 'owner' ? user : 'users';
    if (wanted) checks.push(() => wanted.toLowerCase() === actual.toLowerCase());
  }
  return (record) => checks.every((check) => check(record));
}

function rangeChecks(params: ParamReader): Criterion[] {
  const checks: Criterion[] = [];
  const ranges: [string, (record: FileRecord) => number][] = [
    ['size', (record) => record.stats.size],
    ['mtime', (record) => timeObject(record.stats).mtime],
    ['crtime', (record) => timeObject(record.stats).crtime],
    ['atime', (record) => timeObject(record.stats).atime],
  ];
  for (const [name, value] of ranges) {
    const from = optionalInt(params, `${name}_from`);
    const to = optionalInt(params, `${name}_to`);
    if (from !== undefined) checks.push((record) => value(record) >= from);
    if (to !== undefined) checks.push((record) => value(record) <= to);
  }
  return checks;
}

function optionalInt(params: ParamReader, name: string): number | undefined {
  if (!params.has(name) || params.text(name) === '') return undefined;
  const value = params.int(name, 0);
  if (value < 0) throw new DsmApiError(CommonError.InvalidParameter);
  return value;
}

export const fileStationSearchHandler: ApiHandler = { methods: { start, list, stop, clean } };
