import type { DsmClient } from '../../client';
import { DsmError } from '../../errors';
import { describeDsmCode } from '../../error-codes';
import { deletePaths } from '../file-station/operations';
import { getInfo } from '../file-station/listing';
import { TASK_DS2, TASK_V1, inDownloadStationTerms, taskApi } from './apis';
import { checkDestination, ensureDestination } from './destination';
import { checkTaskIds, findTasks } from './listing';
import type { DownloadTask } from './task';

export type TaskAction = 'pause' | 'resume' | 'delete' | 'edit';

/** What DSM did per task: the ids it acted on, and those it refused with its code. */
export interface TaskActionResult {
  done: string[];
  failed: { id: string; code: number; reason: string }[];
}

export interface DeleteResult extends TaskActionResult {
  /** With `withFiles`: the downloaded files or folders deleted through File Station. */
  filesDeleted: string[];
}

interface PerTask {
  id?: unknown;
  error?: unknown;
}

/** v1 answers `[{id, error}]`, DS2 `{failed_task: [{id, error}]}` (plneto models); either may be missing. */
function perTaskErrors(data: unknown): PerTask[] {
  if (Array.isArray(data)) return data as PerTask[];
  const failed = (data as { failed_task?: unknown } | undefined)?.failed_task;
  return Array.isArray(failed) ? (failed as PerTask[]) : [];
}

async function send(
  client: DsmClient,
  action: TaskAction,
  ids: string[],
  extra: Record<string, unknown>,
  signal?: AbortSignal,
): Promise<TaskActionResult> {
  const api = (await taskApi(client, signal)) === 'ds2' ? TASK_DS2 : TASK_V1;
  // v1 takes a comma list, DS2 a JSON array: the client encodes `ids` as each API's requestFormat says.
  const data = await client.call(api, action, { id: ids, ...extra }, { signal });
  const failed = perTaskErrors(data)
    .filter((entry) => Number(entry.error) !== 0)
    .map((entry) => {
      const code = Number(entry.error);
      return { id: String(entry.id), code, reason: describeDsmCode(api, code).reason };
    });
  const refused = new Set(failed.map((entry) => entry.id));
  const result = { done: ids.filter((id) => !refused.has(id)), failed };
  if (result.done.length === 0 && failed.length > 0) {
    const [first] = failed;
    throw new DsmError({
      kind: 'dsm',
      code: first.code,
      api,
      method: action,
      reason: `${first.reason} (task ${failed.map((f) => f.id).join(', ')})`,
      hint: action === 'edit' ? 'A finished task keeps its destination.' : undefined,
      details: failed,
    });
  }
  return result;
}

/** Pauses, resumes or edits tasks, after checking every id exists (nothing is touched otherwise). */
export async function runAction(
  client: DsmClient,
  action: 'pause' | 'resume',
  idsValue: unknown,
  options: { signal?: AbortSignal } = {},
): Promise<TaskActionResult> {
  const ids = checkTaskIds('id', idsValue);
  const tasks = await findTasks(client, ids, options.signal);
  if (tasks.length === 0) return { done: [], failed: [] };
  return inDownloadStationTerms(
    send(
      client,
      action,
      tasks.map((t) => t.id),
      {},
      options.signal,
    ),
  );
}

export async function editDestination(
  client: DsmClient,
  idsValue: unknown,
  destinationValue: unknown,
  options: { createFolder?: boolean; signal?: AbortSignal } = {},
): Promise<TaskActionResult> {
  const ids = checkTaskIds('id', idsValue);
  const destination = checkDestination('destination', destinationValue);
  if (!destination) throw new DsmError({ kind: 'input', code: 'EINVAL', reason: 'destination: is empty' });
  const tasks = await findTasks(client, ids, options.signal);
  if (tasks.length === 0) return { done: [], failed: [] };
  if (options.createFolder) await ensureDestination(client, destination, options.signal);
  return inDownloadStationTerms(
    send(
      client,
      'edit',
      tasks.map((t) => t.id),
      { destination },
      options.signal,
    ),
  );
}

/**
 * Deletes tasks. Download Station itself never deletes downloaded files; with `withFiles` the file or folder each
 * task downloaded (`destination/title`) is deleted through File Station afterwards, where it exists.
 */
export async function deleteTasks(
  client: DsmClient,
  idsValue: unknown,
  options: { withFiles?: boolean; signal?: AbortSignal } = {},
): Promise<DeleteResult> {
  const ids = checkTaskIds('id', idsValue);
  const tasks = await findTasks(client, ids, options.signal);
  if (tasks.length === 0) return { done: [], failed: [], filesDeleted: [] };
  const result = await inDownloadStationTerms(
    // force_complete=false: an unfinished download is dropped, not moved to the destination half-done.
    send(
      client,
      'delete',
      tasks.map((t) => t.id),
      { force_complete: false },
      options.signal,
    ),
  );
  const deleted = new Set(result.done);
  const filesDeleted = options.withFiles
    ? await deleteDownloadedFiles(
        client,
        tasks.filter((t) => deleted.has(t.id)),
        options.signal,
      )
    : [];
  return { ...result, filesDeleted };
}

async function deleteDownloadedFiles(
  client: DsmClient,
  tasks: DownloadTask[],
  signal?: AbortSignal,
): Promise<string[]> {
  const paths = tasks
    .filter((t) => t.destination && t.title && !t.title.includes('/') && t.title !== '.' && t.title !== '..')
    .map((t) => `/${t.destination}/${t.title}`);
  if (paths.length === 0) return [];
  const present = (await getInfo(client, paths, { signal }))
    .filter((entry) => !entry.code)
    .map((e) => e.path);
  if (present.length > 0) await deletePaths(client, present, { signal });
  return present;
}
