import type { SimulatorClock } from '../clock';
import type { DiskSpec, NasHardware } from './hardware';

/** The raw health strings of one disk as `load_info` reports them (any string: DSM's set is not documented). */
export interface DiskHealth {
  status: string;
  smart_status: string;
  overview_status: string;
  exceed_bad_sector_thr: boolean;
  below_remain_life_thr: boolean;
}

export type DiskHealthPatch = Partial<DiskHealth>;

const HOUR_MS = 3_600_000;
/** How fast the volume fills: ~200 MB per simulated hour. */
const VOLUME_GROWTH_PER_HOUR = 200_000_000;

/**
 * The health DSM would report: per-disk status strings, the volume/pool status, a temperature rise, and values
 * that drift with the simulator clock (temperatures, loads, volume usage) so that polls see change.
 */
export class NasHealth {
  readonly disks = new Map<string, DiskHealth>();
  /** Raw status of the volume and its pool: `normal`, `degrade` (HA #95455), `crashed`, or anything set. */
  volumeStatus = 'normal';
  /** °C added to the system and every disk temperature. */
  temperatureRise = 0;
  private readonly startedAt: number;

  constructor(
    readonly hardware: NasHardware,
    private readonly clock: SimulatorClock,
  ) {
    this.startedAt = clock.now();
    for (const disk of hardware.disks) this.disks.set(disk.id, healthyDisk());
  }

  disk(id: string): DiskHealth {
    const health = this.disks.get(id);
    if (!health) throw new RangeError(`No disk ${id} (disks: ${[...this.disks.keys()].join(', ')})`);
    return health;
  }

  setDisk(id: string, patch: DiskHealthPatch): void {
    const health = this.disk(id);
    for (const [key, value] of Object.entries(patch) as [keyof DiskHealth, unknown][]) {
      if (value === undefined) continue;
      const expected = typeof healthyDisk()[key];
      if (typeof value !== expected) throw new TypeError(`${key} must be a ${expected}`);
      (health as unknown as Record<string, unknown>)[key] = value;
    }
  }

  /** Disks whose status is not normal count as failed in the pool's disk_failure_number. */
  failedDiskCount(): number {
    const failedByDisks = [...this.disks.values()].filter((disk) => disk.status !== 'normal').length;
    return Math.max(failedByDisks, this.volumeStatus === 'degrade' ? 1 : 0);
  }

  diskTemp(disk: DiskSpec): number {
    return (
      disk.baseTemp + Math.round(2 * wave(this.clock.now(), 2 * HOUR_MS, disk.numId)) + this.temperatureRise
    );
  }

  systemTemp(): number {
    return (
      this.hardware.baseSysTemp +
      Math.round(3 * wave(this.clock.now(), 2 * HOUR_MS, 0)) +
      this.temperatureRise
    );
  }

  /** A value between low and high that swings with the simulator clock (period in ms). */
  swing(low: number, high: number, periodMs: number, phase = 0): number {
    return Math.round(low + ((high - low) * (wave(this.clock.now(), periodMs, phase) + 1)) / 2);
  }

  volumeUsed(): number {
    const hours = Math.max(0, this.clock.now() - this.startedAt) / HOUR_MS;
    const total = Number(this.hardware.volume.total);
    return Math.min(total, Math.round(this.hardware.volume.used + hours * VOLUME_GROWTH_PER_HOUR));
  }
}

function healthyDisk(): DiskHealth {
  return {
    status: 'normal',
    smart_status: 'normal',
    overview_status: 'normal',
    exceed_bad_sector_thr: false,
    below_remain_life_thr: false,
  };
}

function wave(now: number, periodMs: number, phase: number): number {
  return Math.sin((2 * Math.PI * now) / periodMs + phase);
}
