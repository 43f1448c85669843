import type { DsmClient } from '../../client';
import { optionsObject } from '../file-station/options';
import type { BackupTask } from './backup-task';
import { actOnBackup, checkTaskRef, readBackup, type BackupTaskRef } from './backups';
import { ping, type PingResult } from './ping';
import { sendPower } from './power';
import {
  HEALTH_PARTS,
  readHealth,
  type HealthPart,
  type HealthSnapshot,
  type PartialHealthSnapshot,
  type SnapshotOptions,
} from './snapshot';
import { inputError } from '../../errors';

export type { Health, HealthItem, HealthKind } from './health';
export type { DiskHealth, PoolHealth, VolumeHealth } from './storage';
export type { SystemHealth } from './system-info';
export type { TemperatureReading, DiskTemperatureLimits } from './temperature';
export type { Utilisation, DeviceLoad } from './utilisation';
export type { UpdateHealth } from './update';
export type { BackupTask } from './backup-task';
export type { BackupTaskRef } from './backups';
export type { PingResult, PingState } from './ping';
export type { HealthPart, HealthSnapshot, PartialHealthSnapshot, SnapshotOptions } from './snapshot';
export { HEALTH_PARTS } from './snapshot';
export { HEALTHS, worst } from './health';
export { DEFAULT_DISK_TEMPERATURE } from './temperature';
export { parseStorage } from './storage';
export { parseSystemInfo } from './system-info';
export { parseUtilisation } from './utilisation';
export { parseUpdate } from './update';
export { toBackupTask, needsStatus } from './backup-task';

type Signal = { signal?: AbortSignal };

/**
 * The NAS's health and power on one DSM connection: storage (volumes, pools, disks), temperatures, system status,
 * utilisation, DSM updates and Hyper Backup tasks, each item with DSM's raw strings and a normalized `health`
 * (only values known to be good are `ok`; unknown values are `unknown`, never hidden). `ping()` tells up / booting /
 * hibernating / down without logging in.
 */
export class DsmSystem {
  constructor(private readonly client: DsmClient) {}

  /** Everything, in 5 requests (DSM 6 with Hyper Backup: + one per backup task). */
  async snapshot(options?: SnapshotOptions): Promise<HealthSnapshot> {
    return (await this.read(HEALTH_PARTS, options)) as HealthSnapshot;
  }

  /** Some parts only (`['volumes', 'disks']`), with only the requests those need. */
  read(parts: readonly HealthPart[], options?: SnapshotOptions): Promise<PartialHealthSnapshot> {
    const checked = optionsObject(options) as SnapshotOptions;
    if (!Array.isArray(parts) || parts.length === 0 || parts.some((p) => !HEALTH_PARTS.includes(p)))
      throw inputError('parts', `must be a list of ${HEALTH_PARTS.join(', ')}`);
    return readHealth(this.client, parts, checked);
  }

  /** Hyper Backup tasks (`[]` and a note when Hyper Backup is not installed: see read(['backups'])). */
  async backups(options?: Signal): Promise<BackupTask[]> {
    return (await this.read(['backups'], options)).backups ?? [];
  }

  /** One Hyper Backup task, fresh (with progress while running); an error when Hyper Backup is missing. */
  backup(task: BackupTaskRef, options?: Signal): Promise<BackupTask> {
    const { signal } = optionsObject(options);
    checkTaskRef(task);
    return readBackup(this.client, task, signal);
  }

  /** Starts a backup of a task (by id or name) now; resolves to the task as it is then. */
  startBackup(task: BackupTaskRef, options?: Signal): Promise<BackupTask> {
    const { signal } = optionsObject(options);
    return actOnBackup(this.client, 'backup', task, signal);
  }

  /** Cancels a task's running backup; resolves to the task as it is then. */
  cancelBackup(task: BackupTaskRef, options?: Signal): Promise<BackupTask> {
    const { signal } = optionsObject(options);
    return actOnBackup(this.client, 'cancel', task, signal);
  }

  /** Up, booting, hibernating or down, without logging in and without waking the disks (one GET, no retry). */
  ping(options?: Signal & { timeoutMs?: number }): Promise<PingResult> {
    const { signal, timeoutMs } = optionsObject(options);
    return ping(this.client.transport, { signal, timeoutMs });
  }

  /**
   * Restarts the NAS (SYNO.Core.System `reboot`, at version 1-2: DSM 7.2's version 3 lacks it). DSM answers, then
   * goes away; its sessions end. Sent once.
   */
  rebootNas(options?: Signal): Promise<void> {
    return sendPower(this.client, 'reboot', optionsObject(options).signal);
  }

  /** Powers the NAS off (SYNO.Core.System `shutdown`, version 1-2). It stays off until someone powers it on. */
  shutdownNas(options?: Signal): Promise<void> {
    return sendPower(this.client, 'shutdown', optionsObject(options).signal);
  }
}
