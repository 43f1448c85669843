export { DsmClient } from './client';
export type { DsmClientOptions, CallOptions, LoginOptions, ConnectionState } from './client';
export { DsmError, inputError } from './errors';
export type { DsmErrorKind, DsmErrorFields, PathFailure } from './errors';
export type { TlsOptions } from './tls';
export { normalizeFingerprint, checkCaPem } from './tls';
export type { ApiInfoEntry, ApiInfoMap } from './discovery';
export { describeDsmCode } from './error-codes';
export { FileStation, checkItemPath, checkDsmPath } from './api/file-station';
export type * from './api/file-station';
export { DownloadStation, TASK_STATUSES, DONE_STATUSES } from './api/download-station';
export type {
  DownloadTask,
  CreateOptions,
  CreateResult,
  CreateSource,
  ListOptions as DownloadListOptions,
  TaskActionResult,
  DeleteResult,
  DownloadStatistics,
} from './api/download-station';
export { CloudSync, CLOUD_SYNC_STATES, LOG_LEVELS, LOG_ACTIONS } from './api/cloud-sync';
export type {
  CloudSyncConnection,
  CloudSyncOverview,
  CloudSyncState,
  CloudSyncTask,
  CloudSyncLogEntry,
  CloudSyncLogPage,
  CloudSyncConfig,
  ConnectionActionResult,
  ConnectionProperty,
  ConnectionSettings,
  ConnectionRef,
  ConnectionRefs,
  LogCursor,
  LogOptions as CloudSyncLogOptions,
  LogsAfterResult,
  RecentChanges,
} from './api/cloud-sync';
export { DsmSystem, HEALTH_PARTS, HEALTHS, DEFAULT_DISK_TEMPERATURE } from './api/system';
export type {
  Health,
  HealthItem,
  HealthKind,
  HealthPart,
  HealthSnapshot,
  PartialHealthSnapshot,
  SnapshotOptions,
  DiskHealth,
  PoolHealth,
  VolumeHealth,
  SystemHealth,
  TemperatureReading,
  DiskTemperatureLimits,
  Utilisation,
  UpdateHealth,
  BackupTask,
  BackupTaskRef,
  PingResult,
  PingState,
} from './api/system';
