import {
  type CloudSyncConnectionSpec,
  type CloudSyncFailureSpec,
  cloudSyncControl,
} from './cloud-sync/control';
import type { CountersSnapshot } from './counters';
import type { DownloadTask } from './download-station/task';
import type { Fault, FaultSpec } from './faults';
import { checkDownloadStationApis, type DownloadStationApis } from './options';
import type { RequestLogEntry } from './request-log';
import type { SessionSummary } from './sessions';
import type { SimulatorState } from './state';

/** What tests can do to a running simulator that a real DSM does not offer. Also served under /sim/. */
export interface SimulatorControl {
  counters(): CountersSnapshot;
  resetCounters(): void;
  /** The next `count` matching /webapi requests fail, reset the connection or are delayed. */
  injectFault(fault: FaultSpec): void;
  clearFaults(): void;
  pendingFaults(): Fault[];
  /** Moves the simulator clock forward; returns the new time (ms). */
  advanceClock(ms: number): number;
  now(): number;
  /** Every session answers 106 on its next use. */
  expireAllSessions(): void;
  /** Every session answers 105 from now on, as after a NAS reboot. */
  invalidateAllSessions(): void;
  sessions(): SessionSummary[];
  /** The currently valid TOTP code of a 2FA user. */
  totpCode(username: string): string;
  unblockAll(): void;
  /** The last ~200 /webapi requests, oldest first, secrets masked. */
  requestLog(): RequestLogEntry[];
  clearRequestLog(): void;
  /** Every sid, SynoToken and device token issued so far: for tests that check none of them leaks. */
  issuedSecrets(): string[];
  /** Installs or removes Download Station: its APIs appear in or vanish from API.Info (102 meanwhile). */
  setDownloadStationInstalled(installed: boolean): void;
  /** Which Download Station APIs it offers: 'both', 'ds2-only', 'v1-only' or 'ds2-task-v1' (see the option). */
  setDownloadStationApis(apis: DownloadStationApis): void;
  /** A Download Station task (any account's) finishes now: its file appears in its destination. */
  finishDownloadTask(id: string): void;
  /** A Download Station task fails with this status_extra.error_detail (a string or, as DSM sometimes sends, a number). */
  failDownloadTask(id: string, errorDetail: string | number): void;
  /** Installs or removes Cloud Sync: SYNO.CloudSync appears in or vanishes from API.Info (102 meanwhile). */
  setCloudSyncInstalled(installed: boolean): void;
  /** Adds a Cloud Sync connection with one session syncing a folder of the data folder; its first pass runs now. */
  addCloudSyncConnection(spec: CloudSyncConnectionSpec): { id: number; sessionId: number };
  /** The connection fails: error, error_desc, error_type in list_conn and level-2 log entries every pass. */
  failCloudSyncConnection(id: number, failure?: CloudSyncFailureSpec): void;
  /** The failure ends; a pass starts now and uploads what was pending. */
  recoverCloudSyncConnection(id: number): void;
}

export function createControl(sim: SimulatorState): SimulatorControl {
  return {
    counters: () => sim.counters.snapshot(sim.sessions.activeCount()),
    resetCounters: () => sim.counters.reset(),
    injectFault: (fault) => sim.faults.add(fault),
    clearFaults: () => sim.faults.clear(),
    pendingFaults: () => sim.faults.pending(),
    advanceClock: (ms) => sim.clock.advance(ms),
    now: () => sim.clock.now(),
    expireAllSessions: () => sim.sessions.expireAll(),
    invalidateAllSessions: () => sim.sessions.invalidateAll(),
    sessions: () => sim.sessions.list(),
    totpCode: (username) => sim.accounts.currentOtp(username, sim.clock.now()),
    unblockAll: () => sim.loginGuard.unblockAll(),
    requestLog: () => sim.requestLog.list(),
    clearRequestLog: () => sim.requestLog.clear(),
    issuedSecrets: () => [...sim.sessions.issued, ...sim.accounts.issuedDeviceIds],
    setDownloadStationInstalled: (installed) => {
      sim.downloads.installed = installed;
    },
    setDownloadStationApis: (apis) => {
      sim.downloads.apis = checkDownloadStationApis(apis);
    },
    finishDownloadTask: (id) => sim.downloads.finishNow(downloadTask(sim, id)),
    failDownloadTask: (id, errorDetail) => sim.downloads.fail(downloadTask(sim, id), errorDetail),
    ...cloudSyncControl(sim),
  };
}

function downloadTask(sim: SimulatorState, id: string): DownloadTask {
  const task = sim.downloads.findAny(id);
  if (!task) throw new RangeError(`No Download Station task ${id}`);
  return task;
}
