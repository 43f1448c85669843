import type { DsmClient } from '../../client';
import { inputError } from '../../errors';
import {
  isMissingApi,
  isPartError,
  loadStorageInfo,
  STORAGE_API,
  SYSTEM_API,
  UPGRADE_API,
  UTILISATION_API,
  BACKUP_API,
} from './apis';
import type { BackupTask } from './backup-task';
import { readBackups } from './backups';
import { worst, type Health, type HealthItem } from './health';
import { parseStorage, type DiskHealth, type PoolHealth, type VolumeHealth } from './storage';
import { parseSystemInfo, type SystemHealth } from './system-info';
import { DEFAULT_DISK_TEMPERATURE, type DiskTemperatureLimits, type TemperatureReading } from './temperature';
import { parseUpdate, type UpdateHealth } from './update';
import { parseUtilisation, type Utilisation } from './utilisation';

export const HEALTH_PARTS = [
  'volumes',
  'pools',
  'disks',
  'temperatures',
  'system',
  'utilisation',
  'update',
  'backups',
] as const;
export type HealthPart = (typeof HEALTH_PARTS)[number];

/** The NAS's health at one moment: typed parts, a flat list of every item by stable id, and the worst health. */
export interface HealthSnapshot {
  /** The worst health of all items. */
  health: Health;
  /** When it was taken (this machine's clock), ISO 8601. */
  takenAt: string;
  volumes: VolumeHealth[];
  pools: PoolHealth[];
  disks: DiskHealth[];
  temperatures: TemperatureReading[];
  /** null when DSM did not tell (see items and notes). */
  system: SystemHealth | null;
  utilisation: Utilisation | null;
  update: UpdateHealth | null;
  /** [] without Hyper Backup (then a note says so). */
  backups: BackupTask[];
  /**
   * Every item above without its raw data (`{id, kind, name, health, problems}`), plus one `source` item, health
   * `unknown`, per part DSM could not tell (`source:storage`...): compare polls by `id`.
   */
  items: HealthItem[];
  /** What was left out and why, for people: "Hyper Backup is not installed: no backup tasks". */
  notes: string[];
}

/** Some parts of a snapshot: those asked for are set, with health, items and notes over them only. */
export type PartialHealthSnapshot = Partial<HealthSnapshot> &
  Pick<HealthSnapshot, 'health' | 'takenAt' | 'items' | 'notes'>;

export interface SnapshotOptions {
  signal?: AbortSignal;
  /** °C at which a disk temperature is a warning / critical; default 55 / 65 (DSM sends no per-disk flag). */
  diskTemperature?: Partial<DiskTemperatureLimits>;
}

type Outcome<T> = { ok: true; value: T } | { ok: false };

/**
 * Reads the parts asked for with as few requests as DSM allows: one `load_info` for volumes, pools, disks and
 * disk temperatures (and the crash flags of `system`), one System `info` for system and its temperature, one
 * Utilization `get`, one Upgrade.Server `check`, one Backup.Task `list` (+ a `status` per task on DSM 6), in
 * parallel. A part DSM refuses or lacks becomes a `source` item and a note; other errors end the read.
 */
export async function readHealth(
  client: DsmClient,
  parts: readonly HealthPart[],
  options: SnapshotOptions = {},
): Promise<PartialHealthSnapshot> {
  const want = new Set(parts);
  const { signal } = options;
  const limits = checkLimits(options.diskTemperature);
  const notes: string[] = [];
  const sources: HealthItem[] = [];
  async function attempt<T>(source: string, api: string, work: () => Promise<T>): Promise<Outcome<T>> {
    try {
      return { ok: true, value: await work() };
    } catch (err) {
      if (!isPartError(err)) throw err;
      notes.push(`${source}: ${err.message}`);
      sources.push({
        id: `source:${source}`,
        kind: 'source',
        name: api,
        health: 'unknown',
        problems: [err.message],
      });
      return { ok: false };
    }
  }
  const needs = (...of: HealthPart[]) => of.some((p) => want.has(p));
  const skipped: Outcome<never> = { ok: false };
  const [storage, info, utilisation, update, backups] = await Promise.all([
    needs('volumes', 'pools', 'disks', 'temperatures', 'system')
      ? attempt('storage', STORAGE_API, async () =>
          parseStorage(await loadStorageInfo(client, signal), limits),
        )
      : skipped,
    needs('system', 'temperatures')
      ? attempt('system', SYSTEM_API, () => client.call(SYSTEM_API, 'info', {}, { signal }))
      : skipped,
    needs('utilisation')
      ? attempt('utilisation', UTILISATION_API, async () =>
          parseUtilisation(await client.call(UTILISATION_API, 'get', {}, { signal })),
        )
      : skipped,
    needs('update')
      ? attempt('update', UPGRADE_API, async () =>
          parseUpdate(await client.call(UPGRADE_API, 'check', {}, { signal })),
        )
      : skipped,
    needs('backups') ? readBackupsOrNone(client, notes, sources, signal) : skipped,
  ]);
  const storageValue = storage.ok ? storage.value : undefined;
  const system = info.ok
    ? parseSystemInfo(
        info.value,
        storageValue && { crashed: storageValue.systemCrashed, needsRepair: storageValue.systemNeedsRepair },
      )
    : undefined;
  const result: Partial<HealthSnapshot> = {};
  if (want.has('volumes')) result.volumes = storageValue?.volumes ?? [];
  if (want.has('pools')) result.pools = storageValue?.pools ?? [];
  if (want.has('disks')) result.disks = storageValue?.disks ?? [];
  if (want.has('temperatures'))
    result.temperatures = [
      ...(system ? [system.temperature] : []),
      ...(storageValue?.diskTemperatures ?? []),
    ];
  if (want.has('system')) result.system = system?.system ?? null;
  if (want.has('utilisation')) result.utilisation = utilisation.ok ? utilisation.value : null;
  if (want.has('update')) result.update = update.ok ? update.value : null;
  if (want.has('backups')) result.backups = backups.ok ? backups.value : [];
  const items = [...partItems(result), ...sources.filter((s) => relevant(s, want))];
  return {
    ...result,
    health: worst(items.map((i) => i.health)),
    takenAt: new Date().toISOString(),
    items,
    notes,
  };
}

/** Hyper Backup's list; its absence is no error (a NAS without the package has no tasks), just a note. */
async function readBackupsOrNone(
  client: DsmClient,
  notes: string[],
  sources: HealthItem[],
  signal?: AbortSignal,
): Promise<Outcome<BackupTask[]>> {
  try {
    return { ok: true, value: await readBackups(client, signal) };
  } catch (err) {
    if (isMissingApi(err)) {
      notes.push('Hyper Backup is not installed or is stopped: no backup tasks');
      return { ok: true, value: [] };
    }
    if (!isPartError(err)) throw err;
    notes.push(`backups: ${err.message}`);
    sources.push({
      id: 'source:backups',
      kind: 'source',
      name: BACKUP_API,
      health: 'unknown',
      problems: [err.message],
    });
    return { ok: false };
  }
}

/** A failed source matters for the parts it feeds: storage's crash flags are not worth an item for `system` alone. */
function relevant(source: HealthItem, want: Set<HealthPart>): boolean {
  if (source.id !== 'source:storage') return true;
  return ['volumes', 'pools', 'disks', 'temperatures'].some((p) => want.has(p as HealthPart));
}

function summary(item: HealthItem): HealthItem {
  return { id: item.id, kind: item.kind, name: item.name, health: item.health, problems: item.problems };
}

function partItems(parts: Partial<HealthSnapshot>): HealthItem[] {
  const one = <T extends HealthItem>(item: T | null | undefined): HealthItem[] =>
    item ? [summary(item)] : [];
  return [
    ...one(parts.system),
    ...(parts.volumes ?? []).map(summary),
    ...(parts.pools ?? []).map(summary),
    ...(parts.disks ?? []).map(summary),
    ...(parts.temperatures ?? []).map(summary),
    ...one(parts.utilisation),
    ...one(parts.update),
    ...(parts.backups ?? []).map(summary),
  ];
}

function checkLimits(given: unknown): DiskTemperatureLimits {
  if (given === undefined) return DEFAULT_DISK_TEMPERATURE;
  if (given === null || typeof given !== 'object' || Array.isArray(given))
    throw inputError('diskTemperature', 'must be an object such as {"warning": 55, "critical": 65}');
  const limits = { ...DEFAULT_DISK_TEMPERATURE, ...(given as Partial<DiskTemperatureLimits>) };
  for (const key of ['warning', 'critical'] as const) {
    const value = limits[key];
    if (typeof value !== 'number' || !Number.isFinite(value))
      throw inputError(`diskTemperature.${key}`, 'must be a number of °C');
  }
  if (limits.warning > limits.critical)
    throw inputError('diskTemperature', 'warning must not be above critical');
  return limits;
}
