import { combine, judge, judgeFlag, type HealthItem, type KnownValues, type Verdict } from './health';
import { diskTemperature, type DiskTemperatureLimits, type TemperatureReading } from './temperature';
import { asRecord, asRecords, flagOrNull, numberOrNull, text } from './values';

// Known values. Only `normal` (and DSM 5's `safe` for SMART, py-synologydsm-api dsm_5 storage capture) is known to
// be good; `degrade` is a volume with a failed disk (home-assistant/core #95455), `crashed` a lost volume, `failing`
// a disk whose SMART test failed (check_synology #56). Everything else is `unknown`, never ok.
const DISK_STATUS: KnownValues = { ok: ['normal'], critical: ['crashed', 'failing'] };
const SMART_STATUS: KnownValues = { ok: ['normal', 'safe'], critical: ['failing', 'crashed'] };
const SPACE_STATUS: KnownValues = { ok: ['normal'], warning: ['degrade'], critical: ['crashed'] };

/** One drive of `load_info`, with DSM's raw strings and a normalized health. */
export interface DiskHealth extends HealthItem {
  kind: 'disk';
  diskId: string;
  /** `/dev/sata1` */
  device: string;
  model: string;
  vendor: string;
  serial: string;
  sizeBytes: number | null;
  temperature: number | null;
  /** DSM's raw strings. */
  status: string;
  smartStatus: string;
  overviewStatus: string;
  exceedBadSectorThreshold: boolean | null;
  belowRemainLifeThreshold: boolean | null;
  /** The pool (DSM 6/7) or volume (DSM 5) the drive belongs to. */
  usedBy: string;
  /** The box it sits in: the NAS model, or an expansion unit such as `DX513-1`. */
  container: string;
  raw: Record<string, unknown>;
}

/** One storage pool (DSM 6/7; DSM 5 has none). */
export interface PoolHealth extends HealthItem {
  kind: 'pool';
  poolId: string;
  /** DSM's `device_type`: `raid_1`, `raid_5`, `shr_with_2_disk_protect`. */
  raidType: string;
  status: string;
  diskIds: string[];
  failedDisks: number | null;
  sizeBytes: number | null;
  raw: Record<string, unknown>;
}

export interface VolumeHealth extends HealthItem {
  kind: 'volume';
  volumeId: string;
  /** `/volume1` */
  path: string;
  status: string;
  fsType: string;
  raidType: string;
  /** The pool it lives on; null on DSM 5 (no pools) */
  poolId: string | null;
  /** The drives under it: the pool's (DSM 6/7) or its own list (DSM 5). */
  diskIds: string[];
  failedDisks: number | null;
  writable: boolean | null;
  sizeBytes: number | null;
  usedBytes: number | null;
  /** 0-100, one decimal; null without sizes. */
  usedPercent: number | null;
  raw: Record<string, unknown>;
}

export interface StorageHealth {
  disks: DiskHealth[];
  pools: PoolHealth[];
  volumes: VolumeHealth[];
  diskTemperatures: TemperatureReading[];
  /** `env.status` flags; null where DSM did not send them. */
  systemCrashed: boolean | null;
  systemNeedsRepair: boolean | null;
}

/**
 * SYNO.Storage.CGI.Storage `load_info` (the `data` object; DSM 5 sends its fields at the top level). Volumes link
 * to pools by `pool_path`, pools list their disk ids; DSM 5 volumes list disk ids themselves (captures).
 */
export function parseStorage(answer: unknown, limits: DiskTemperatureLimits): StorageHealth {
  const data = asRecord(answer);
  const disks = asRecords(data.disks).map(toDisk);
  const pools = asRecords(data.storagePools).map(toPool);
  const env = asRecord(data.env);
  const volumes = asRecords(data.volumes).map((raw) => toVolume(raw, pools, env));
  const status = asRecord(env.status);
  return {
    disks,
    pools,
    volumes,
    diskTemperatures: disks.map((d) => diskTemperature(d.diskId, d.name, d.temperature, limits)),
    systemCrashed: flagOrNull(status.system_crashed),
    systemNeedsRepair: flagOrNull(status.system_need_repair),
  };
}

function toDisk(raw: Record<string, unknown>): DiskHealth {
  const diskId = text(raw.id);
  const verdicts: Verdict[] = [judge('status', raw.status, DISK_STATUS)];
  // DSM 5 has no overview_status nor thresholds: judged where DSM sends them.
  if ('smart_status' in raw) verdicts.push(judge('smart_status', raw.smart_status, SMART_STATUS));
  if ('overview_status' in raw) verdicts.push(judge('overview_status', raw.overview_status, SMART_STATUS));
  if ('exceed_bad_sector_thr' in raw)
    verdicts.push(
      judgeFlag(
        'exceed_bad_sector_thr',
        raw.exceed_bad_sector_thr,
        'warning',
        'bad sectors above the threshold',
      ),
    );
  if ('below_remain_life_thr' in raw)
    verdicts.push(
      judgeFlag(
        'below_remain_life_thr',
        raw.below_remain_life_thr,
        'warning',
        'remaining life below the threshold',
      ),
    );
  return {
    id: `disk:${diskId}`,
    kind: 'disk',
    name: text(raw.longName) || text(raw.name) || diskId,
    ...combine(verdicts),
    diskId,
    device: text(raw.device),
    model: text(raw.model).trim(),
    vendor: text(raw.vendor).trim(),
    serial: text(raw.serial),
    sizeBytes: numberOrNull(raw.size_total),
    temperature: numberOrNull(raw.temp),
    status: text(raw.status),
    smartStatus: text(raw.smart_status),
    overviewStatus: text(raw.overview_status),
    exceedBadSectorThreshold: flagOrNull(raw.exceed_bad_sector_thr),
    belowRemainLifeThreshold: flagOrNull(raw.below_remain_life_thr),
    usedBy: text(raw.used_by),
    container: text(asRecord(raw.container).str),
    raw,
  };
}

function failedDisksVerdict(failed: number | null): Verdict {
  return failed !== null && failed > 0
    ? { health: 'warning', problem: `disk_failure_number is ${failed}` }
    : { health: 'ok' };
}

function toPool(raw: Record<string, unknown>): PoolHealth {
  const poolId = text(raw.id);
  const failed = numberOrNull(raw.disk_failure_number);
  const num = numberOrNull(raw.num_id);
  return {
    id: `pool:${poolId}`,
    kind: 'pool',
    name: num === null ? poolId : `Storage Pool ${num}`,
    ...combine([judge('status', raw.status, SPACE_STATUS), failedDisksVerdict(failed)]),
    poolId,
    raidType: text(raw.device_type),
    status: text(raw.status),
    diskIds: Array.isArray(raw.disks) ? raw.disks.map(text) : [],
    failedDisks: failed,
    sizeBytes: numberOrNull(asRecord(raw.size).total),
    raw,
  };
}

function toVolume(
  raw: Record<string, unknown>,
  pools: readonly PoolHealth[],
  env: Record<string, unknown>,
): VolumeHealth {
  const volumeId = text(raw.id);
  const pool = pools.find((p) => p.poolId !== '' && p.poolId === text(raw.pool_path));
  const own = Array.isArray(raw.disks) ? raw.disks.map(text) : [];
  const size = asRecord(raw.size);
  const total = numberOrNull(size.total);
  const used = numberOrNull(size.used);
  const failed = numberOrNull(raw.disk_failure_number);
  const writable = flagOrNull(raw.is_writable);
  const verdicts: Verdict[] = [judge('status', raw.status, SPACE_STATUS), failedDisksVerdict(failed)];
  if (writable === false) verdicts.push({ health: 'critical', problem: 'is_writable is false' });
  verdicts.push(spaceVerdict(total, used, env));
  return {
    id: `volume:${volumeId}`,
    kind: 'volume',
    name: text(raw.vol_path) || volumeId,
    ...combine(verdicts),
    volumeId,
    path: text(raw.vol_path),
    status: text(raw.status),
    fsType: text(raw.fs_type),
    raidType: text(raw.device_type),
    poolId: pool ? pool.poolId : null,
    diskIds: own.length > 0 ? own : (pool?.diskIds ?? []),
    failedDisks: failed,
    writable,
    sizeBytes: total,
    usedBytes: used,
    usedPercent: total && used !== null ? Math.round((used / total) * 1000) / 10 : null,
    raw,
  };
}

/**
 * Free space against DSM's own `env.volume_full_warning` / `volume_full_critical` (fractions such as 0.2 / 0.1 in
 * the DSM 6 captures, read here as "free share below which DSM warns"; DSM 5 has neither: nothing judged).
 */
function spaceVerdict(total: number | null, used: number | null, env: Record<string, unknown>): Verdict {
  if (!total || used === null) return { health: 'ok' };
  const free = (total - used) / total;
  const percent = (fraction: number): string => `${Math.round(fraction * 1000) / 10} %`;
  const critical = numberOrNull(env.volume_full_critical);
  const warning = numberOrNull(env.volume_full_warning);
  for (const [limit, health] of [
    [critical, 'critical'],
    [warning, 'warning'],
  ] as const) {
    if (limit !== null && free < limit)
      return { health, problem: `${percent(free)} free, below DSM's ${health} level of ${percent(limit)}` };
  }
  return { health: 'ok' };
}
