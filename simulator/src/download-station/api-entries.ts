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
