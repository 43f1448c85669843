import type { SimulatorProfile } from './api-entry';
import { CLOUD_SYNC_APIS } from '../cloud-sync/api-entries';
import { BACKUP_APIS } from '../backup/api-entries';
import { DOWNLOAD_STATION_APIS } from '../download-station/api-entries';
import { systemApis } from '../system/api-entries';
import { FILE_STATION_APIS, thumbEntry } from './file-station';

/** DSM 6.2.2: entries as in the API.Info capture test/fixtures/captures/dsm_6__const_6_api_info.json. */
export const DSM6_PROFILE: SimulatorProfile = {
  name: 'dsm6',
  model: 'DS218+',
  build: '24922',
  versionString: 'DSM 6.2.2-24922 Update 6',
  // The File Station guide's Upload error 1800: "There is no Content-Length information".
  chunkedUploads: false,
  apis: [
    { api: 'SYNO.API.Info', path: 'query.cgi', minVersion: 1, maxVersion: 1 },
    { api: 'SYNO.API.Auth', path: 'auth.cgi', minVersion: 1, maxVersion: 6 },
    { api: 'SYNO.API.Encryption', path: 'encryption.cgi', minVersion: 1, maxVersion: 1 },
    { api: 'SYNO.DSM.Info', path: 'entry.cgi', minVersion: 2, maxVersion: 2, requestFormat: 'JSON' },
    { api: 'SYNO.FileStation.Info', path: 'entry.cgi', minVersion: 1, maxVersion: 2, requestFormat: 'JSON' },
    { api: 'SYNO.FileStation.List', path: 'entry.cgi', minVersion: 1, maxVersion: 2, requestFormat: 'JSON' },
    ...FILE_STATION_APIS,
    thumbEntry(2),
    ...DOWNLOAD_STATION_APIS,
    ...CLOUD_SYNC_APIS,
    ...systemApis(2),
    // Not in this capture (Hyper Backup not installed there): listed only once installed (hyperBackup option).
    ...BACKUP_APIS,
  ],
};
