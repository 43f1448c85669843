import { createHash } from 'node:crypto';
import type { SimulatorClock } from '../clock';
import type { FileSpace } from '../file-station/dsm-path';
import {
  CLOUD_TYPES,
  CloudConnection,
  CloudSession,
  type CloudType,
  type LogEntry,
  LogAction,
  LogLevel,
  type PendingChange,
  type SyncFailure,
} from './connection';
import { type LocalFile, scanSyncFolder } from './local-folder';

/** How long a sync pass stays `syncing` (simulator clock). */
export const SYNC_PASS_MS = 5_000;
/** pull_event_period of N4S4's get_connection_settings example: a pass starts every 60 s. */
const PULL_EVENT_PERIOD_S = 60;
/** log_count of N4S4's get_pkg_config example: entries kept per connection. */
export const LOG_COUNT = 20_000;
const ALL_HOURS = '1'.repeat(7 * 24);

/** The defaults of a failure started from the control surface. */
export const DEFAULT_FAILURE: SyncFailure = {
  // -12 is the session error of a connection stuck on "Unknown error occurs" (session_table.error,
  // blog.wains.be 2020-03-10); error_type has no sourced value.
  error: -12,
  errorDesc: 'Unknown error occurs',
  errorType: 'unknown',
};

export interface NewConnection {
  owner: string;
  localPath: string;
  type?: CloudType;
  taskName?: string;
  remotePath?: string;
  cloudUserName?: string;
}

/**
 * Cloud Sync's state: connections, their sessions and logs. Every pull_event_period a connection runs a sync
 * pass: `syncing` for SYNC_PASS_MS with the local folder's changes as unfinished files, then `uptodate` with
 * one log entry per file (2 upload, 0 delete remote). A failing connection stays `syncing` and writes
 * level-2 entries each pass until it recovers. Every look first brings the state up to the clock's present.
 */
export class CloudSync {
  installed: boolean;
  private readonly connections = new Map<number, CloudConnection>();
  private nextConnectionId = 1;
  private nextSessionId = 1;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(
    installed: boolean,
    private readonly clock: SimulatorClock,
    private readonly files: FileSpace,
  ) {
    this.installed = installed;
    clock.onAdvance(() => this.update());
  }

  /** Adds a connection with one session; its first pass runs at once, so it starts `uptodate` with a log. */
  add(spec: NewConnection): CloudConnection {
    const type = spec.type ?? 'db';
    if (!Object.hasOwn(CLOUD_TYPES, type)) throw new RangeError(`Unknown cloud type ${String(type)}`);
    const localPath = this.files.locate(spec.localPath).path;
    const id = this.nextConnectionId++;
    const taskName = spec.taskName ?? CLOUD_TYPES[type].displayName;
    const cloudUserName = spec.cloudUserName ?? spec.owner;
    const sessionId = this.nextSessionId++;
    const session = new CloudSession(
      sessionId,
      id,
      localPath,
      spec.remotePath ?? `/${localPath.slice(localPath.lastIndexOf('/') + 1)}`,
      `id:${digest(`${id}/${sessionId}`, 22)}`,
    );
    const connection = new CloudConnection(
      id,
      spec.owner,
      type,
      type === 'db' ? `dbid:${digest(cloudUserName, 26)}` : digest(cloudUserName, 16),
      cloudUserName,
      {
        client_type: type,
        isSSE: false,
        is_enabled_schedule: false,
        max_download_speed: 0,
        max_upload_speed: 0,
        part_size: 0,
        pull_event_period: PULL_EVENT_PERIOD_S,
        schedule_info: ALL_HOURS,
        storage_class: '',
        task_name: taskName,
      },
      [session],
      this.clock.now(),
    );
    this.update();
    const createdAt = connection.nextSyncAt;
    this.startPass(connection, createdAt);
    this.finishPass(connection, createdAt);
    this.connections.set(id, connection);
    this.schedule(this.clock.now());
    return connection;
  }

  list(): CloudConnection[] {
    this.update();
    return [...this.connections.values()];
  }

  find(id: number): CloudConnection | undefined {
    this.update();
    return this.connections.get(id);
  }

  findSession(id: number): CloudSession | undefined {
    for (const connection of this.list()) {
      const session = connection.sessions.find((candidate) => candidate.id === id);
      if (session) return session;
    }
    return undefined;
  }

  /** `is_pause` of list_conn: every connection is paused (pause without connection_id). */
  get allPaused(): boolean {
    const all = this.list();
    return all.length > 0 && all.every((connection) => connection.paused);
  }

  /** A running pass stops where it is (its changes stay unfinished); no pass starts until resume. */
  pause(connection: CloudConnection): void {
    this.update();
    connection.paused = true;
    connection.syncingSince = undefined;
    this.schedule(this.clock.now());
  }

  /** A resumed connection starts a pass at once. */
  resume(connection: CloudConnection): void {
    this.update();
    if (!connection.paused) return;
    connection.paused = false;
    connection.nextSyncAt = this.clock.now();
    this.update();
  }

  fail(connection: CloudConnection, failure: SyncFailure): void {
    this.update();
    connection.failure = { ...failure };
    this.update();
  }

  /** The failure ends; the next pass (now) uploads what is pending. */
  recover(connection: CloudConnection): void {
    this.update();
    if (!connection.failure) return;
    connection.failure = undefined;
    if (connection.syncingSince === undefined && !connection.paused) connection.nextSyncAt = this.clock.now();
    this.update();
  }

  /** Newest first, across every connection: get_recently_change's history. */
  latestEntries(count: number): LogEntry[] {
    return this.list()
      .flatMap((connection) => connection.log.slice(-count))
      .sort((a, b) => b.time - a.time)
      .slice(0, count);
  }

  now(): number {
    return this.clock.now();
  }

  /** Plays every pass due up to the present and schedules the next change. */
  update(): void {
    if (this.stopped) return;
    const now = this.clock.now();
    for (const connection of this.connections.values()) this.advance(connection, now);
    this.schedule(now);
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
  }

  private advance(connection: CloudConnection, now: number): void {
    const periodMs = connection.settings.pull_event_period * 1000;
    while (!connection.paused) {
      if (connection.syncingSince !== undefined) {
        const end = connection.syncingSince + SYNC_PASS_MS;
        if (now < end) return;
        this.finishPass(connection, end);
        continue;
      }
      if (now < connection.nextSyncAt) return;
      // After a long clock jump only the last two passes are played: the folder is the same for all of them.
      const behind = Math.floor((now - connection.nextSyncAt) / periodMs);
      if (behind > 1) connection.nextSyncAt += (behind - 1) * periodMs;
      this.startPass(connection, connection.nextSyncAt);
    }
  }

  private startPass(connection: CloudConnection, at: number): void {
    connection.syncingSince = at;
    connection.nextSyncAt = at + connection.settings.pull_event_period * 1000;
    for (const session of connection.sessions) session.pending = this.changes(session);
  }

  private finishPass(connection: CloudConnection, at: number): void {
    connection.syncingSince = undefined;
    const time = Math.floor(at / 1000);
    const entries: LogEntry[] = [];
    for (const session of connection.sessions) {
      if (connection.failure) {
        entries.push(...failedEntries(session, connection.failure.error, time));
        continue;
      }
      for (const change of session.pending) {
        entries.push(entry(session, change, 0, LogLevel.Info, time));
        if (change.removed) session.synced.delete(change.file.path);
        else session.synced.set(change.file.path, change.file);
      }
      session.pending = [];
    }
    connection.log.push(...entries);
    if (connection.log.length > LOG_COUNT) connection.log.splice(0, connection.log.length - LOG_COUNT);
    if (entries.length > 0) connection.lastPassEntries = entries;
  }

  /** New or changed files (by size and mtime) and removed ones, selective sync filters applied. */
  private changes(session: CloudSession): PendingChange[] {
    const current = scanSyncFolder(this.files, session.localPath).filter((file) => included(session, file));
    const seen = new Set(current.map((file) => file.path));
    const changed: PendingChange[] = current
      .filter((file) => {
        const before = session.synced.get(file.path);
        return before === undefined || before.size !== file.size || before.mtimeMs !== file.mtimeMs;
      })
      .map((file) => ({ file, removed: false }));
    const removed: PendingChange[] = [...session.synced.values()]
      .filter((file) => !seen.has(file.path))
      .map((file) => ({ file, removed: true }));
    return [...changed, ...removed];
  }

  private schedule(now: number): void {
    clearTimeout(this.timer);
    if (this.stopped) return;
    const due = [...this.connections.values()]
      .filter((connection) => !connection.paused)
      .map((connection) =>
        connection.syncingSince === undefined
          ? connection.nextSyncAt
          : connection.syncingSince + SYNC_PASS_MS,
      );
    if (due.length === 0) return;
    const delay = Math.max(0, Math.min(...due) - now);
    this.timer = setTimeout(() => this.update(), Math.min(delay + 1, 2 ** 31 - 1));
    this.timer.unref();
  }
}

function entry(session: CloudSession, change: PendingChange, errorCode: number, level: number, time: number) {
  return {
    action: change.removed ? LogAction.DeleteRemote : LogAction.Upload,
    error_code: errorCode,
    file_name: change.file.name,
    file_type: 'file',
    log_level: level,
    path: change.file.path,
    session_id: session.id,
    time,
  };
}

/** A failing pass: a level-2 entry per pending change, or one for the sync folder when nothing is pending. */
function failedEntries(session: CloudSession, errorCode: number, time: number): LogEntry[] {
  if (session.pending.length > 0) {
    return session.pending.map((change) => entry(session, change, errorCode, LogLevel.Error, time));
  }
  return [
    {
      action: LogAction.Upload,
      error_code: errorCode,
      file_name: session.folderName,
      file_type: 'dir',
      log_level: LogLevel.Error,
      path: session.localPath,
      session_id: session.id,
      time,
    },
  ];
}

/** Selective sync: names, extensions (filtered and user-defined), folders below the sync folder, max size. */
function included(session: CloudSession, file: LocalFile): boolean {
  const filters = session.filters;
  const dot = file.name.lastIndexOf('.');
  const extension = dot > 0 ? file.name.slice(dot + 1).toLowerCase() : '';
  const extensions = [...filters.filtered_extensions, ...filters.user_defined_extensions].map((item) =>
    item.toLowerCase(),
  );
  if (extension !== '' && extensions.includes(extension)) return false;
  if ([...filters.filtered_names, ...filters.user_defined_names].includes(file.name)) return false;
  if (filters.filtered_paths.some((path) => file.relativePath.startsWith(`${path.replace(/\/+$/, '')}/`))) {
    return false;
  }
  return filters.filtered_max_upload_size <= 0 || file.size <= filters.filtered_max_upload_size;
}

function digest(text: string, length: number): string {
  return createHash('sha256').update(text).digest('base64url').slice(0, length);
}
