import { combine, judge, type HealthItem, type KnownValues, type Verdict } from './health';
import { asRecord, numberOrNull, text } from './values';

// `backupable` is an idle or running task that can back up; `restore_only` is a task whose target broke, `error`
// and `error_detect` tasks that failed their check (all in the DSM 7 capture, py-synologydsm-api PR #234).
const STATE: KnownValues = { ok: ['backupable'], critical: ['restore_only', 'error', 'error_detect'] };
// `done` and `backingup` (running) are captured; `failed` and `cancel` are in no capture (the simulator's tokens):
// any other result is unknown, never ok.
const RESULT: KnownValues = { ok: ['done', 'backingup'], warning: ['cancel'], critical: ['failed'] };

/** A Hyper Backup task with its last result, last success and next run. */
export interface BackupTask extends HealthItem {
  kind: 'backup';
  taskId: number;
  /** DSM's raw strings: `state` (`backupable`), `status` (`none`, `backup` while running), `last_bkp_result`. */
  state: string;
  status: string;
  lastResult: string;
  running: boolean;
  /** 0-100 while running (from `status`), else null. */
  progress: number | null;
  /**
   * DSM's times as sent, `YYYY/MM/DD HH:MM` in the NAS's time zone; null when DSM sent none (no schedule: no
   * next run).
   */
  lastRun: string | null;
  lastEnd: string | null;
  lastSuccess: string | null;
  nextRun: string | null;
  /** DSM's error string of the last run (`SYNO.SDS.Backup.Application:error:status_target_broken`); '' when none. */
  lastError: string;
  /** DSM's `last_bkp_error_code`: 4401 on good runs too (capture), so it says nothing by itself. */
  lastErrorCode: number | null;
  /** `image`, `cloud_image`, `share`... and `image_remote`, `google_drive`, `local`... */
  targetType: string;
  transferType: string;
  /** The task as `list` gave it, and the `status` answer where one was read. */
  raw: { list: Record<string, unknown>; status?: Record<string, unknown> };
}

/**
 * Whether a `list` entry needs a `status` call: DSM 6 lists no results at all (dsm_6 capture), and DSM 7's list
 * lacks `last_bkp_success_time` and `last_bkp_error`, which matter only when the last run did not end `done`
 * (for a `done` run the last success is its end).
 */
export function needsStatus(entry: unknown): boolean {
  return asRecord(entry).last_bkp_result !== 'done';
}

function timeOrNull(value: unknown): string | null {
  return text(value) || null;
}

/** A task from its `list` entry and, where read, its `status` answer (whose fields win). */
export function toBackupTask(listEntry: unknown, statusAnswer?: unknown): BackupTask {
  const list = asRecord(listEntry);
  const status = statusAnswer === undefined ? undefined : asRecord(statusAnswer);
  const merged = { ...list, ...status };
  const taskId = numberOrNull(merged.task_id) ?? -1;
  const lastResult = text(merged.last_bkp_result);
  const lastError = text(merged.last_bkp_error);
  const running = merged.status === 'backup' || lastResult === 'backingup';
  const verdicts: Verdict[] = [
    judge('state', merged.state, STATE),
    lastResult
      ? judge('last_bkp_result', lastResult, RESULT)
      : { health: 'unknown', problem: 'last_bkp_result is missing: no result known' },
  ];
  if (lastError) verdicts.push({ health: 'critical', problem: `last_bkp_error is "${lastError}"` });
  const progress = asRecord(merged.progress);
  return {
    id: `backup:${taskId}`,
    kind: 'backup',
    name: text(merged.name) || `task ${taskId}`,
    ...combine(verdicts),
    taskId,
    state: text(merged.state),
    status: text(merged.status),
    lastResult,
    running,
    progress: running ? (numberOrNull(progress.progress) ?? numberOrNull(merged.last_bkp_progress)) : null,
    lastRun: timeOrNull(merged.last_bkp_time),
    lastEnd: timeOrNull(merged.last_bkp_end_time),
    lastSuccess:
      timeOrNull(merged.last_bkp_success_time) ??
      (lastResult === 'done' ? timeOrNull(merged.last_bkp_end_time) : null),
    nextRun: timeOrNull(merged.next_bkp_time),
    lastError,
    lastErrorCode: numberOrNull(merged.last_bkp_error_code),
    targetType: text(merged.target_type),
    transferType: text(merged.transfer_type),
    raw: status ? { list, status } : { list },
  };
}
