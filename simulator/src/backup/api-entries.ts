import type { ApiEntry } from '../profiles/api-entry';

/**
 * SYNO.Backup.Task as API.Info lists it when Hyper Backup is installed: entry.cgi, 1-2, JSON in the DSM 7.2.2,
 * 7.0 and DSM 6 (Surveillance Station box) captures. The DSM 6.2.2 capture the dsm6 profile follows has no
 * Hyper Backup installed, so that profile starts without it.
 */
export const BACKUP_APIS: readonly ApiEntry[] = [
  {
    api: 'SYNO.Backup.Task',
    path: 'entry.cgi',
    minVersion: 1,
    maxVersion: 2,
    requestFormat: 'JSON',
    package: 'HyperBackup',
  },
];
