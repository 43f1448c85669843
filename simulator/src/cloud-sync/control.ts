import type { SimulatorState } from '../state';
import { DEFAULT_FAILURE } from './cloud-sync';
import { CLOUD_TYPES, type CloudConnection, type CloudType } from './connection';

/** A connection for the control surface to add; only localPath is required. */
export interface CloudSyncConnectionSpec {
  /** DSM path of the local folder, inside a shared folder (`/home`, `/photo/albums`). */
  localPath: string;
  /** `db` (Dropbox, the default) or `od_v1` (OneDrive). */
  type?: CloudType;
  taskName?: string;
  remotePath?: string;
  /** The DSM account that owns it; default: the first account. */
  owner?: string;
  /** The cloud account's name (list_conn user_name); default: the owner. */
  cloudUserName?: string;
}

/** What a failing connection reports; each defaults to DEFAULT_FAILURE's value. */
export interface CloudSyncFailureSpec {
  error?: number;
  errorDesc?: string;
  errorType?: string;
}

export function cloudSyncControl(sim: SimulatorState) {
  return {
    setCloudSyncInstalled: (installed: boolean): void => {
      sim.cloudSync.installed = installed;
    },
    addCloudSyncConnection: (spec: CloudSyncConnectionSpec): { id: number; sessionId: number } => {
      if (typeof spec?.localPath !== 'string' || !spec.localPath.startsWith('/')) {
        throw new TypeError('localPath must be a DSM path such as /home');
      }
      if (spec.type !== undefined && !Object.hasOwn(CLOUD_TYPES, spec.type)) {
        throw new TypeError(`type must be one of ${Object.keys(CLOUD_TYPES).join(', ')}`);
      }
      const owner = spec.owner ?? sim.options.users[0]?.username ?? 'admin';
      const connection = sim.cloudSync.add({ ...spec, owner });
      return { id: connection.id, sessionId: connection.sessions[0].id };
    },
    failCloudSyncConnection: (id: number, failure: CloudSyncFailureSpec = {}): void => {
      const error = failure.error ?? DEFAULT_FAILURE.error;
      if (!Number.isInteger(error)) throw new TypeError('error must be an integer');
      sim.cloudSync.fail(connectionById(sim, id), {
        error,
        errorDesc: String(failure.errorDesc ?? DEFAULT_FAILURE.errorDesc),
        errorType: String(failure.errorType ?? DEFAULT_FAILURE.errorType),
      });
    },
    recoverCloudSyncConnection: (id: number): void => sim.cloudSync.recover(connectionById(sim, id)),
  };
}

function connectionById(sim: SimulatorState, id: number): CloudConnection {
  const connection = sim.cloudSync.find(id);
  if (!connection) throw new RangeError(`No Cloud Sync connection ${id}`);
  return connection;
}
