import type { DsmClient } from '../../client';
import { DsmError, inputError } from '../../errors';
import { optionalBoolean, optionsObject } from '../file-station/options';
import { callCloudSync } from './apis';
import { toOverview, type CloudSyncConnection, type CloudSyncOverview } from './connection';
import {
  checkCursor,
  checkLogOptions,
  readLogs,
  readLogsAfter,
  type CloudSyncLogPage,
  type LogAction,
  type LogCursor,
  type LogLevel,
  type LogOptions,
  type LogsAfterResult,
} from './logs';
import {
  checkSchedule,
  toConfig,
  toProperty,
  toRecentChanges,
  toSettings,
  type CloudSyncConfig,
  type ConnectionProperty,
  type ConnectionSettings,
  type RecentChanges,
} from './settings';
import { checkConnectionRefs, matchConnections, type ConnectionRef, type ConnectionRefs } from './targets';
import { toTask, type CloudSyncTask } from './task';

export type { CloudSyncConnection, CloudSyncOverview, CloudSyncState } from './connection';
export type { CloudSyncTask, SyncDirection } from './task';
export type {
  CloudSyncLogEntry,
  CloudSyncLogPage,
  LogAction,
  LogCursor,
  LogLevel,
  LogOptions,
  LogsAfterResult,
} from './logs';
export type { CloudSyncConfig, ConnectionProperty, ConnectionSettings, RecentChanges } from './settings';
export type { ConnectionRef, ConnectionRefs } from './targets';
export { CLOUD_SYNC_STATES, toConnection, toOverview } from './connection';
export { toTask } from './task';
export { LOG_ACTIONS, LOG_LEVELS, checkLogAction, checkLogLevel, checkTime, toLogEntry } from './logs';
export { checkConnectionRefs } from './targets';

type Signal = { signal?: AbortSignal };

/** What pause or resume did. */
export interface ConnectionActionResult {
  action: 'pause' | 'resume';
  /** True when the whole package was paused or resumed (every connection, DSM's call without connection_id). */
  all: boolean;
  /** The connections it acted on. */
  connections: { id: number; name: string }[];
}

/**
 * Cloud Sync on one DSM connection (SYNO.CloudSync). **Synology does not document this API**: its methods and
 * shapes come from public clients (N4S4/synology-api, mikespub/synology's schemas of real DSM 7.x answers), and
 * were checked against DSM 7.2.2 (API list) and DSM 7.x answers; no source records the Cloud Sync package version.
 * A DSM update may change it. Every method answers "Cloud Sync is not installed or is stopped" (code 102) when
 * the package is missing.
 *
 * Connections are named by id, by name, or by a connection from {@link CloudSync.connections}; an unknown id or
 * name is refused (naming the argument) before anything is sent.
 */
export class CloudSync {
  constructor(private readonly client: DsmClient) {}

  /** Every connection with its normalized state, and the package-wide pause flag: one request (`list_conn`). */
  async overview(options?: Signal): Promise<CloudSyncOverview> {
    const { signal } = optionsObject(options);
    return toOverview(
      await callCloudSync(this.client, 'list_conn', { is_tray: false, group_by: 'group_by_user' }, signal),
    );
  }

  /** Every connection with its normalized state (one request). */
  async connections(options?: Signal): Promise<CloudSyncConnection[]> {
    return (await this.overview(options)).connections;
  }

  /** One connection, by id, name, or a connection from connections(). */
  async connection(connection: ConnectionRef, options?: Signal): Promise<CloudSyncConnection> {
    const { signal } = optionsObject(options);
    const refs = checkConnectionRefs('connection', connection);
    if (refs === 'all' || refs.length !== 1) throw inputError('connection', 'must name one connection');
    return matchConnections('connection', refs, await this.connections({ signal }))[0];
  }

  /** The sync tasks (folder pairs) of a connection (`list_sess`). */
  async tasks(connection: ConnectionRef, options?: Signal): Promise<CloudSyncTask[]> {
    const { signal } = optionsObject(options);
    const conn = await this.one(connection, signal);
    const data = await callCloudSync<{ sess?: unknown }>(
      this.client,
      'list_sess',
      { connection_id: conn.id },
      signal,
    );
    const paused = conn.state === 'paused';
    return (Array.isArray(data?.sess) ? data.sess : []).map((sess) => toTask(sess, paused));
  }

  /** One page of a connection's log, newest first (`get_log`), filtered by level, keyword, action and time. */
  async logs(connection: ConnectionRef, options?: LogOptions): Promise<CloudSyncLogPage> {
    const checked = optionsObject(options);
    const query = checkLogOptions(checked);
    const conn = await this.one(connection, checked.signal);
    return readLogs(this.client, conn.id, query, checked.signal);
  }

  /**
   * The log entries after `cursor`, oldest first, and the cursor for the next call (plain JSON: keep it between
   * polls). Without a cursor: every matching entry. For watching: `logsAfter(conn, cursor, { level: 'error' })`.
   * A connection from connections() is used as it is (no extra listing).
   */
  async logsAfter(
    connection: ConnectionRef,
    cursor: LogCursor | undefined,
    options?: Signal & { level?: LogLevel; keyword?: string; action?: LogAction; maxEntries?: number },
  ): Promise<LogsAfterResult> {
    const checked = optionsObject(options);
    const from = checkCursor('cursor', cursor);
    checkLogOptions({ level: checked.level, keyword: checked.keyword, action: checked.action });
    const conn = await this.one(connection, checked.signal);
    return readLogsAfter(this.client, conn.id, from, checked);
  }

  /**
   * Pauses connections: one (id, name or connection), several (a list), or all (`'all'` or nothing: DSM's
   * `pause` without connection_id pauses the whole package). Pausing a paused connection is harmless.
   */
  pause(connections?: ConnectionRefs, options?: Signal): Promise<ConnectionActionResult> {
    return this.act('pause', connections, options);
  }

  /** Resumes connections: one, several, or all (`'all'` or nothing). */
  resume(connections?: ConnectionRefs, options?: Signal): Promise<ConnectionActionResult> {
    return this.act('resume', connections, options);
  }

  /** The latest synced files and those syncing now, over all connections (`get_recently_change`). */
  async recentChanges(options?: Signal): Promise<RecentChanges> {
    const { signal } = optionsObject(options);
    return toRecentChanges(await callCloudSync(this.client, 'get_recently_change', {}, signal));
  }

  /** A connection's settings: schedule, speed limits, polling period (`get_connection_setting`). */
  async connectionSettings(connection: ConnectionRef, options?: Signal): Promise<ConnectionSettings> {
    const { signal } = optionsObject(options);
    const conn = await this.one(connection, signal);
    return toSettings(
      await callCloudSync(this.client, 'get_connection_setting', { connection_id: conn.id }, signal),
    );
  }

  /** The cloud account behind a connection: type, account name, quota (`get_property`). */
  async property(connection: ConnectionRef, options?: Signal): Promise<ConnectionProperty> {
    const { signal } = optionsObject(options);
    const conn = await this.one(connection, signal);
    return toProperty(await callCloudSync(this.client, 'get_property', { connection_id: conn.id }, signal));
  }

  /**
   * Turns a connection's sync schedule on or off (`set_schedule_setting`). `schedule`: seven strings (Sunday first)
   * of 24 `0`/`1`, one per hour; without it the connection keeps its current hours.
   */
  async setSchedule(
    connection: ConnectionRef,
    settings: { enabled: boolean; schedule?: readonly string[] | string },
    options?: Signal,
  ): Promise<ConnectionSettings> {
    const { signal } = optionsObject(options);
    const given = optionsObject(settings);
    const enabled = optionalBoolean('enabled', given.enabled);
    if (enabled === undefined) throw inputError('enabled', 'is missing: give true or false');
    const wanted = given.schedule === undefined ? undefined : checkSchedule('schedule', given.schedule);
    const conn = await this.one(connection, signal);
    const current = wanted ?? (await this.connectionSettings(conn, { signal })).schedule.join('');
    await callCloudSync(
      this.client,
      'set_schedule_setting',
      // N4S4 set_connection_schedule: is_enabled_schedule and the 168-character schedule_info.
      { connection_id: conn.id, is_enabled_schedule: enabled, schedule_info: current || '1'.repeat(168) },
      signal,
    );
    return this.connectionSettings(conn, { signal });
  }

  /** Cloud Sync's package settings (`get_config`). */
  async config(options?: Signal): Promise<CloudSyncConfig> {
    const { signal } = optionsObject(options);
    return toConfig(await callCloudSync(this.client, 'get_config', {}, signal));
  }

  /** A connection from connections() as it is; an id or a name looked up in a listing. */
  private async one(connection: ConnectionRef, signal?: AbortSignal): Promise<CloudSyncConnection> {
    if (isListedConnection(connection)) return connection;
    return this.connection(connection, { signal });
  }

  private async act(
    action: 'pause' | 'resume',
    connections: ConnectionRefs | undefined,
    options?: Signal,
  ): Promise<ConnectionActionResult> {
    const { signal } = optionsObject(options);
    const refs = connections === undefined ? 'all' : checkConnectionRefs('connection', connections);
    const listed = await this.connections({ signal });
    if (refs === 'all') {
      // Without connection_id DSM acts on every connection (N4S4 connection_pause/resume; wire-notes).
      await callCloudSync(this.client, action, {}, signal);
      return { action, all: true, connections: listed.map(({ id, name }) => ({ id, name })) };
    }
    const targets = matchConnections('connection', refs, listed);
    const done: { id: number; name: string }[] = [];
    for (const target of targets) {
      try {
        await callCloudSync(this.client, action, { connection_id: target.id }, signal);
      } catch (err) {
        if (!(err instanceof DsmError) || done.length === 0) throw err;
        const already = done.map((c) => c.id).join(', ');
        throw new DsmError({
          ...err.toJSON(),
          reason: `${err.reason} (connection ${target.id}; connection ${already} already ${action}d)`,
        });
      }
      done.push({ id: target.id, name: target.name });
    }
    return { action, all: false, connections: done };
  }
}

function isListedConnection(value: unknown): value is CloudSyncConnection {
  const conn = value as Partial<CloudSyncConnection> | null;
  return (
    conn !== null &&
    typeof conn === 'object' &&
    typeof conn.id === 'number' &&
    Number.isInteger(conn.id) &&
    typeof conn.state === 'string' &&
    typeof conn.raw === 'object'
  );
}
