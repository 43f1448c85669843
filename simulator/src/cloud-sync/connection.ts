import type { LocalFile } from './local-folder';

/**
 * The cloud types the simulator offers, with the type_id and display name of N4S4's list_conn example
 * (cloud_sync.py get_connections): Dropbox `db` 2, OneDrive `od_v1` 22.
 */
export const CLOUD_TYPES = {
  db: { typeId: 2, displayName: 'Dropbox' },
  od_v1: { typeId: 22, displayName: 'Microsoft OneDrive' },
} as const;

export type CloudType = keyof typeof CLOUD_TYPES;

/** What a failing connection carries in list_conn (optional members of mikespub's list_conn schema). */
export interface SyncFailure {
  error: number;
  errorDesc: string;
  errorType: string;
}

/** One get_log item, keys as mikespub's get_log schema; kept with the pass that wrote it. */
export interface LogEntry {
  action: number;
  error_code: number;
  file_name: string;
  file_type: string;
  log_level: number;
  path: string;
  session_id: number;
  time: number;
}

/** get_log actions (N4S4 get_connection_logs): 0 delete remote, 1 download, 2 upload, 3 delete local, ... */
export const LogAction = { DeleteRemote: 0, Download: 1, Upload: 2, DeleteLocal: 3 } as const;
export const LogLevel = { Info: 0, Warning: 1, Error: 2 } as const;

/** get_selective_sync_config / set_selective_sync_config (mikespub schema; N4S4 set_task_filters). */
export interface SelectiveSyncConfig {
  filtered_extensions: string[];
  filtered_max_upload_size: number;
  filtered_names: string[];
  filtered_paths: string[];
  user_defined_extensions: string[];
  user_defined_names: string[];
}

/** get_connection_setting's answer (mikespub schema; values of N4S4's Dropbox example). */
export interface ConnectionSettings {
  client_type: string;
  isSSE: boolean;
  is_enabled_schedule: boolean;
  max_download_speed: number;
  max_upload_speed: number;
  part_size: number;
  pull_event_period: number;
  schedule_info: string;
  storage_class: string;
  task_name: string;
}

/** A change a sync pass found in the local folder: a new or changed file to upload, or a removed one. */
export interface PendingChange {
  readonly file: LocalFile;
  readonly removed: boolean;
}

/** A sync task of a connection (DSM's "session"): a local folder paired with a remote one. */
export class CloudSession {
  filters: SelectiveSyncConfig = {
    filtered_extensions: [],
    filtered_max_upload_size: 0,
    filtered_names: [],
    filtered_paths: [],
    user_defined_extensions: [],
    user_defined_names: [],
  };
  /** What the last successful pass uploaded: path -> size and mtime. */
  readonly synced = new Map<string, LocalFile>();
  pending: PendingChange[] = [];

  constructor(
    readonly id: number,
    readonly connectionId: number,
    readonly localPath: string,
    readonly remotePath: string,
    readonly remoteFolderId: string,
    readonly syncDirection: 'BIDIRECTION' | 'ONLY_UPLOAD' | 'ONLY_DOWNLOAD' = 'BIDIRECTION',
  ) {}

  /** The last path segment of the local folder: get_recently_change's `syncfolder_basename`. */
  get folderName(): string {
    return this.localPath.slice(this.localPath.lastIndexOf('/') + 1);
  }
}

/** A Cloud Sync connection (one cloud account) and its sessions, moving on with the simulator clock. */
export class CloudConnection {
  paused = false;
  failure: SyncFailure | undefined;
  /** Start of the running sync pass; undefined between passes. */
  syncingSince: number | undefined;
  nextSyncAt: number;
  readonly log: LogEntry[] = [];
  /** Entries of the last finished pass: list_conn's notification. */
  lastPassEntries: LogEntry[] = [];

  constructor(
    readonly id: number,
    readonly owner: string,
    readonly type: CloudType,
    readonly cloudUserId: string,
    readonly cloudUserName: string,
    readonly settings: ConnectionSettings,
    readonly sessions: CloudSession[],
    createdAt: number,
  ) {
    this.nextSyncAt = createdAt;
  }

  get typeId(): number {
    return CLOUD_TYPES[this.type].typeId;
  }

  get unfinishedFiles(): number {
    return this.sessions.reduce((count, session) => count + session.pending.length, 0);
  }

  /** Only the sourced tokens `syncing` and `uptodate`, plus `pause` (unsourced) while paused. */
  get status(): string {
    if (this.paused) return 'pause';
    return this.syncingSince !== undefined || this.failure ? 'syncing' : 'uptodate';
  }
}
