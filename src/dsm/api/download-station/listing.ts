import type { DsmClient } from '../../client';
import { inputError } from '../../errors';
import { describeType } from '../file-station/options';
import { TASK_DS2, TASK_V1, inDownloadStationTerms, taskApi } from './apis';
import { TASK_STATUSES, toDownloadTask, type DownloadTask } from './task';

export interface ListOptions {
  /** Only tasks with this status, or one of these (see TASK_STATUSES); all by default. */
  status?: string | string[];
  signal?: AbortSignal;
}

/** What every task listing asks for: enough for the normalized shape (destination, uri, transfer). */
const ADDITIONAL = ['detail', 'transfer'];

/** A status filter: one status or a list, each one Download Station reports. */
export function checkStatusFilter(field: string, value: unknown): string[] | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  const list = Array.isArray(value)
    ? value
    : typeof value === 'string'
      ? value.split(',').map((s) => s.trim())
      : [value];
  if (list.length === 0) return undefined;
  for (const item of list) {
    if (typeof item !== 'string' || !(TASK_STATUSES as readonly string[]).includes(item)) {
      const shown = typeof item === 'string' ? `"${item}"` : describeType(item);
      throw inputError(field, `${shown} is not a task status`, `Use one of ${TASK_STATUSES.join(', ')}.`);
    }
  }
  return list as string[];
}

/** Every task of the account (one request), normalized. */
export async function listTasks(client: DsmClient, options: ListOptions = {}): Promise<DownloadTask[]> {
  const statuses = checkStatusFilter('status', options.status);
  const tasks = await inDownloadStationTerms(fetchAll(client, options.signal));
  return statuses ? tasks.filter((task) => statuses.includes(task.status)) : tasks;
}

async function fetchAll(client: DsmClient, signal?: AbortSignal): Promise<DownloadTask[]> {
  if ((await taskApi(client, signal)) === 'ds2') {
    // DS2 answers under "task" (Prowlarr #1812), additional as a JSON array (N4S4, plneto).
    const data = await client.call<{ task?: Record<string, unknown>[] }>(
      TASK_DS2,
      'list',
      { offset: 0, limit: -1, additional: ADDITIONAL },
      { signal },
    );
    return (data.task ?? []).map(toDownloadTask);
  }
  const data = await client.call<{ tasks?: Record<string, unknown>[] }>(
    TASK_V1,
    'list',
    { offset: 0, limit: -1, additional: ADDITIONAL.join(',') },
    { signal },
  );
  return (data.tasks ?? []).map(toDownloadTask);
}

/** Task ids: one, a list, or tasks from a listing; `'all'` stays as it is. */
export function checkTaskIds(field: string, value: unknown): string[] | 'all' {
  if (value === 'all') return 'all';
  const items = Array.isArray(value) ? value : [value];
  if (items.length === 0)
    throw inputError(field, 'is an empty list', 'Give task ids such as dbid_12, or "all".');
  return items.map((item, index) => {
    const id = typeof item === 'string' ? item.trim() : (item as { id?: unknown } | null)?.id;
    if (typeof id !== 'string' || !/^[A-Za-z0-9_.-]+$/.test(id)) {
      const where = items.length > 1 ? `${field}[${index}]` : field;
      const shown = typeof id === 'string' ? `"${id}"` : describeType(item);
      throw inputError(
        where,
        `${shown} is not a task id`,
        'Give task ids such as dbid_12, or tasks from a list.',
      );
    }
    return id;
  });
}

/**
 * The tasks with these ids, from one listing; an id the account has no task for is refused naming the field,
 * before any task is touched (DSM would act on the others and answer 404 for it).
 */
export async function findTasks(
  client: DsmClient,
  ids: string[] | 'all',
  signal?: AbortSignal,
  field = 'id',
): Promise<DownloadTask[]> {
  const tasks = await listTasks(client, { signal });
  if (ids === 'all') return tasks;
  const byId = new Map(tasks.map((task) => [task.id, task]));
  const unknown = ids.filter((id) => !byId.has(id));
  if (unknown.length > 0)
    throw inputError(
      field,
      `no task ${unknown.map((id) => `"${id}"`).join(', ')} in Download Station`,
      'Task ids come from a list of the tasks (dbid_N); the task may have been deleted.',
    );
  return [...new Set(ids)].map((id) => byId.get(id) as DownloadTask);
}
