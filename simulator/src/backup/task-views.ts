import type { BackupTask } from './backup-task';

/** "2023/12/18 14:51" as Hyper Backup writes times (DSM 7 capture); UTC here. */
export function formatBackupTime(ms: number | undefined): string {
  if (ms === undefined) return '';
  const iso = new Date(ms).toISOString();
  return `${iso.slice(0, 10).replaceAll('-', '/')} ${iso.slice(11, 16)}`;
}

function scheduleObject(task: BackupTask, now: number): Record<string, unknown> {
  const next = task.nextRun(now) ?? now;
  const iso = new Date(next).toISOString();
  return {
    schedule_enable: task.spec.scheduleEnabled,
    schedule: {
      date: iso.slice(0, 10).replaceAll('-', '/'),
      date_type: 0,
      hour: task.spec.hour,
      last_work_hour: task.spec.hour,
      min: task.spec.min,
      next_trigger_time: `${iso.slice(0, 10)} ${iso.slice(11, 16)}`,
      repeat: 0,
      repeat_hour: 0,
      repeat_hour_store_config: Array.from({ length: 23 }, (_, index) => index + 1),
      repeat_min: 0,
      repeat_min_store_config: [],
      week_name: '0,1,2,3,4,5,6',
    },
  };
}

function runningFields(task: BackupTask): { state: string; status: string; last_bkp_result: string } {
  return {
    state: 'backupable',
    status: task.runningSince === undefined ? 'none' : 'backup',
    last_bkp_result: task.runningSince === undefined ? task.lastOutcome.result : 'backingup',
  };
}

/**
 * A task_list entry. DSM 7 (scheduled tasks of the DSM 7 capture): with last_bkp_*, next_bkp_time and
 * schedule; DSM 6 (dsm_6__backup__const_6_backup_task.json): the task's identity and state/status only.
 */
export function listEntry(task: BackupTask, now: number, dsm6: boolean): Record<string, unknown> {
  const { spec } = task;
  const { state, status, last_bkp_result } = runningFields(task);
  const identity = {
    data_enc: spec.dataEnc,
    data_type: 'data',
    ext3ShareList: [],
    name: spec.name,
    repo_id: spec.repoId,
    state,
    status,
    target_id: spec.targetId,
    target_type: spec.targetType,
    task_id: spec.taskId,
    transfer_type: spec.transferType,
    type: `${spec.targetType}:${spec.transferType}`,
  };
  if (dsm6) return identity;
  return {
    ...identity,
    last_bkp_end_time: formatBackupTime(task.lastEnd),
    last_bkp_result,
    last_bkp_time: formatBackupTime(task.lastStart),
    next_bkp_time: formatBackupTime(task.nextRun(now)),
    schedule: scheduleObject(task, now),
  };
}

/** The `status` answer (DSM 7 capture, DSM_7_STATUSES): `progress` only while running. */
export function statusAnswer(
  task: BackupTask,
  now: number,
  additional: readonly string[],
): Record<string, unknown> {
  const { state, status, last_bkp_result } = runningFields(task);
  const answer: Record<string, unknown> = {
    task_id: task.spec.taskId,
    state,
    status,
    last_bkp_result,
    last_bkp_error: task.lastOutcome.error,
    last_bkp_end_time: formatBackupTime(task.lastEnd),
    last_bkp_error_code: task.lastOutcome.errorCode,
    last_bkp_success_time: formatBackupTime(task.lastSuccess),
    last_bkp_time: formatBackupTime(task.lastStart),
    next_bkp_time: formatBackupTime(task.nextRun(now)),
    schedule: scheduleObject(task, now),
  };
  if (additional.includes('last_bkp_progress')) answer.last_bkp_progress = task.progress(now);
  if (task.runningSince !== undefined) answer.progress = progressObject(task, now);
  return answer;
}

const TOTAL_SIZE = 1_202_233_000;

function progressObject(task: BackupTask, now: number): Record<string, unknown> {
  const percent = task.progress(now);
  const processed = Math.round((TOTAL_SIZE * percent) / 100);
  return {
    step: percent === 0 ? 'backup_prepare' : 'data_backup',
    progress: percent,
    app_done_list: [],
    app_list: [],
    avg_speed: 0,
    can_cancel: true,
    can_suspend: percent > 0,
    current_app: '',
    current_app_action_percent: '0',
    current_app_percent: '0',
    current_app_stage: '',
    processed_size: String(processed),
    scan_file_count: String(Math.round(processed / 72_000)),
    title_type: 'backingup',
    total_size: String(TOTAL_SIZE),
    transmitted_size: String(processed),
  };
}
