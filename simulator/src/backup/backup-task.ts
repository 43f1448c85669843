const DAY_MS = 86_400_000;

/** What a task is and when it runs (daily at hour:min, simulator clock, UTC). */
export interface BackupTaskSpec {
  readonly taskId: number;
  readonly name: string;
  readonly repoId: number;
  readonly targetId: string;
  readonly targetType: string;
  readonly transferType: string;
  readonly dataEnc: boolean;
  readonly hour: number;
  readonly min: number;
  readonly scheduleEnabled: boolean;
}

/** How a run ends: the result token and the error DSM reports with it. */
export interface BackupOutcome {
  result: string;
  error: string;
  errorCode: number;
}

// `last_bkp_error_code` is 4401 with an empty error on good tasks in the DSM 7 capture (py-synologydsm-api
// dsm_7__hyperbackup__const_7_hyperbackup.json).
export const SUCCESS: BackupOutcome = { result: 'done', error: '', errorCode: 4401 };
// The failure token is not in any capture ("failed" is what clients' code checks for, unverified); the error
// string and code are the captured ones of a task whose target broke.
export const FAILURE: BackupOutcome = {
  result: 'failed',
  error: 'SYNO.SDS.Backup.Application:error:status_target_broken',
  errorCode: 4467,
};
/** The result a cancelled run leaves: not in any source either. */
export const CANCELLED: BackupOutcome = { result: 'cancel', error: '', errorCode: 4401 };

/**
 * One Hyper Backup task over the simulator clock: it starts at its scheduled time (or on `backup`), runs for
 * the configured duration, then ends with the outcome the control surface chose (success by default).
 */
export class BackupTask {
  runningSince: number | undefined;
  lastStart: number;
  lastEnd: number;
  lastSuccess: number;
  lastOutcome: BackupOutcome = SUCCESS;
  /** How the next runs end. */
  outcome: BackupOutcome = SUCCESS;
  /** Scheduled runs at or before this time are taken care of. */
  private scheduleCursor: number;

  constructor(
    readonly spec: BackupTaskSpec,
    now: number,
    private readonly durationMs: number,
  ) {
    // A history: the last scheduled run before the simulator started went well.
    this.lastStart = this.previousRun(now) ?? now - DAY_MS;
    this.lastEnd = this.lastStart + durationMs;
    this.lastSuccess = this.lastEnd;
    this.scheduleCursor = now;
  }

  /** Moves the task to `now`: finishes a run whose time is up, starts the latest scheduled run not yet done. */
  advance(now: number): void {
    for (;;) {
      if (this.runningSince !== undefined) {
        const end = this.runningSince + this.durationMs;
        if (now < end) return;
        this.finish(end, this.outcome);
        continue;
      }
      const scheduled = this.previousRun(now);
      if (scheduled === undefined || scheduled <= this.scheduleCursor) return;
      this.start(scheduled);
    }
  }

  start(at: number): void {
    this.runningSince = at;
    this.lastStart = at;
    this.scheduleCursor = Math.max(this.scheduleCursor, at);
  }

  finish(at: number, outcome: BackupOutcome): void {
    this.runningSince = undefined;
    this.lastEnd = at;
    this.lastOutcome = outcome;
    if (outcome.result === SUCCESS.result) this.lastSuccess = at;
    this.scheduleCursor = Math.max(this.scheduleCursor, at);
  }

  /** 0-99 while running, from the time it has run. */
  progress(now: number): number {
    if (this.runningSince === undefined) return 100;
    if (this.durationMs === 0) return 99;
    return Math.min(99, Math.floor(((now - this.runningSince) * 100) / this.durationMs));
  }

  /** The next scheduled start after `now`, undefined without a schedule. */
  nextRun(now: number): number | undefined {
    if (!this.spec.scheduleEnabled) return undefined;
    const today = this.runOfDay(now);
    return today > now ? today : today + DAY_MS;
  }

  private previousRun(now: number): number | undefined {
    if (!this.spec.scheduleEnabled) return undefined;
    const today = this.runOfDay(now);
    return today <= now ? today : today - DAY_MS;
  }

  private runOfDay(time: number): number {
    const date = new Date(time);
    return Date.UTC(
      date.getUTCFullYear(),
      date.getUTCMonth(),
      date.getUTCDate(),
      this.spec.hour,
      this.spec.min,
    );
  }
}
