import { asRecord, asRecords, numberOf, text } from './apis';

/**
 * What a connection (or a task) is doing, in five words:
 * - `ok`: up to date (DSM `uptodate`);
 * - `syncing`: DSM `syncing`;
 * - `paused`: paused by the user (all connections: list_conn `is_pause`; one: a status naming a pause);
 * - `error`: DSM reports an error on it (`error` not 0, or an `error_desc` / `error_type`);
 * - `attention`: anything else: not linked to the cloud any more (`link_status` not 1), or a status this client
 *   does not know. The raw status is kept in `status`.
 */
export type CloudSyncState = 'ok' | 'syncing' | 'paused' | 'error' | 'attention';

export const CLOUD_SYNC_STATES: readonly CloudSyncState[] = ['ok', 'syncing', 'paused', 'error', 'attention'];

/** One Cloud Sync connection (a cloud account linked to the NAS), from `list_conn`. */
export interface CloudSyncConnection {
  id: number;
  /** The connection's name as the user set it (`task_name`). */
  name: string;
  /** The cloud's name as Cloud Sync shows it (`task_display_name`, e.g. "Microsoft OneDrive"). */
  displayName: string;
  /** The cloud type code: `db` (Dropbox), `od_v1` (OneDrive), `gd` (Google Drive)... (`type`). */
  type: string;
  /** The DSM user the connection belongs to (`user_name`). */
  user: string;
  /** DSM's status as sent: `uptodate`, `syncing`; others are not documented anywhere. */
  status: string;
  state: CloudSyncState;
  /** Files still to sync (`unfinished_files`). */
  unfinishedFiles: number;
  /** False when Cloud Sync has lost the link to the cloud account (`link_status` not 1): sign in again. */
  linked: boolean;
  /** DSM's error text (`error_desc`, else `error_type`, else "error N"); null when none. */
  error: string | null;
  /** DSM's error number (`error`), 0 when none. */
  errorCode: number;
  /** The connection as DSM sent it. */
  raw: Record<string, unknown>;
}

/** All connections with the package-wide flags of the same answer. */
export interface CloudSyncOverview {
  connections: CloudSyncConnection[];
  /** Cloud Sync as a whole is paused (`is_pause`: after a pause of all connections). */
  paused: boolean;
  /** The package's own summary (`tray_status`: `uptodate`, `syncing`...). */
  trayStatus: string;
  /** list_conn's `data` as sent. */
  raw: Record<string, unknown>;
}

/** The error text and code DSM attaches to a failing connection or task (fields present only then: mikespub schema). */
export function errorOf(raw: Record<string, unknown>): { error: string | null; errorCode: number } {
  const errorCode = numberOf(raw.error);
  const desc = text(raw.error_desc).trim();
  const type = text(raw.error_type).trim();
  const error = desc || type || (errorCode !== 0 ? `error ${errorCode}` : null);
  return { error, errorCode };
}

/**
 * The state of a connection or task from its raw status, error fields, link and the package's pause flag. An error
 * outranks everything: a paused connection with an error still needs the user. Statuses other than `uptodate` and
 * `syncing` are not in any source (next-apis-notes §2 [U]): one naming a pause or an error is taken at its word,
 * any other is `attention`.
 */
export function stateOf(
  status: string,
  error: string | null,
  linked: boolean,
  paused: boolean,
): CloudSyncState {
  const lower = status.toLowerCase();
  if (error !== null || /err|fail/.test(lower)) return 'error';
  if (!linked) return 'attention';
  if (paused || /paus/.test(lower)) return 'paused';
  if (lower === 'syncing') return 'syncing';
  if (lower === 'uptodate') return 'ok';
  return 'attention';
}

export function toConnection(value: unknown, packagePaused = false): CloudSyncConnection {
  const raw = asRecord(value);
  const status = text(raw.status);
  const { error, errorCode } = errorOf(raw);
  // link_status 1 = linked (mikespub schema, N4S4 examples); absent counts as linked.
  const linked = raw.link_status === undefined || numberOf(raw.link_status, 1) === 1;
  return {
    id: numberOf(raw.id, -1),
    name: text(raw.task_name),
    displayName: text(raw.task_display_name),
    type: text(raw.type),
    user: text(raw.user_name),
    status,
    state: stateOf(status, error, linked, packagePaused),
    unfinishedFiles: numberOf(raw.unfinished_files),
    linked,
    error,
    errorCode,
    raw,
  };
}

export function toOverview(value: unknown): CloudSyncOverview {
  const raw = asRecord(value);
  const paused = raw.is_pause === true || raw.is_pause === 'true';
  return {
    connections: asRecords(raw.conn).map((conn) => toConnection(conn, paused)),
    paused,
    trayStatus: text(raw.tray_status),
    raw,
  };
}
