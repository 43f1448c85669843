/**
 * How healthy one item is. `ok` only for values known to be good; a value this client does not know is `unknown`
 * (shown, never taken for good); `warning` and `critical` for values known to be bad.
 */
export type Health = 'ok' | 'warning' | 'critical' | 'unknown';

export const HEALTHS: readonly Health[] = ['ok', 'unknown', 'warning', 'critical'];

/** What each item of a snapshot is. `source` stands for a part DSM could not tell (an API missing or failing). */
export type HealthKind =
  'disk' | 'pool' | 'volume' | 'temperature' | 'system' | 'utilisation' | 'update' | 'backup' | 'source';

/** What every item of a snapshot has: a stable id to compare polls by, its health, and why it is not ok. */
export interface HealthItem {
  /** Stable over polls and reboots: `disk:sata1`, `volume:volume_1`, `temperature:system`, `backup:1`. */
  id: string;
  kind: HealthKind;
  /** As DSM names it: `Drive 1`, `/volume1`, `Nightly backup`. */
  name: string;
  health: Health;
  /** Why it is not ok, one line each, naming DSM's field and raw value; empty when ok. */
  problems: string[];
}

/** The worse of health values: critical > warning > unknown > ok. An empty list is ok. */
export function worst(healths: readonly Health[]): Health {
  return healths.reduce<Health>((a, b) => (HEALTHS.indexOf(b) > HEALTHS.indexOf(a) ? b : a), 'ok');
}

/** Known values of one DSM status field: every value not listed is `unknown`. */
export interface KnownValues {
  ok: readonly string[];
  warning?: readonly string[];
  critical?: readonly string[];
}

/** A judgement of one field: its health and, when not ok, the problem line. */
export interface Verdict {
  health: Health;
  problem?: string;
}

/** Judges DSM's raw string `value` of `field` against the known values. A missing field is unknown. */
export function judge(field: string, value: unknown, known: KnownValues): Verdict {
  if (value === undefined || value === null) return { health: 'unknown', problem: `${field} is missing` };
  const raw = typeof value === 'string' ? value : JSON.stringify(value);
  if (known.ok.includes(raw)) return { health: 'ok' };
  if (known.critical?.includes(raw)) return { health: 'critical', problem: `${field} is "${raw}"` };
  if (known.warning?.includes(raw)) return { health: 'warning', problem: `${field} is "${raw}"` };
  return { health: 'unknown', problem: `${field} is "${raw}", a value this client does not know` };
}

/** Judges a flag where true is bad: false ok, true `bad`, anything else unknown. */
export function judgeFlag(field: string, value: unknown, bad: Health, whenTrue: string): Verdict {
  if (value === false) return { health: 'ok' };
  if (value === true) return { health: bad, problem: whenTrue };
  return {
    health: 'unknown',
    problem: `${field} is ${value === undefined ? 'missing' : JSON.stringify(value)}`,
  };
}

/** The item fields from a set of verdicts. */
export function combine(verdicts: readonly Verdict[]): { health: Health; problems: string[] } {
  return {
    health: worst(verdicts.map((v) => v.health)),
    problems: verdicts.flatMap((v) => (v.problem ? [v.problem] : [])),
  };
}
