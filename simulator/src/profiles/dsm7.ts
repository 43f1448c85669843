import type { SimulatorProfile } from './api-entry';
import { DOWNLOAD_STATION_APIS } from '../download-station/api-entries';
import { FILE_STATION_APIS } from './file-station';

/** DSM 7.2.2: entries as in the API.Info capture test/fixtures/captures/query-all-dsm-7.2.2.json. */
export const DSM7_PROFILE: SimulatorProfile = {
  name: 'dsm7',
  model: 'DS220+',
  build: '72806',
  versionString: 'DSM 7.2.2-72806 Update 3',
  apis: [
    // DSM 7.2 advertises API.Info at entry.cgi, but query.cgi still answers it.
    {
      api: 'SYNO.API.Info',
      path: 'entry.cgi',
      minVersion: 1,
      maxVersion: 1,
      requestFormat: 'JSON',
      alsoServedAt: ['query.cgi'],
    },
    // DSM 7 advertises Auth from version 1 but answers 103 to versions 1 and 2.
    { api: 'SYNO.API.Auth', path: 'entry.cgi', minVersion: 1, maxVersion: 7, versionsWithoutMethods: [1, 2] },
    { api: 'SYNO.DSM.Info', path: 'entry.cgi', minVersion: 2, maxVersion: 2, requestFormat: 'JSON' },
    { api: 'SYNO.FileStation.Info', path: 'entry.cgi', minVersion: 1, maxVersion: 2, requestFormat: 'JSON' },
    { api: 'SYNO.FileStation.List', path: 'entry.cgi', minVersion: 1, maxVersion: 2, requestFormat: 'JSON' },
    ...FILE_STATION_APIS,
    ...DOWNLOAD_STATION_APIS,
  ],
};
