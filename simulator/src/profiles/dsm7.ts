import type { SimulatorProfile } from './api-entry';
import { CLOUD_SYNC_APIS } from '../cloud-sync/api-entries';
import { BACKUP_APIS } from '../backup/api-entries';
import { DOWNLOAD_STATION_APIS } from '../download-station/api-entries';
import { systemApis } from '../system/api-entries';
import { FILE_STATION_APIS, thumbEntry } from './file-station';

/** DSM 7.2.2: entries as in the API.Info capture test/fixtures/captures/query-all-dsm-7.2.2.json. */
export const DSM7_PROFILE: SimulatorProfile = {
  name: 'dsm7',
  model: 'DS220+',
  build: '72806',
  versionString: 'DSM 7.2.2-72806 Update 3',
  // Home Assistant's backup agent uploads without Content-Length; "can't reproduce with dsm 7.2"
  // (home-assistant/core#138607): the 1800 was reported from DSM 5.2.
  chunkedUploads: true,
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
    // DSM 7 advertises Auth from version 1 but answers 103 to versions 1 and 2, at entry.cgi and at the old
    // auth.cgi alike: clients that hard-code auth.cgi log in with version 3+ (N4S4/synology-api#74; its auth.py
    // logs in at auth.cgi with version 7 by default).
    {
      api: 'SYNO.API.Auth',
      path: 'entry.cgi',
      minVersion: 1,
      maxVersion: 7,
      versionsWithoutMethods: [1, 2],
      alsoServedAt: ['auth.cgi'],
    },
    { api: 'SYNO.API.Auth.UIConfig', path: 'entry.cgi', minVersion: 1, maxVersion: 1, requestFormat: 'JSON' },
    // N4S4/synology-api's auth.py reads the key from encryption.cgi on DSM 7 too (its default dsm_version).
    {
      api: 'SYNO.API.Encryption',
      path: 'entry.cgi',
      minVersion: 1,
      maxVersion: 1,
      requestFormat: 'JSON',
      alsoServedAt: ['encryption.cgi'],
    },
    { api: 'SYNO.DSM.Info', path: 'entry.cgi', minVersion: 2, maxVersion: 2, requestFormat: 'JSON' },
    { api: 'SYNO.FileStation.Info', path: 'entry.cgi', minVersion: 1, maxVersion: 2, requestFormat: 'JSON' },
    { api: 'SYNO.FileStation.List', path: 'entry.cgi', minVersion: 1, maxVersion: 2, requestFormat: 'JSON' },
    ...FILE_STATION_APIS,
    thumbEntry(3),
    ...DOWNLOAD_STATION_APIS,
    ...CLOUD_SYNC_APIS,
    ...systemApis(4),
    ...BACKUP_APIS,
  ],
};
