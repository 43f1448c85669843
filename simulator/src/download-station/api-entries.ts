import type { DownloadStationApis } from '../options';
import type { ApiEntry } from '../profiles/api-entry';

const DS1 = { package: 'DownloadStation', minVersion: 1 } as const;
const DS2 = { package: 'DownloadStation', path: 'entry.cgi', requestFormat: 'JSON' } as const;

/**
 * The Download Station APIs the simulator serves, as the DSM 7.2.2, 7.0 and 6.2.2 API.Info captures list them
 * (identical in all three): v1 at DownloadStation/*.cgi, DownloadStation2 at entry.cgi with requestFormat JSON.
 */
export const DOWNLOAD_STATION_APIS: readonly ApiEntry[] = [
  { ...DS1, api: 'SYNO.DownloadStation.Info', path: 'DownloadStation/info.cgi', maxVersion: 2 },
  { ...DS1, api: 'SYNO.DownloadStation.Statistic', path: 'DownloadStation/statistic.cgi', maxVersion: 1 },
  { ...DS1, api: 'SYNO.DownloadStation.Task', path: 'DownloadStation/task.cgi', maxVersion: 3 },
  { ...DS2, api: 'SYNO.DownloadStation2.Settings.Location', minVersion: 1, maxVersion: 1 },
  { ...DS2, api: 'SYNO.DownloadStation2.Task', minVersion: 1, maxVersion: 2 },
  { ...DS2, api: 'SYNO.DownloadStation2.Task.List', minVersion: 1, maxVersion: 2 },
  { ...DS2, api: 'SYNO.DownloadStation2.Task.List.Polling', minVersion: 2, maxVersion: 2 },
  { ...DS2, api: 'SYNO.DownloadStation2.Task.Statistic', minVersion: 1, maxVersion: 1 },
];

/**
 * A Download Station API as a NAS offering `apis` serves it: undefined when that NAS lacks it (not in API.Info,
 * calls answer 102), or with the versions it advertises there.
 */
export function servedDownloadStationEntry(entry: ApiEntry, apis: DownloadStationApis): ApiEntry | undefined {
  const ds2 = entry.api.startsWith('SYNO.DownloadStation2.');
  if ((apis === 'ds2-only' && !ds2) || (apis === 'v1-only' && ds2)) return undefined;
  if (apis === 'ds2-task-v1' && entry.api === 'SYNO.DownloadStation2.Task')
    return { ...entry, maxVersion: 1 };
  return entry;
}
