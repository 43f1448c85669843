import { combine, type HealthItem, type Verdict } from './health';
import type { TemperatureReading } from './temperature';
import { asRecord, flagOrNull, numberOrNull, text } from './values';

/** The NAS itself: model, DSM version, uptime, and the flags DSM raises for the whole system. */
export interface SystemHealth extends HealthItem {
  kind: 'system';
  model: string;
  /** DSM's `firmware_ver`: `DSM 6.2.3-25426 Update 2`. */
  firmware: string;
  serial: string;
  /** DSM's `up_time` ("289:31:54", hours not wrapped) in seconds; null when absent. */
  uptimeSeconds: number | null;
  /** °C; null when absent. */
  temperature: number | null;
  /** Any of DSM's temperature warning flags (`temperature_warning`, `sys_tempwarn`, `systempwarn`). */
  temperatureWarning: boolean | null;
  /** `load_info` env.status flags (null when storage was not read). */
  crashed: boolean | null;
  needsRepair: boolean | null;
  ramMb: number | null;
  cpuCores: number | null;
  /** DSM's `time` and `time_zone` as sent. */
  time: string;
  timeZone: string;
  raw: Record<string, unknown>;
}

const WARNING_FLAGS = ['temperature_warning', 'sys_tempwarn', 'systempwarn'];

/** Any warning flag set: true; all sent flags false: false; none sent: null. */
function temperatureWarning(raw: Record<string, unknown>): boolean | null {
  const flags = WARNING_FLAGS.map((key) => flagOrNull(raw[key])).filter((f) => f !== null);
  return flags.length === 0 ? null : flags.some(Boolean);
}

function uptimeSeconds(value: unknown): number | null {
  const match = /^(\d+):(\d+):(\d+)$/.exec(text(value));
  if (!match) return numberOrNull(value);
  return Number(match[1]) * 3600 + Number(match[2]) * 60 + Number(match[3]);
}

function warningVerdict(warning: boolean | null): Verdict {
  if (warning === null) return { health: 'unknown', problem: 'DSM sent no temperature warning flag' };
  return warning ? { health: 'warning', problem: 'DSM reports a temperature warning' } : { health: 'ok' };
}

/**
 * SYNO.Core.System `info` (shape of the DSM 6.2.3 captures: `cpu_cores` a string, `up_time` "H:M:S"), with the
 * crash flags of `load_info` env.status when storage was read too.
 */
export function parseSystemInfo(
  answer: unknown,
  storageFlags?: { crashed: boolean | null; needsRepair: boolean | null },
): { system: SystemHealth; temperature: TemperatureReading } {
  const raw = asRecord(answer);
  const warning = temperatureWarning(raw);
  const celsius = numberOrNull(raw.sys_temp);
  const crashed = storageFlags?.crashed ?? null;
  const needsRepair = storageFlags?.needsRepair ?? null;
  const verdicts = [warningVerdict(warning)];
  if (crashed) verdicts.push({ health: 'critical', problem: 'DSM reports the system crashed' });
  if (needsRepair) verdicts.push({ health: 'warning', problem: 'DSM reports the system needs repair' });
  const model = text(raw.model);
  const system: SystemHealth = {
    id: 'system',
    kind: 'system',
    name: model || 'system',
    ...combine(verdicts),
    model,
    firmware: text(raw.firmware_ver),
    serial: text(raw.serial),
    uptimeSeconds: uptimeSeconds(raw.up_time),
    temperature: celsius,
    temperatureWarning: warning,
    crashed,
    needsRepair,
    ramMb: numberOrNull(raw.ram_size),
    cpuCores: numberOrNull(raw.cpu_cores),
    time: text(raw.time),
    timeZone: text(raw.time_zone),
    raw,
  };
  const tempVerdicts = [warningVerdict(warning)];
  if (celsius === null) tempVerdicts.push({ health: 'unknown', problem: 'sys_temp is missing' });
  const temperature: TemperatureReading = {
    id: 'temperature:system',
    kind: 'temperature',
    name: 'System',
    ...combine(tempVerdicts),
    source: 'system',
    celsius,
  };
  return { system, temperature };
}
