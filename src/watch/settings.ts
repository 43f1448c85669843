import { inputError } from '../dsm';
import { describeType } from '../dsm/api/file-station';
import type { Subject, WatchEvent, WatchSource } from './source';
import { SOURCES, sourceNamed } from './sources';

export const DEFAULT_INTERVAL_S = 10;
export const MIN_INTERVAL_S = 1;
/** °C at or above which a temperature is high (health source); NAS drives' data sheets put their top at 60-70 °C. */
export const DEFAULT_TEMPERATURE_THRESHOLD_C = 60;
const MIN_THRESHOLD_C = 20;
const MAX_THRESHOLD_C = 100;

export interface WatchFilter {
  ids?: ReadonlySet<string>;
  statuses?: ReadonlySet<string>;
  /** Cloud Sync connections by id or name. */
  connections?: ReadonlySet<string>;
}

export interface WatchSettings {
  sources: readonly WatchSource[];
  intervalMs: number;
  /** The first poll describes what there is (`<source>.current` msgs) instead of only noting it. */
  emitCurrent: boolean;
  /** At most one progress msg per item this often; 0: every change. */
  progressThrottleMs: number;
  /** °C at or above which the health source tells `temperature.high`. */
  temperatureThreshold: number;
  filter: WatchFilter;
}

/** Settings as the node or a msg gives them: text from the editor, or numbers and lists from a msg. */
export interface RawWatchSettings {
  sources?: unknown;
  interval?: unknown;
  emitCurrent?: unknown;
  progressThrottle?: unknown;
  temperatureThreshold?: unknown;
  ids?: unknown;
  statuses?: unknown;
  connections?: unknown;
}

/** Field names as the user sees them, for errors: the node's fields, or `msg.filter.ids` for a msg. */
export interface FieldNames {
  sources: string;
  interval: string;
  emitCurrent: string;
  progressThrottle: string;
  temperatureThreshold: string;
  ids: string;
  statuses: string;
  connections: string;
}

export const NODE_FIELDS: FieldNames = {
  sources: 'sources',
  interval: 'interval',
  emitCurrent: 'emitCurrent',
  progressThrottle: 'progressThrottle',
  temperatureThreshold: 'temperatureThreshold',
  ids: 'ids',
  statuses: 'statuses',
  connections: 'connections',
};

/**
 * Checks every setting and returns them all, or throws an input error naming the first bad field; nothing is
 * half-applied. `base` supplies what `raw` leaves out (a msg changing only the interval keeps the rest).
 */
export function parseSettings(
  raw: RawWatchSettings,
  fields: FieldNames = NODE_FIELDS,
  base?: WatchSettings,
): WatchSettings {
  const sources =
    raw.sources === undefined && base ? base.sources : parseSources(fields.sources, raw.sources);
  const intervalMs =
    raw.interval === undefined && base
      ? base.intervalMs
      : seconds(fields.interval, raw.interval, DEFAULT_INTERVAL_S, MIN_INTERVAL_S) * 1000;
  const progressThrottleMs =
    raw.progressThrottle === undefined && base
      ? base.progressThrottleMs
      : seconds(fields.progressThrottle, raw.progressThrottle, 0, 0) * 1000;
  const temperatureThreshold =
    raw.temperatureThreshold === undefined && base
      ? base.temperatureThreshold
      : celsius(fields.temperatureThreshold, raw.temperatureThreshold);
  const emitCurrent =
    raw.emitCurrent === undefined && base ? base.emitCurrent : flag(fields.emitCurrent, raw.emitCurrent);
  const keep = <K extends keyof WatchFilter>(key: K, parse: () => WatchFilter[K]): WatchFilter[K] =>
    raw[key] === undefined && base ? base.filter[key] : parse();
  const filter: WatchFilter = {
    ids: keep('ids', () => idList(fields.ids, raw.ids)),
    statuses: keep('statuses', () => statusList(fields.statuses, raw.statuses, sources)),
    connections: keep('connections', () => nameList(fields.connections, raw.connections)),
  };
  // A status filter chosen for other sources must still fit the sources now chosen.
  if (raw.statuses === undefined && filter.statuses)
    statusList(fields.statuses, [...filter.statuses], sources);
  return { sources, intervalMs, emitCurrent, progressThrottleMs, temperatureThreshold, filter };
}

function parseSources(field: string, value: unknown): WatchSource[] {
  const names = listOf(field, value);
  if (!names || names.length === 0)
    throw inputError(field, 'no source is chosen', `Choose one or more of ${sourceNames()}.`);
  const chosen: WatchSource[] = [];
  for (const name of names) {
    const source = sourceNamed(name);
    if (!source) throw inputError(field, `"${name}" is not a source`, `Use one or more of ${sourceNames()}.`);
    if (!chosen.includes(source)) chosen.push(source);
  }
  return chosen;
}

function sourceNames(): string {
  return SOURCES.map((source) => source.name).join(', ');
}

/** Seconds from a number or numeric text; blank means the default. */
function seconds(field: string, value: unknown, fallback: number, min: number): number {
  if (value === undefined || value === null || value === '') return fallback;
  if (typeof value !== 'number' && typeof value !== 'string')
    throw inputError(field, `must be a number of seconds, not ${describeType(value)}`);
  const n = typeof value === 'number' ? value : Number(value.trim());
  if (!Number.isFinite(n)) throw inputError(field, `"${String(value)}" is not a number of seconds`);
  if (n < min)
    throw inputError(
      field,
      min > 0 ? `${n} s is below the minimum of ${min} s` : `${n} s is negative`,
      min > 0 ? `DSM is polled at most once a second; use ${min} or more.` : 'Use 0 for no throttle.',
    );
  return n;
}

/** °C from a number or numeric text; blank means the default. */
function celsius(field: string, value: unknown): number {
  if (value === undefined || value === null || value === '') return DEFAULT_TEMPERATURE_THRESHOLD_C;
  if (typeof value !== 'number' && typeof value !== 'string')
    throw inputError(field, `must be a number of °C, not ${describeType(value)}`);
  const n = typeof value === 'number' ? value : Number(value.trim());
  const hint = `Give °C from ${MIN_THRESHOLD_C} to ${MAX_THRESHOLD_C}, such as ${DEFAULT_TEMPERATURE_THRESHOLD_C}.`;
  if (!Number.isFinite(n)) throw inputError(field, `"${String(value)}" is not a number of °C`, hint);
  if (n < MIN_THRESHOLD_C || n > MAX_THRESHOLD_C)
    throw inputError(field, `${n} °C is outside ${MIN_THRESHOLD_C}-${MAX_THRESHOLD_C} °C`, hint);
  return n;
}

function flag(field: string, value: unknown): boolean {
  if (value === undefined || value === null || value === '') return false;
  if (typeof value === 'boolean') return value;
  throw inputError(field, `must be true or false, not ${describeType(value)}`);
}

/** A list from an array or comma-separated text; blank means none. */
function listOf(field: string, value: unknown): string[] | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  const items = Array.isArray(value) ? value : typeof value === 'string' ? value.split(',') : undefined;
  if (!items) throw inputError(field, `must be a list or comma-separated text, not ${describeType(value)}`);
  const list = items.map((item, index) => {
    if (typeof item === 'number' && Number.isFinite(item)) return String(item);
    if (typeof item !== 'string')
      throw inputError(`${field}[${index}]`, `must be text, not ${describeType(item)}`);
    return item.trim();
  });
  const blank = list.findIndex((item) => item === '');
  if (blank >= 0 && Array.isArray(value)) throw inputError(`${field}[${blank}]`, 'is empty');
  const named = list.filter((item) => item !== '');
  return named.length > 0 ? named : undefined;
}

function idList(field: string, value: unknown): ReadonlySet<string> | undefined {
  const ids = listOf(field, value);
  const bad = ids?.find((id) => !/^[A-Za-z0-9_.:-]+$/.test(id));
  if (bad !== undefined)
    throw inputError(
      field,
      `"${bad}" is not an id`,
      'Give ids as DSM lists them: dbid_12 (download), FileStation_… (background task), a connection id.',
    );
  return ids && new Set(ids);
}

function statusList(
  field: string,
  value: unknown,
  sources: readonly WatchSource[],
): ReadonlySet<string> | undefined {
  const statuses = listOf(field, value);
  if (!statuses) return undefined;
  const known = new Set(sources.flatMap((source) => source.statuses));
  const bad = statuses.find((status) => !known.has(status));
  if (bad !== undefined)
    throw inputError(
      field,
      `"${bad}" is not a status of ${sources.map((s) => s.name).join(', ')}`,
      `Use one or more of ${[...known].join(', ')}.`,
    );
  return new Set(statuses);
}

function nameList(field: string, value: unknown): ReadonlySet<string> | undefined {
  const names = listOf(field, value);
  return names && new Set(names);
}

/** Whether the id and connection filters let an item through (the status filter judges events). */
export function wantedItem(filter: WatchFilter, source: WatchSource, item: Subject): boolean {
  if (filter.ids && !filter.ids.has(item.id)) return false;
  if (filter.connections && source.connections) {
    const { name } = item;
    if (!filter.connections.has(item.id) && !(name && filter.connections.has(name))) return false;
  }
  return true;
}

/** Whether an event passes: its item is wanted, and its status now or before is one of the filter's. */
export function wantedEvent(filter: WatchFilter, source: WatchSource, event: WatchEvent): boolean {
  const { subject, subjectBefore: before } = event;
  if (!wantedItem(filter, source, subject)) return false;
  if (!filter.statuses) return true;
  return filter.statuses.has(subject.status) || (before !== null && filter.statuses.has(before.status));
}
