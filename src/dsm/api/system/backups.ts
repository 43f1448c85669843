import type { DsmClient } from '../../client';
import { DsmError, inputError } from '../../errors';
import { BACKUP_API, isMissingApi, isPartError } from './apis';
import { needsStatus, toBackupTask, type BackupTask } from './backup-task';
import { asRecord, asRecords, numberOrNull, text } from './values';

/** A task by id (`1`), name (`Nightly backup`), or a task from backups(). */
export type BackupTaskRef = number | string | Pick<BackupTask, 'taskId'>;

const NOT_INSTALLED_HINT = 'Install Hyper Backup in Package Center, or start it if it is stopped.';

/** Hyper Backup errors in its terms: a missing API means the package is not installed or stopped. */
export async function inHyperBackupTerms<T>(work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (err) {
    if (isMissingApi(err) && err instanceof DsmError) {
      throw new DsmError({
        kind: 'dsm',
        code: 102,
        api: BACKUP_API,
        method: err.method,
        reason: 'Hyper Backup is not installed or is stopped on this NAS',
        hint: NOT_INSTALLED_HINT,
      });
    }
    if (err instanceof DsmError && err.code === 4400 && err.api === BACKUP_API) {
      // 4400 answers a backup of a running task and a cancel of an idle one (N4S4 docs; the simulator's choice of
      // code within Hyper Backup's 44xx).
      throw new DsmError({
        ...err.toJSON(),
        reason:
          'Hyper Backup refused: the task is not in a state for this (start: it already runs; cancel: it does not run)',
        hint: 'Read the task (backups) to see its state.',
      });
    }
    throw err;
  }
}

/** The raw `task_list` entries (`list`, no params, as N4S4 and py-synologydsm-api call it). */
export async function listEntries(
  client: DsmClient,
  signal?: AbortSignal,
): Promise<Record<string, unknown>[]> {
  const data = await inHyperBackupTerms(client.call(BACKUP_API, 'list', {}, { signal }));
  return asRecords(asRecord(data).task_list);
}

function readStatus(client: DsmClient, taskId: number, signal?: AbortSignal): Promise<unknown> {
  return inHyperBackupTerms(
    client.call(BACKUP_API, 'status', { task_id: taskId, additional: ['last_bkp_progress'] }, { signal }),
  );
}

/**
 * Every task with its results: one `list`, plus one `status` per task whose list entry does not show a `done` last
 * run (every task on DSM 6, whose list has no results; on DSM 7 a running or failed one, for its error, progress
 * and last success). A task whose status fails is kept, with the error among its problems.
 */
export async function readBackups(client: DsmClient, signal?: AbortSignal): Promise<BackupTask[]> {
  const entries = await listEntries(client, signal);
  return Promise.all(
    entries.map(async (entry) => {
      if (!needsStatus(entry)) return toBackupTask(entry);
      try {
        return toBackupTask(entry, await readStatus(client, numberOrNull(entry.task_id) ?? -1, signal));
      } catch (err) {
        if (!isPartError(err)) throw err;
        const task = toBackupTask(entry);
        const health = task.health === 'ok' ? 'unknown' : task.health;
        return { ...task, health, problems: [...task.problems, `status: ${err.message}`] };
      }
    }),
  );
}

/** One task, fresh: its list entry and its `status` (with progress while running). */
export async function readBackup(
  client: DsmClient,
  ref: BackupTaskRef,
  signal?: AbortSignal,
): Promise<BackupTask> {
  const entry = findTask(ref, await listEntries(client, signal));
  return toBackupTask(entry, await readStatus(client, numberOrNull(entry.task_id) ?? -1, signal));
}

/** Starts (`backup`) or cancels (`cancel`) one task, found by id or name first; then reads it again. */
export async function actOnBackup(
  client: DsmClient,
  action: 'backup' | 'cancel',
  ref: BackupTaskRef,
  signal?: AbortSignal,
): Promise<BackupTask> {
  checkTaskRef(ref);
  const entry = findTask(ref, await listEntries(client, signal));
  const taskId = numberOrNull(entry.task_id) ?? -1;
  await inHyperBackupTerms(client.call(BACKUP_API, action, { task_id: taskId }, { signal }));
  return toBackupTask(entry, await readStatus(client, taskId, signal));
}

const TASK_HINT = 'Give a Hyper Backup task id (1) or its name as Hyper Backup shows it.';

export function checkTaskRef(ref: unknown): asserts ref is BackupTaskRef {
  if (typeof ref === 'number' && Number.isInteger(ref) && ref >= 0) return;
  if (typeof ref === 'string' && ref.trim()) return;
  if (ref !== null && typeof ref === 'object' && Number.isInteger((ref as { taskId?: unknown }).taskId))
    return;
  throw inputError(
    'task',
    ref === undefined || ref === '' ? 'is empty' : 'must be a task id or name',
    TASK_HINT,
  );
}

/** The entry a ref names: an id (a number, or a string of digits), else an exact name, unique. */
function findTask(ref: BackupTaskRef, entries: Record<string, unknown>[]): Record<string, unknown> {
  checkTaskRef(ref);
  const known = entries.map((e) => `${text(e.task_id)} "${text(e.name)}"`).join(', ') || 'none';
  const byId = (id: number) => entries.find((e) => numberOrNull(e.task_id) === id);
  let found: Record<string, unknown> | undefined;
  if (typeof ref === 'object') found = byId(ref.taskId);
  else if (typeof ref === 'number' || /^\d+$/.test(ref.trim())) found = byId(Number(ref));
  else {
    const named = entries.filter((e) => text(e.name) === ref.trim());
    if (named.length > 1)
      throw inputError('task', `"${ref}" names ${named.length} tasks`, 'Give the task id instead.');
    found = named[0];
  }
  if (!found)
    throw inputError(
      'task',
      `no Hyper Backup task ${JSON.stringify(typeof ref === 'object' ? ref.taskId : ref)} (tasks: ${known})`,
      TASK_HINT,
    );
  return found;
}
