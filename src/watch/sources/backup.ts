import type { BackupTask } from '../../dsm';
import { readBackups } from '../../dsm/api/system/backups';
import { snapshotOf, summary, type Subject, type WatchEvent, type WatchSource } from '../source';
import { priorState, remember, type Prior, type Remembered } from './remembered';

/** Results that say nothing of an ended run: none yet, or running (captures: `backingup`). */
const NO_END = new Set(['', 'none', 'backingup']);

type TaskSummary = Pick<BackupTask, 'running' | 'lastResult' | 'health' | 'taskId'> & { id: string };

/** What the status filter judges: `running`, else the last result as DSM says it (`done`, `failed`...). */
function statusOf(task: Pick<BackupTask, 'running' | 'lastResult'>): string {
  return task.running ? 'running' : task.lastResult || 'none';
}

const subjectOf = (task: TaskSummary): Subject => ({ id: task.id, status: statusOf(task) });

/** A run that ended other than `done` (failed, cancelled, or a result this client does not know). */
function endedBadly(task: Pick<BackupTask, 'running' | 'lastResult'>): boolean {
  return !task.running && !NO_END.has(task.lastResult) && task.lastResult !== 'done';
}

/** What makes a new run or a new end: running, and the last run's times and result. */
function runKey(task: BackupTask): string {
  return JSON.stringify([task.running, task.lastRun, task.lastEnd, task.lastResult]);
}

function remembered(task: BackupTask): Remembered {
  return { keys: { run: runKey(task) }, item: task };
}

/** The msg payload: the task, and for a failed run DSM's error as sent. */
function payload(topic: string, task: BackupTask): object {
  if (topic !== 'backup.failed') return task;
  const error = { result: task.lastResult, message: task.lastError, code: task.lastErrorCode };
  return { ...task, error };
}

function event(topic: string, task: BackupTask, previous: object | null): WatchEvent {
  const before = previous as TaskSummary | null;
  return {
    topic,
    item: payload(topic, task),
    previous: previous && summary(previous),
    subject: subjectOf(task),
    subjectBefore: before && subjectOf(before),
  };
}

/** The topics for one task from what was seen before: a start, an end, or both (a short run between polls). */
function runTopics(task: BackupTask, last: TaskSummary | undefined, changed: boolean): string[] {
  if (!last) return endedBadly(task) ? ['backup.failed'] : [];
  if (!changed) return [];
  const topics: string[] = [];
  if (task.running && !last.running) topics.push('backup.started');
  const ended = !task.running && !NO_END.has(task.lastResult);
  if (ended) topics.push(task.lastResult === 'done' ? 'backup.finished' : 'backup.failed');
  return topics;
}

/**
 * Hyper Backup tasks: one task list per poll (DSM 6: + a status per task, DSM 7: + one per task whose last run did
 * not end `done`). `backup.started` when a run begins, `backup.finished` when it ends `done`, `backup.failed` when it
 * ends any other way (failed, cancelled, or a result not known to be good) with DSM's error. Each run is told once.
 */
export const hyperBackup: WatchSource<BackupTask> = {
  name: 'backup',
  label: 'Hyper Backup tasks',
  statuses: ['running', 'done', 'failed', 'cancel', 'none'],

  async poll({ client, signal }) {
    return snapshotOf(await readBackups(client, signal));
  },

  async diff(before, now, { memory, emitCurrent }) {
    const prior = await priorState(before, memory, remembered);
    const current: Prior = new Map([...now].map(([id, task]) => [id, remembered(task)]));
    const describe = !before && emitCurrent;
    const events: WatchEvent[] = [];
    for (const [id, task] of now) {
      if (describe) events.push(event('backup.current', task, null));
      const last = prior?.get(id);
      // A task new since the poll before is first sight too; nothing known at all and describing: no guesses.
      if (!last && describe) continue;
      const changed = last !== undefined && last.keys.run !== runKey(task);
      const lastTask = last && (last.item as TaskSummary);
      for (const topic of runTopics(task, lastTask, changed))
        events.push(event(topic, task, last ? last.item : null));
    }
    await remember(memory, prior, current);
    return events;
  },
};
