import { DONE_STATUSES, DownloadStation, TASK_STATUSES, type DownloadTask } from '../../dsm';
import { compare, itemEvent as event, snapshotOf, type WatchEvent, type WatchSource } from '../source';

/** download.finished / download.error when a task reaches that state, download.status for other status changes. */
function statusTopic(task: DownloadTask, before: DownloadTask | null): string | undefined {
  if (task.status === 'error') return 'download.error';
  const nowDone = DONE_STATUSES.has(task.status);
  if (nowDone && !(before && DONE_STATUSES.has(before.status))) return 'download.finished';
  return before ? 'download.status' : undefined;
}

/** Download Station tasks: one task list per poll (v1 or DS2, whichever DSM serves). */
export const downloadTasks: WatchSource<DownloadTask> = {
  name: 'download',
  label: 'Download Station tasks',
  statuses: TASK_STATUSES,

  async poll({ client, signal }) {
    return snapshotOf(await new DownloadStation(client).list({ signal }));
  },

  async diff(before, now, { emitCurrent }) {
    if (!before) return emitCurrent ? [...now.values()].map((t) => event('download.current', t, null)) : [];
    const { added, removed, kept } = compare(before, now);
    const events: WatchEvent[] = [];
    for (const task of added) {
      events.push(event('download.added', task, null));
      // Finished or failed between two polls: still told, or a fast download would never be reported.
      const topic = statusTopic(task, null);
      if (topic) events.push(event(topic, task, null));
    }
    for (const [old, task] of kept) {
      if (old.status !== task.status) {
        const topic = statusTopic(task, old);
        if (topic) events.push(event(topic, task, old));
      } else if (old.progress !== task.progress || old.downloaded !== task.downloaded) {
        events.push(event('download.progress', task, old, true));
      }
    }
    for (const task of removed) events.push(event('download.removed', task, task));
    return events;
  },
};
