import type { HealthItem } from './health';
import { asRecord, asRecords, numberOrNull, text } from './values';

export interface DeviceLoad {
  /** `sata1`, `md2`, `eth0`, ... as DSM names it. */
  device: string;
  /** `Drive 1`, `volume1`; '' when DSM gives none. */
  name: string;
  /** % busy (disks, volumes). */
  utilisation: number | null;
  readBytesPerSecond: number | null;
  writeBytesPerSecond: number | null;
}

/**
 * SYNO.Core.System.Utilization `get`: loads, memory, disk and network throughput. Figures, not verdicts: its health
 * is `ok` when DSM answered with CPU and memory figures, `unknown` when they are missing.
 */
export interface Utilisation extends HealthItem {
  kind: 'utilisation';
  cpu: {
    /** user + system + other, %. */
    percent: number | null;
    user: number | null;
    system: number | null;
    other: number | null;
    /** DSM's load averages (`1min_load`...), as sent (DSM scales them by 100 on some models). */
    load1: number | null;
    load5: number | null;
    load15: number | null;
  };
  memory: {
    /** % of RAM used (`real_usage`). */
    percent: number | null;
    totalBytes: number | null;
    availableBytes: number | null;
    swapPercent: number | null;
  };
  disks: DeviceLoad[];
  volumes: DeviceLoad[];
  network: { device: string; rxBytesPerSecond: number | null; txBytesPerSecond: number | null }[];
  /** DSM's clock when it measured, ms since 1970; null when absent. */
  measuredAt: number | null;
  raw: Record<string, unknown>;
}

const KB = 1024;

function kb(value: unknown): number | null {
  const n = numberOrNull(value);
  return n === null ? null : n * KB;
}

function deviceLoad(raw: Record<string, unknown>): DeviceLoad {
  return {
    device: text(raw.device),
    name: text(raw.display_name),
    utilisation: numberOrNull(raw.utilization),
    readBytesPerSecond: numberOrNull(raw.read_byte),
    writeBytesPerSecond: numberOrNull(raw.write_byte),
  };
}

/** Parses the `data` of a Utilization `get` (DSM 5 and 6 shapes; memory in KB in both). */
export function parseUtilisation(answer: unknown): Utilisation {
  const raw = asRecord(answer);
  const cpu = asRecord(raw.cpu);
  const memory = asRecord(raw.memory);
  const user = numberOrNull(cpu.user_load);
  const system = numberOrNull(cpu.system_load);
  const other = numberOrNull(cpu.other_load);
  const parts = [user, system, other].filter((n): n is number => n !== null);
  const memoryPercent = numberOrNull(memory.real_usage);
  const problems: string[] = [];
  if (parts.length === 0) problems.push('cpu loads are missing');
  if (memoryPercent === null) problems.push('memory.real_usage is missing');
  const time = numberOrNull(raw.time);
  return {
    id: 'utilisation',
    kind: 'utilisation',
    name: 'Utilisation',
    health: problems.length ? 'unknown' : 'ok',
    problems,
    cpu: {
      percent: parts.length ? parts.reduce((a, b) => a + b, 0) : null,
      user,
      system,
      other,
      load1: numberOrNull(cpu['1min_load']),
      load5: numberOrNull(cpu['5min_load']),
      load15: numberOrNull(cpu['15min_load']),
    },
    memory: {
      percent: memoryPercent,
      totalBytes: kb(memory.memory_size),
      availableBytes: kb(memory.avail_real),
      swapPercent: numberOrNull(memory.swap_usage),
    },
    disks: asRecords(asRecord(raw.disk).disk).map(deviceLoad),
    volumes: asRecords(asRecord(raw.space).volume).map(deviceLoad),
    network: asRecords(raw.network).map((n) => ({
      device: text(n.device),
      rxBytesPerSecond: numberOrNull(n.rx),
      txBytesPerSecond: numberOrNull(n.tx),
    })),
    measuredAt: time === null ? null : time * 1000,
    raw,
  };
}
