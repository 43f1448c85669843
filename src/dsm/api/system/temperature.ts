import type { Health, HealthItem } from './health';

/** One temperature reading: the system board's or a disk's. */
export interface TemperatureReading extends HealthItem {
  kind: 'temperature';
  /** `system`, or the disk's id. */
  source: string;
  /** °C as DSM reports it; null when DSM gave none. */
  celsius: number | null;
}

/**
 * When a disk temperature is a warning or critical (°C, at or above). DSM's `load_info` has no per-disk
 * temperature flag, so these are this client's defaults: set them from your drives' data sheet.
 */
export interface DiskTemperatureLimits {
  warning: number;
  critical: number;
}

export const DEFAULT_DISK_TEMPERATURE: DiskTemperatureLimits = { warning: 55, critical: 65 };

export function diskTemperature(
  diskId: string,
  name: string,
  celsius: number | null,
  limits: DiskTemperatureLimits,
): TemperatureReading {
  let health: Health = 'ok';
  const problems: string[] = [];
  if (celsius === null) {
    health = 'unknown';
    problems.push('temp is missing');
  } else if (celsius >= limits.critical) {
    health = 'critical';
    problems.push(`${celsius} °C, at or above ${limits.critical} °C`);
  } else if (celsius >= limits.warning) {
    health = 'warning';
    problems.push(`${celsius} °C, at or above ${limits.warning} °C`);
  }
  return {
    id: `temperature:disk:${diskId}`,
    kind: 'temperature',
    name,
    source: diskId,
    celsius,
    health,
    problems,
  };
}
