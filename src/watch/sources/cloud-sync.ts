import {
  CLOUD_SYNC_STATES,
  CloudSync,
  type CloudSyncConnection,
  type CloudSyncLogEntry,
  type LogCursor,
} from '../../dsm';
import {
  compare,
  summary,
  type PollContext,
  type Snapshot,
  type Subject,
  type WatchEvent,
  type WatchSource,
} from '../source';

/**
 * A connection as list_conn gave it, with the package-wide `notification` of that answer (DSM has one for all
 * connections: wire-notes "list_conn"); a sync pass that logged something changes it.
 */
export interface WatchedConnection extends CloudSyncConnection {
  notification: string;
}

/** What the log reads compare with: the notification and each connection's state key, as last polled. */
interface LastSeen {
  notification: string;
  states: Record<string, string>;
}

const subjectOf = (conn: CloudSyncConnection): Subject => ({
  id: String(conn.id),
  status: conn.state,
  name: conn.name,
});

/** What makes a change of state: the state word, DSM's status and error, the cloud link. */
function stateKey(conn: CloudSyncConnection): string {
  return JSON.stringify([conn.state, conn.status, conn.error, conn.errorCode, conn.linked]);
}

function lastSeen(snapshot: Snapshot<WatchedConnection>): LastSeen {
  const notification = [...snapshot.values()][0]?.notification ?? 'null';
  return {
    notification,
    states: Object.fromEntries([...snapshot].map(([id, conn]) => [id, stateKey(conn)])),
  };
}

function withoutNotification(conn: WatchedConnection): CloudSyncConnection {
  const copy: Partial<WatchedConnection> = { ...conn };
  delete copy.notification;
  return copy as CloudSyncConnection;
}

function connectionEvent(
  topic: string,
  conn: WatchedConnection,
  previous: WatchedConnection | null,
): WatchEvent {
  return {
    topic,
    item: withoutNotification(conn),
    previous: previous && summary(withoutNotification(previous)),
    subject: subjectOf(conn),
    subjectBefore: previous && subjectOf(previous),
  };
}

function errorEvent(entry: CloudSyncLogEntry, conn: WatchedConnection): WatchEvent {
  const { id, name, state, status, error } = conn;
  return {
    topic: 'cloudsync.error',
    item: { ...entry, connection: { id, name, state, status, error } },
    previous: null,
    subject: subjectOf(conn),
    subjectBefore: null,
  };
}

/**
 * The error entries after the connection's cursor, and where the cursor goes next (written by the caller once every
 * read of the poll succeeded: a failed read leaves all cursors where they were, so nothing is lost or told twice). A
 * connection with no cursor yet: when it is new, its whole log is news; when it was there before the watch began, its
 * log so far is history, so the cursor is only set.
 */
async function newErrors(
  cloudSync: CloudSync,
  conn: WatchedConnection,
  isNew: boolean,
  { memory, signal }: PollContext,
): Promise<{ entries: CloudSyncLogEntry[]; key: string; cursor?: LogCursor }> {
  const key = `cursor_${conn.id}`;
  const stored = await memory.get<LogCursor>(key);
  const from = stored ?? (isNew ? { time: 0, seen: [] } : undefined);
  const result = await cloudSync.logsAfter(conn, from, { level: 'error', signal });
  const moved = JSON.stringify(result.cursor) !== JSON.stringify(stored);
  return { entries: from ? result.entries : [], key, cursor: moved ? result.cursor : undefined };
}

/**
 * Cloud Sync connections: one list_conn per poll. The log (get_log, errors only) is read only for connections whose
 * state changed, or for all when the package-wide notification changed, from a cursor kept in node context so that
 * each error entry is told once, across restarts too when the context store is persistent. What was last seen is kept
 * there as well: after a restart, a connection unchanged since then costs no log read.
 */
export const cloudSyncConnections: WatchSource<WatchedConnection> = {
  name: 'cloudsync',
  label: 'Cloud Sync connections',
  statuses: CLOUD_SYNC_STATES,
  connections: true,

  async poll({ client, signal }) {
    const overview = await new CloudSync(client).overview({ signal });
    const notification = JSON.stringify(overview.raw.notification ?? null);
    return new Map(overview.connections.map((conn) => [String(conn.id), { ...conn, notification }]));
  },

  async diff(before, now, context) {
    const events: WatchEvent[] = [];
    if (before) {
      const { added, removed, kept } = compare(before, now);
      for (const conn of added) events.push(connectionEvent('cloudsync.added', conn, null));
      for (const [old, conn] of kept)
        if (stateKey(old) !== stateKey(conn)) events.push(connectionEvent('cloudsync.state', conn, old));
      for (const conn of removed) events.push(connectionEvent('cloudsync.removed', conn, conn));
    } else if (context.emitCurrent) {
      for (const conn of now.values()) events.push(connectionEvent('cloudsync.current', conn, null));
    }

    const previous = before ? lastSeen(before) : await context.memory.get<LastSeen>('lastSeen');
    const current = lastSeen(now);
    const cloudSync = new CloudSync(context.client);
    const cursors = new Map<string, LogCursor>();
    for (const [id, conn] of now) {
      if (!context.wanted(subjectOf(conn))) continue;
      const stateBefore = previous?.states[id];
      const changed =
        stateBefore === undefined ||
        stateBefore !== current.states[id] ||
        previous?.notification !== current.notification;
      if (!changed) continue;
      const isNew = before !== undefined && !before.has(id);
      const read = await newErrors(cloudSync, conn, isNew, context);
      for (const entry of read.entries) events.push(errorEvent(entry, conn));
      if (read.cursor) cursors.set(read.key, read.cursor);
    }
    for (const [key, cursor] of cursors) await context.memory.set(key, cursor);
    if (JSON.stringify(previous) !== JSON.stringify(current)) await context.memory.set('lastSeen', current);
    return events;
  },
};
