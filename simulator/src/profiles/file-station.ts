import type { ApiEntry } from './api-entry';

/**
 * The File Station APIs beyond Info, List and Thumb: identical in the DSM 7.2.2 and DSM 6.2.2 API.Info captures
 * (all at entry.cgi with requestFormat JSON).
 */
export const FILE_STATION_APIS: readonly ApiEntry[] = [
  { api: 'SYNO.FileStation.Search', path: 'entry.cgi', minVersion: 1, maxVersion: 2, requestFormat: 'JSON' },
  { api: 'SYNO.FileStation.DirSize', path: 'entry.cgi', minVersion: 1, maxVersion: 2, requestFormat: 'JSON' },
  { api: 'SYNO.FileStation.MD5', path: 'entry.cgi', minVersion: 1, maxVersion: 2, requestFormat: 'JSON' },
  { api: 'SYNO.FileStation.Upload', path: 'entry.cgi', minVersion: 2, maxVersion: 3, requestFormat: 'JSON' },
  {
    api: 'SYNO.FileStation.Download',
    path: 'entry.cgi',
    minVersion: 1,
    maxVersion: 2,
    requestFormat: 'JSON',
  },
  { api: 'SYNO.FileStation.Sharing', path: 'entry.cgi', minVersion: 1, maxVersion: 3, requestFormat: 'JSON' },
  {
    api: 'SYNO.FileStation.CreateFolder',
    path: 'entry.cgi',
    minVersion: 1,
    maxVersion: 2,
    requestFormat: 'JSON',
  },
  { api: 'SYNO.FileStation.Rename', path: 'entry.cgi', minVersion: 1, maxVersion: 2, requestFormat: 'JSON' },
  {
    api: 'SYNO.FileStation.CopyMove',
    path: 'entry.cgi',
    minVersion: 1,
    maxVersion: 3,
    requestFormat: 'JSON',
  },
  { api: 'SYNO.FileStation.Delete', path: 'entry.cgi', minVersion: 1, maxVersion: 2, requestFormat: 'JSON' },
  { api: 'SYNO.FileStation.Extract', path: 'entry.cgi', minVersion: 1, maxVersion: 2, requestFormat: 'JSON' },
  {
    api: 'SYNO.FileStation.Compress',
    path: 'entry.cgi',
    minVersion: 1,
    maxVersion: 3,
    requestFormat: 'JSON',
  },
  {
    api: 'SYNO.FileStation.BackgroundTask',
    path: 'entry.cgi',
    minVersion: 1,
    maxVersion: 3,
    requestFormat: 'JSON',
  },
  {
    api: 'SYNO.FileStation.Favorite',
    path: 'entry.cgi',
    minVersion: 1,
    maxVersion: 2,
    requestFormat: 'JSON',
  },
  {
    api: 'SYNO.FileStation.VirtualFolder',
    path: 'entry.cgi',
    minVersion: 1,
    maxVersion: 2,
    requestFormat: 'JSON',
  },
  {
    api: 'SYNO.FileStation.CheckPermission',
    path: 'entry.cgi',
    minVersion: 1,
    maxVersion: 3,
    requestFormat: 'JSON',
  },
];

/** SYNO.FileStation.Thumb: max version 3 in the DSM 7 captures, 2 in the DSM 6.2.2 one. */
export function thumbEntry(maxVersion: number): ApiEntry {
  return {
    api: 'SYNO.FileStation.Thumb',
    path: 'entry.cgi',
    minVersion: 1,
    maxVersion,
    requestFormat: 'JSON',
  };
}
