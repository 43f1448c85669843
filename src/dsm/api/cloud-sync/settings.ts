import { inputError } from '../../errors';
import { describeType } from '../file-station/options';
import { asRecord, asRecords, numberOf, text } from './apis';
import { actionName, levelName } from './logs';

/** A connection's settings (`get_connection_setting`; mikespub schema). */
export interface ConnectionSettings {
  name: string;
  /** Cloud type code (`client_type`). */
  type: string;
  /** Whether the connection syncs only in the hours of `schedule`. */
  scheduleEnabled: boolean;
  /** Seven strings, Sunday first, of 24 `0`/`1` (one per hour, `1` = may sync). */
  schedule: string[];
  /** Seconds between looks for changes on the cloud. */
  pullEventPeriod: number;
  /** Bytes per second; 0 = no limit (as DSM sends them). */
  maxUploadSpeed: number;
  maxDownloadSpeed: number;
  raw: Record<string, unknown>;
}

/** The cloud account behind a connection (`get_property`; mikespub schema). */
export interface ConnectionProperty {
  type: string;
  typeId: number;
  /** The account on the cloud. */
  userName: string;
  /** Bytes; 0 when the cloud does not say. */
  quotaTotal: number;
  quotaUsed: number;
  raw: Record<string, unknown>;
}

/** Cloud Sync's package settings (`get_config`; N4S4 example). */
export interface CloudSyncConfig {
  /** Whether the admin sees every user's connections (`admin_mode: "enable"`). */
  adminMode: boolean;
  /** Log entries kept per connection. */
  logCount: number;
  /** Files transferred at once. */
  workerCount: number;
  /** The volume holding Cloud Sync's database (`repo_vol_path`). */
  volumePath: string;
  raw: Record<string, unknown>;
}

/** Recently synced files and those syncing now (`get_recently_change`; mikespub schema, N4S4 example). */
export interface RecentChanges {
  /** The latest synced files (DSM keeps five). */
  history: { fileName: string; path: string; taskId: number; action: string; level: string }[];
  /** Files being transferred now. */
  processing: {
    fileName: string;
    path: string;
    taskId: number;
    status: string;
    /** Bytes. */
    size: number;
    transferred: number;
  }[];
  raw: Record<string, unknown>;
}

const DAYS = 7;
const HOURS = 24;

export function splitSchedule(value: unknown): string[] {
  const all = text(value);
  if (!/^[01]{168}$/.test(all)) return [];
  return Array.from({ length: DAYS }, (_, day) => all.slice(day * HOURS, (day + 1) * HOURS));
}

/**
 * A schedule as DSM's `schedule_info`: 168 characters `0`/`1`, Sunday 00-01 first (N4S4 set_connection_schedule;
 * get_connection_setting answers it in this form). Takes the seven day strings, or the 168 characters.
 */
export function checkSchedule(field: string, value: unknown): string {
  const days = Array.isArray(value) ? value : undefined;
  if (days) {
    if (days.length !== DAYS)
      throw inputError(field, `must have 7 days (Sunday first), not ${days.length}`, SCHEDULE_HINT);
    days.forEach((day, index) => {
      if (typeof day !== 'string' || !/^[01]{24}$/.test(day))
        throw inputError(
          `${field}[${index}]`,
          `must be 24 characters 0 or 1, not ${typeof day === 'string' ? `"${day}"` : describeType(day)}`,
          SCHEDULE_HINT,
        );
    });
    return days.join('');
  }
  if (typeof value === 'string' && /^[01]{168}$/.test(value)) return value;
  throw inputError(
    field,
    `must be 7 strings of 24 characters 0 or 1, not ${describeType(value)}`,
    SCHEDULE_HINT,
  );
}

const SCHEDULE_HINT = "One string per day, Sunday first, one '1' (may sync) or '0' per hour from 00:00.";

export function toSettings(value: unknown): ConnectionSettings {
  const raw = asRecord(value);
  return {
    name: text(raw.task_name),
    type: text(raw.client_type),
    scheduleEnabled: raw.is_enabled_schedule === true,
    schedule: splitSchedule(raw.schedule_info),
    pullEventPeriod: numberOf(raw.pull_event_period),
    maxUploadSpeed: numberOf(raw.max_upload_speed),
    maxDownloadSpeed: numberOf(raw.max_download_speed),
    raw,
  };
}

export function toProperty(value: unknown): ConnectionProperty {
  const raw = asRecord(value);
  return {
    type: text(raw.type),
    typeId: numberOf(raw.type_id, -1),
    userName: text(raw.user_name),
    quotaTotal: numberOf(raw.quota_total),
    quotaUsed: numberOf(raw.quota_used),
    raw,
  };
}

export function toConfig(value: unknown): CloudSyncConfig {
  const raw = asRecord(value);
  return {
    adminMode: raw.admin_mode === 'enable' || raw.admin_mode === true,
    logCount: numberOf(raw.log_count),
    workerCount: numberOf(raw.worker_count),
    volumePath: text(raw.repo_vol_path),
    raw,
  };
}

export function toRecentChanges(value: unknown): RecentChanges {
  const raw = asRecord(value);
  return {
    history: asRecords(raw.history_items).map((item) => ({
      fileName: text(item.base_name),
      path: text(item.path),
      taskId: numberOf(item.session_id, -1),
      action: actionName(item.action),
      level: levelName(item.log_level),
    })),
    processing: asRecords(raw.processing_items).map((item) => ({
      fileName: text(item.base_name),
      path: text(item.path),
      taskId: numberOf(item.session_id, -1),
      status: text(item.status),
      size: numberOf(item.total_size),
      transferred: numberOf(item.current_size),
    })),
    raw,
  };
}
