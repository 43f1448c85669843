import type { ApiEntry } from '../profiles/api-entry';

/**
 * SYNO.CloudSync as API.Info lists it: entry.cgi, version 1 only, requestFormat JSON. So in the DSM 7.2.2
 * capture (query-all-dsm-7.2.2.json) and in the DSM 6 capture of a box that has the package
 * (py-synologydsm-api dsm_6__surveillance_station__const_6_api_info.json). The DSM 6.2.2 and 7.0 base captures
 * lack it: those boxes have no Cloud Sync installed, which `cloudSync: false` reproduces.
 */
export const CLOUD_SYNC_APIS: readonly ApiEntry[] = [
  {
    api: 'SYNO.CloudSync',
    path: 'entry.cgi',
    minVersion: 1,
    maxVersion: 1,
    requestFormat: 'JSON',
    package: 'CloudSync',
  },
];
