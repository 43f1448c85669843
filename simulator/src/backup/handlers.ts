import { DsmApiError } from '../dsm-error';
import type { ApiCall, ApiHandler } from '../handlers/api-handler';
import { CANCELLED, type BackupTask } from './backup-task';
import { BackupError } from './errors';
import { listEntry, statusAnswer } from './task-views';

function taskOf(call: ApiCall): BackupTask {
  const taskId = call.params.int('task_id', Number.NaN);
  if (Number.isNaN(taskId)) call.params.requiredText('task_id');
  const task = call.sim.backups.find(taskId);
  if (!task) throw new DsmApiError(BackupError.NotRunnable);
  return task;
}

/** list (no params, as N4S4 and py-synologydsm-api call it). */
function list(call: ApiCall): Record<string, unknown> {
  const { backups, profile } = call.sim;
  const now = backups.now();
  const tasks = backups.list().map((task) => listEntry(task, now, profile.name === 'dsm6'));
  return {
    is_data_restoring: false,
    is_downloading: false,
    is_lun_restoring: false,
    is_restoring: false,
    is_snapshot_restoring: false,
    task_list: tasks,
    total: tasks.length,
  };
}

/** status task_id [additional=["last_bkp_progress", ...]] [blOnline=false]. */
function status(call: ApiCall): Record<string, unknown> {
  const task = taskOf(call);
  return statusAnswer(task, call.sim.backups.now(), call.params.list('additional') ?? []);
}

/** backup task_id: starts a run now; 4400 while one runs. */
function backup(call: ApiCall): undefined {
  const task = taskOf(call);
  if (task.runningSince !== undefined) throw new DsmApiError(BackupError.NotRunnable);
  task.start(call.sim.backups.now());
  return undefined;
}

/** cancel task_id: stops the running run; 4400 when none runs. */
function cancel(call: ApiCall): undefined {
  const task = taskOf(call);
  if (task.runningSince === undefined) throw new DsmApiError(BackupError.NotRunnable);
  task.finish(call.sim.backups.now(), CANCELLED);
  return undefined;
}

export const BACKUP_HANDLERS: readonly (readonly [string, ApiHandler])[] = [
  ['SYNO.Backup.Task', { methods: { list, status, backup, cancel } }],
];
