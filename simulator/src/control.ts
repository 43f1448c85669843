import {
  type CloudSyncConnectionSpec,
  type CloudSyncFailureSpec,
  cloudSyncControl,
} from './cloud-sync/control';
import { FAILURE, SUCCESS, type BackupOutcome, type BackupTask } from './backup/backup-task';
import type { CountersSnapshot } from './counters';
import type { DownloadTask } from './download-station/task';
import type { Fault, FaultSpec } from './faults';
import { checkDownloadStationApis, type DownloadStationApis } from './options';
import type { RequestLogEntry } from './request-log';
import type { SessionSummary } from './sessions';
import type { SimulatorState } from './state';
import type { DiskHealthPatch } from './system/health';
import type { PowerState, RebootTimes } from './system/power';

/** What tests can do to a running simulator that a real DSM does not offer. Also served under /sim/. */
export interface SimulatorControl {
  counters(): CountersSnapshot;
  resetCounters(): void;
  /** The next `count` matching /webapi requests fail, reset the connection, answer an HTTP error page or are delayed. */
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
  /**
   * Every session is ended as another login with the same account and session name ends it: its next use answers
   * 107 ("Session interrupted by duplicated login", DSM Login Web API guide), later ones 119.
   */
  kickAllSessions(): void;
  /** Every session is forgotten as a reboot forgets it: its sid is unknown from now on (119, "Invalid session"). */
  forgetAllSessions(): void;
  sessions(): SessionSummary[];
  /** The currently valid TOTP code of a 2FA user. */
  totpCode(username: string): string;
  unblockAll(): void;
  /** The last /webapi requests (200 unless the requestLogSize option says), oldest first, secrets masked. */
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
  /**
   * Sets raw health strings of a disk (`sata1`/`sata2` on dsm7, `sda`/`sdb` on dsm6) as load_info reports them:
   * status, smart_status, overview_status (strings), exceed_bad_sector_thr, below_remain_life_thr (booleans).
   */
  setDiskHealth(diskId: string, health: DiskHealthPatch): void;
  /** The disk's SMART fails: smart_status and overview_status become "failing". */
  failDiskSmart(diskId: string): void;
  /** The volume's and its pool's raw status: "normal", "degrade", "crashed" (not writable), or any other string. */
  setVolumeStatus(status: string): void;
  /** °C added to the system and every disk temperature (0 returns to normal drift). */
  setTemperatureRise(celsius: number): void;
  /** Whether SYNO.Core.Upgrade.Server check offers a DSM update. */
  setUpdateAvailable(available: boolean): void;
  /** The disks spin down: pingpong says disk_hibernation true until a /webapi request wakes them. */
  hibernate(): void;
  /** Reboots as SYNO.Core.System reboot does: sessions lost, down for downMs, booting for bootMs (clock). */
  reboot(times?: RebootTimes): void;
  /** Shuts down as SYNO.Core.System shutdown does: nothing answers until powerOn. */
  shutdown(): void;
  /** Powers on after a shutdown (Wake-on-LAN): booting for bootMs (default 60 s, simulator clock). */
  powerOn(bootMs?: number): void;
  powerState(): PowerState;
  /** Installs or removes Hyper Backup: SYNO.Backup.Task appears in or vanishes from API.Info (102 meanwhile). */
  setHyperBackupInstalled(installed: boolean): void;
  /**
   * How the task's runs end from now on, the running one included: "done" (default), "failed" (with the
   * captured target-broken error, code 4467), or any other result token.
   */
  setBackupResult(taskId: number, result: string): void;
  /** Ends the task's run now with its result (starts and ends one if none runs). */
  finishBackupNow(taskId: number): void;
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
    kickAllSessions: () => sim.sessions.kickAll(),
    forgetAllSessions: () => sim.sessions.forgetAll(),
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
    setDiskHealth: (diskId, health) => sim.nas.health.setDisk(diskId, health),
    failDiskSmart: (diskId) =>
      sim.nas.health.setDisk(diskId, { smart_status: 'failing', overview_status: 'failing' }),
    setVolumeStatus: (status) => {
      if (typeof status !== 'string' || status === '')
        throw new TypeError('status must be a non-empty string');
      sim.nas.health.volumeStatus = status;
    },
    setTemperatureRise: (celsius) => {
      if (!Number.isFinite(celsius)) throw new TypeError('celsius must be a finite number');
      sim.nas.health.temperatureRise = Math.round(celsius);
    },
    setUpdateAvailable: (available) => {
      sim.nas.updateAvailable = available;
    },
    hibernate: () => sim.nas.power.hibernate(),
    reboot: (times) => {
      sim.nas.power.reboot(times);
      sim.sessions.forgetAll();
    },
    shutdown: () => {
      sim.nas.power.shutdown();
      sim.sessions.forgetAll();
    },
    powerOn: (bootMs) => sim.nas.power.powerOn(bootMs),
    powerState: () => sim.nas.power.state(),
    setHyperBackupInstalled: (installed) => {
      sim.backups.installed = installed;
    },
    setBackupResult: (taskId, result) => {
      backupTask(sim, taskId).outcome = backupOutcome(result);
    },
    finishBackupNow: (taskId) => {
      const task = backupTask(sim, taskId);
      const now = sim.backups.now();
      if (task.runningSince === undefined) task.start(now);
      task.finish(now, task.outcome);
    },
  };
}

function backupTask(sim: SimulatorState, taskId: number): BackupTask {
  const task = sim.backups.find(taskId);
  if (!task) throw new RangeError(`No Hyper Backup task ${taskId}`);
  return task;
}

function backupOutcome(result: string): BackupOutcome {
  if (typeof result !== 'string' || result === '') throw new TypeError('result must be a non-empty string');
  if (result === SUCCESS.result) return SUCCESS;
  if (result === FAILURE.result) return FAILURE;
  return { result, error: '', errorCode: 4401 };
}

function downloadTask(sim: SimulatorState, id: string): DownloadTask {
  const task = sim.downloads.findAny(id);
  if (!task) throw new RangeError(`No Download Station task ${id}`);
  return task;
}
