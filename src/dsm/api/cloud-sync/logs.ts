import type { DsmClient } from '../../client';
import { inputError } from '../../errors';
import { describeType, optionalString, optionalWholeNumber } from '../file-station/options';
import { asRecord, asRecords, callCloudSync, numberOf, text } from './apis';

/** get_log's `log_level` (N4S4 cloud_sync.py): 0 info, 1 warning, 2 error; -1 all. */
export const LOG_LEVELS = { all: -1, info: 0, warning: 1, error: 2 } as const;
export type LogLevel = keyof typeof LOG_LEVELS;

/** get_log's `action` (N4S4 cloud_sync.py): what the entry's file went through; -1 all. */
export const LOG_ACTIONS = {
  all: -1,
  delete_remote: 0,
  download: 1,
  upload: 2,
  delete_local: 3,
  rename_remote: 4,
  merge: 8,
  merge_deletion: 9,
} as const;
export type LogAction = keyof typeof LOG_ACTIONS;

/** One entry of a connection's log. */
export interface CloudSyncLogEntry {
  /** ms since 1970 (DSM sends whole seconds). */
  time: number;
  /** info, warning, error; DSM's number as text when it is none of them. */
  level: string;
  /** download, upload, delete_remote...; DSM's number as text when it is none of them. */
  action: string;
  /** The NAS path of the file (`path`). */
  path: string;
  fileName: string;
  /** `file` or `dir` as DSM sent it (`file_type`). */
  fileType: string;
  /** The task (session) the entry belongs to (`session_id`). */
  taskId: number;
  /** Cloud Sync's error number for the file (e.g. -36); 0 when none. */
  errorCode: number;
  raw: Record<string, unknown>;
}

export interface LogOptions {
  /** Only this level: info, warning, error (or all, the default). */
  level?: LogLevel;
  /** Only entries matching this text (Cloud Sync's own keyword search: the file name in the simulator). */
  keyword?: string;
  /** Only this action: download, upload, delete_remote... (or all, the default). */
  action?: LogAction;
  /**
   * Only entries from this time on: a Date, ms since 1970, an ISO date string, or a span back from now such as
   * `30m`, `24h`, `7d`.
   */
  since?: Date | number | string;
  /** Only entries up to this time (same forms as `since`). */
  until?: Date | number | string;
  /** Entries to skip (newest first as DSM orders them). Default 0. */
  offset?: number;
  /** Entries to return, 1-1000. Default 200 (DSM's own default). */
  limit?: number;
  signal?: AbortSignal;
}

export interface CloudSyncLogPage {
  entries: CloudSyncLogEntry[];
  /** How many entries match in all (DSM's `total`). */
  total: number;
}

/**
 * Where a reader of a log got to: the time of the newest entry seen (DSM time, whole seconds) and the entries seen
 * at that second. Plain JSON: keep it in a node's context between polls.
 */
export interface LogCursor {
  time: number;
  seen: string[];
}

export interface LogsAfterResult {
  /** The entries after the cursor, oldest first. */
  entries: CloudSyncLogEntry[];
  /** Pass it to the next call. */
  cursor: LogCursor;
}

const LEVEL_NAMES = Object.fromEntries(Object.entries(LOG_LEVELS).map(([name, n]) => [n, name]));
const ACTION_NAMES = Object.fromEntries(Object.entries(LOG_ACTIONS).map(([name, n]) => [n, name]));
const SPAN_UNITS: Readonly<Record<string, number>> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };
/** DSM's page size when none is given (N4S4); logsAfter reads in pages of it. */
const PAGE = 200;

/** `info`, `warning`, `error` for DSM's level number; the number as text when it is none of them. */
export function levelName(value: unknown): string {
  return LEVEL_NAMES[numberOf(value, NaN)] ?? text(value);
}

/** `download`, `upload`, `delete_remote`... for DSM's action number; the number as text when unknown. */
export function actionName(value: unknown): string {
  return ACTION_NAMES[numberOf(value, NaN)] ?? text(value);
}

export function toLogEntry(value: unknown): CloudSyncLogEntry {
  const raw = asRecord(value);
  return {
    time: numberOf(raw.time) * 1000,
    level: levelName(raw.log_level),
    action: actionName(raw.action),
    path: text(raw.path),
    fileName: text(raw.file_name),
    fileType: text(raw.file_type),
    taskId: numberOf(raw.session_id, -1),
    errorCode: numberOf(raw.error_code),
    raw,
  };
}

function checkName<T extends string>(field: string, value: unknown, names: readonly T[]): T | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  const name = typeof value === 'string' ? value.trim().toLowerCase() : value;
  if (typeof name === 'string' && (names as readonly string[]).includes(name)) return name as T;
  const shown = typeof value === 'string' ? `"${value}"` : describeType(value);
  throw inputError(field, `${shown} is not one of ${names.join(', ')}`);
}

export function checkLogLevel(field: string, value: unknown): LogLevel | undefined {
  return checkName(field, value, Object.keys(LOG_LEVELS) as LogLevel[]);
}

export function checkLogAction(field: string, value: unknown): LogAction | undefined {
  return checkName(field, value, Object.keys(LOG_ACTIONS) as LogAction[]);
}

/** A point in time as ms since 1970: Date, ms, ISO string or a span back from `now` (`24h`). */
export function checkTime(field: string, value: unknown, now = Date.now()): number | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (value instanceof Date && Number.isFinite(value.getTime())) return value.getTime();
  if (typeof value === 'number' && Number.isFinite(value) && value >= 0) return value;
  if (typeof value === 'string') {
    const span = /^\s*(\d+(?:\.\d+)?)\s*([smhd])\s*$/i.exec(value);
    if (span) return now - Number(span[1]) * SPAN_UNITS[span[2].toLowerCase()];
    const parsed = Date.parse(value);
    if (/\d{4}-\d{2}-\d{2}/.test(value) && Number.isFinite(parsed)) return parsed;
  }
  const shown = typeof value === 'string' ? `"${value}"` : describeType(value);
  throw inputError(
    field,
    `${shown} is not a time`,
    'Give a Date, ms since 1970, an ISO date such as 2026-11-01T08:00:00Z, or a span back from now such as 24h or 7d.',
  );
}

interface CheckedLogQuery {
  params: Record<string, unknown>;
  offset: number;
  limit: number;
}

export function checkLogOptions(options: Partial<LogOptions>): CheckedLogQuery {
  const level = checkLogLevel('level', options.level) ?? 'all';
  const action = checkLogAction('action', options.action) ?? 'all';
  const keyword = optionalString('keyword', options.keyword) ?? '';
  const since = checkTime('since', options.since);
  const until = checkTime('until', options.until);
  if (since !== undefined && until !== undefined && until < since)
    throw inputError('until', 'is before since', 'Give an end time after the start time.');
  const offset = optionalWholeNumber('offset', options.offset) ?? 0;
  const limit = optionalWholeNumber('limit', options.limit, 1) ?? PAGE;
  if (limit > 1000) throw inputError('limit', `must be 1000 or less, not ${limit}`);
  return {
    params: {
      keyword,
      // DSM wants whole seconds; 0 means "no bound" (N4S4's defaults).
      date_from: since === undefined ? 0 : Math.floor(since / 1000),
      date_to: until === undefined ? 0 : Math.ceil(until / 1000),
      log_level: LOG_LEVELS[level],
      action: LOG_ACTIONS[action],
    },
    offset,
    limit,
  };
}

async function fetchPage(
  client: DsmClient,
  connectionId: number,
  params: Record<string, unknown>,
  offset: number,
  limit: number,
  signal?: AbortSignal,
): Promise<{ items: Record<string, unknown>[]; total: number }> {
  const data = asRecord(
    await callCloudSync(client, 'get_log', { connection_id: connectionId, ...params, offset, limit }, signal),
  );
  const items = asRecords(data.items);
  return { items, total: numberOf(data.total, items.length) };
}

/** One page of a connection's log, as DSM orders it. */
export async function readLogs(
  client: DsmClient,
  connectionId: number,
  query: CheckedLogQuery,
  signal?: AbortSignal,
): Promise<CloudSyncLogPage> {
  const { items, total } = await fetchPage(
    client,
    connectionId,
    query.params,
    query.offset,
    query.limit,
    signal,
  );
  return { entries: items.map(toLogEntry), total };
}

/** What makes an entry the same entry in two readings (DSM gives log entries no id). */
function entryKey(entry: CloudSyncLogEntry): string {
  const r = entry.raw;
  return [r.time, r.session_id, r.action, r.log_level, r.error_code, r.path].map(text).join('|');
}

export function checkCursor(field: string, value: unknown): LogCursor | undefined {
  if (value === undefined || value === null) return undefined;
  const cursor = value as Partial<LogCursor>;
  if (
    typeof value === 'object' &&
    typeof cursor.time === 'number' &&
    Number.isFinite(cursor.time) &&
    Array.isArray(cursor.seen) &&
    cursor.seen.every((key) => typeof key === 'string')
  )
    return { time: cursor.time, seen: cursor.seen };
  throw inputError(field, `must be a cursor from an earlier call ({time, seen}), not ${describeType(value)}`);
}

/**
 * The entries after a cursor, oldest first, and the cursor to pass next time. Without a cursor: every entry that
 * matches (the caller decides whether the first reading is news). DSM's `date_from` is whole seconds, so entries of
 * the cursor's own second come back again: those already seen are dropped by their content.
 * Reads at most `maxEntries` (default 2000) entries per call, the oldest of them when there are more.
 */
export async function readLogsAfter(
  client: DsmClient,
  connectionId: number,
  cursor: LogCursor | undefined,
  options: {
    level?: LogLevel;
    keyword?: string;
    action?: LogAction;
    maxEntries?: number;
    signal?: AbortSignal;
  },
): Promise<LogsAfterResult> {
  const query = checkLogOptions({ level: options.level, keyword: options.keyword, action: options.action });
  const maxEntries = optionalWholeNumber('maxEntries', options.maxEntries, 1) ?? 2000;
  const params = { ...query.params, date_from: cursor ? cursor.time : 0 };
  const seen = new Set(cursor?.seen ?? []);
  const collected: CloudSyncLogEntry[] = [];
  let offset = 0;
  for (;;) {
    const { items, total } = await fetchPage(client, connectionId, params, offset, PAGE, options.signal);
    collected.push(...items.map(toLogEntry));
    offset += items.length;
    if (items.length < PAGE || offset >= total || collected.length >= maxEntries) break;
  }
  const fresh = collected
    .filter((entry) => !cursor || (entry.time / 1000 >= cursor.time && !seen.has(entryKey(entry))))
    .sort((a, b) => a.time - b.time)
    .slice(0, maxEntries);
  return { entries: fresh, cursor: nextCursor(cursor, fresh) };
}

function nextCursor(cursor: LogCursor | undefined, fresh: CloudSyncLogEntry[]): LogCursor {
  if (fresh.length === 0) return cursor ?? { time: 0, seen: [] };
  const time = Math.max(...fresh.map((entry) => entry.time / 1000));
  const atTime = fresh.filter((entry) => entry.time / 1000 === time).map(entryKey);
  const carried = cursor && cursor.time === time ? cursor.seen : [];
  return { time, seen: [...new Set([...carried, ...atTime])] };
}
