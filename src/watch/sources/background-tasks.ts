import { FileStation, type BackgroundTaskInfo } from '../../dsm';
import { toPercent } from '../../dsm/api/file-station/background';
import { compare, itemEvent, snapshotOf, type WatchEvent, type WatchSource } from '../source';

export interface BackgroundTaskItem {
  id: string;
  status: 'running' | 'finished';
  /** The File Station API that runs it: `SYNO.FileStation.CopyMove`, `.Delete`, `.Compress`, `.Extract`. */
  api: string;
  /** 0-100. */
  progress: number;
  /** The path it works on now, when DSM says. */
  path: string | null;
  /** ms since 1970; null when DSM has none. */
  createdAt: number | null;
  /** The task as DSM listed it. */
  raw: BackgroundTaskInfo;
}

function toItem(task: BackgroundTaskInfo): BackgroundTaskItem {
  const finished = task.finished === true;
  const crtime = Number(task.crtime);
  return {
    id: String(task.taskid),
    status: finished ? 'finished' : 'running',
    api: String(task.api),
    progress: toPercent(task.progress, finished),
    path: typeof task.path === 'string' && task.path ? task.path : null,
    createdAt: Number.isFinite(crtime) && crtime > 0 ? crtime * 1000 : null,
    raw: task,
  };
}

function event(topic: string, item: BackgroundTaskItem, previous: BackgroundTaskItem | null): WatchEvent {
  return itemEvent(topic, item, previous, topic === 'task.progress');
}

/**
 * File Station background tasks (copy, move, delete, compress, extract) of the account: one BackgroundTask list per
 * poll. DSM's list says only running or finished (File Station guide, BackgroundTask list): no failure detail.
 */
export const backgroundTasks: WatchSource<BackgroundTaskItem> = {
  name: 'task',
  label: 'File Station background tasks',
  statuses: ['running', 'finished'],

  async poll({ client, signal }) {
    return snapshotOf((await new FileStation(client).backgroundTasks({ signal })).map(toItem));
  },

  async diff(before, now, { emitCurrent }) {
    if (!before) return emitCurrent ? [...now.values()].map((t) => event('task.current', t, null)) : [];
    const { added, removed, kept } = compare(before, now);
    const events: WatchEvent[] = [];
    for (const task of added) {
      events.push(event('task.added', task, null));
      if (task.status === 'finished') events.push(event('task.finished', task, null));
    }
    for (const [old, task] of kept) {
      if (old.status !== task.status) events.push(event('task.finished', task, old));
      else if (old.progress !== task.progress) events.push(event('task.progress', task, old));
    }
    for (const task of removed) events.push(event('task.removed', task, task));
    return events;
  },
};
