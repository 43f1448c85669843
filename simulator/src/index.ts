export { startSimulator, type SimulatorHandle } from './server';
export {
  DEFAULT_USERS,
  DOWNLOAD_STATION_API_SETS,
  type DownloadStationApis,
  type SimulatorOptions,
  type SimulatorProfileName,
  type SimulatorTlsMaterial,
  type SimulatorUser,
} from './options';
export type { SimulatorControl } from './control';
export type { CloudSyncConnectionSpec, CloudSyncFailureSpec } from './cloud-sync/control';
export type { CountersSnapshot } from './counters';
export type { Fault, FaultSpec } from './faults';
export type { RequestLogEntry } from './request-log';
export type { SessionSummary } from './sessions';
export { decodeJsonParam } from './params';
export { DEFAULT_TLS_CERT, DEFAULT_TLS_KEY } from './default-tls';
