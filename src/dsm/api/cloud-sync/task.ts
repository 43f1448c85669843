import { asRecord, numberOf, text } from './apis';
import { errorOf, stateOf, type CloudSyncState } from './connection';

/** Which way a task syncs: DSM's ONLY_UPLOAD, ONLY_DOWNLOAD, BIDIRECTION. */
export type SyncDirection = 'upload' | 'download' | 'both';

const DIRECTIONS: Readonly<Record<string, SyncDirection>> = {
  ONLY_UPLOAD: 'upload',
  ONLY_DOWNLOAD: 'download',
  BIDIRECTION: 'both',
};

/** One sync task of a connection (DSM calls it a session: `list_sess`): a local folder paired with a cloud folder. */
export interface CloudSyncTask {
  /** `sess_id`. */
  id: number;
  connectionId: number;
  /** The NAS folder, e.g. `/photo/phone` (`local_sync_path`). */
  localPath: string;
  /** The cloud folder (`remote_sync_path`). */
  remotePath: string;
  /** upload, download or both; DSM's own word where it is none of those. */
  direction: SyncDirection | string;
  /** DSM's `sync_status` as sent (`uptodate`, `syncing`...). */
  status: string;
  state: CloudSyncState;
  linked: boolean;
  error: string | null;
  errorCode: number;
  raw: Record<string, unknown>;
}

export function toTask(value: unknown, packagePaused = false): CloudSyncTask {
  const raw = asRecord(value);
  const status = text(raw.sync_status);
  const { error, errorCode } = errorOf(raw);
  const linked = raw.link_status === undefined || numberOf(raw.link_status, 1) === 1;
  const direction = text(raw.sync_direction);
  return {
    id: numberOf(raw.sess_id, -1),
    connectionId: numberOf(raw.conn_id, -1),
    localPath: text(raw.local_sync_path),
    remotePath: text(raw.remote_sync_path),
    direction: DIRECTIONS[direction] ?? direction,
    status,
    state: stateOf(status, error, linked, packagePaused),
    linked,
    error,
    errorCode,
    raw,
  };
}
