import type { DsmClient } from '../../client';
import { DsmError } from '../../errors';

export const TASK_V1 = 'SYNO.DownloadStation.Task';
export const TASK_DS2 = 'SYNO.DownloadStation2.Task';
export const INFO_V1 = 'SYNO.DownloadStation.Info';
export const STATISTIC_V1 = 'SYNO.DownloadStation.Statistic';
export const STATISTIC_DS2 = 'SYNO.DownloadStation2.Task.Statistic';
export const TASK_LIST_DS2 = 'SYNO.DownloadStation2.Task.List';
export const TASK_LIST_POLLING_DS2 = 'SYNO.DownloadStation2.Task.List.Polling';
export const SETTINGS_LOCATION_DS2 = 'SYNO.DownloadStation2.Settings.Location';

/** Which task API this DSM serves: v1 where it is there (every DSM 6 and 7 so far), else DS2. */
export type TaskApi = 'v1' | 'ds2';

/**
 * v1 unless discovery lists DS2 Task and no v1 Task. With neither the call goes to v1, so that the client looks
 * again for a package installed meanwhile and the answer says "not installed".
 */
export async function taskApi(client: DsmClient, signal?: AbortSignal): Promise<TaskApi> {
  const info = await client.apiInfo(signal);
  return !info[TASK_V1] && (info[TASK_DS2]?.maxVersion ?? 0) >= 2 ? 'ds2' : 'v1';
}

/** The highest DS2 Task version DSM lists; 0 when none. */
export async function ds2TaskVersion(client: DsmClient, signal?: AbortSignal): Promise<number> {
  return (await client.apiInfo(signal))[TASK_DS2]?.maxVersion ?? 0;
}

const NOT_INSTALLED_HINT =
  'Install Download Station in Package Center, or start it if it is stopped; then try again.';

/**
 * Download Station errors in Download Station's terms: a missing API (102) means the package is not installed or
 * is stopped (its APIs leave SYNO.API.Info), not a bad API name; a 105 on a fresh session may be a stopped package
 * too (Prowlarr #1812: calls to a stopped Download Station look like permission errors).
 */
export async function inDownloadStationTerms<T>(work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (err) {
    if (!(err instanceof DsmError) || !err.api?.startsWith('SYNO.DownloadStation')) throw err;
    if (err.code === 102) {
      throw new DsmError({
        kind: 'dsm',
        code: 102,
        api: err.api,
        method: err.method,
        reason: 'Download Station is not installed or is stopped on this NAS',
        hint: NOT_INSTALLED_HINT,
      });
    }
    if (err.code === 105 && err.kind === 'dsm') {
      throw new DsmError({
        ...err.toJSON(),
        hint: `${err.hint ?? ''} If Download Station is stopped, start it in Package Center.`.trim(),
      });
    }
    throw err;
  }
}
