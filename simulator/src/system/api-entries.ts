import type { ApiEntry } from '../profiles/api-entry';

const AT_ENTRY = { path: 'entry.cgi', minVersion: 1, requestFormat: 'JSON' } as const;

/**
 * The health APIs as API.Info lists them: identical in the DSM 7.2.2 and 6.2.2 captures but for
 * SYNO.Core.Upgrade.Server (max 4 on 7.2.2, 2 on 6.2.2).
 */
export function systemApis(upgradeServerMaxVersion: number): readonly ApiEntry[] {
  return [
    { ...AT_ENTRY, api: 'SYNO.Storage.CGI.Storage', maxVersion: 1 },
    { ...AT_ENTRY, api: 'SYNO.Core.System', maxVersion: 3 },
    { ...AT_ENTRY, api: 'SYNO.Core.System.Utilization', maxVersion: 1 },
    { ...AT_ENTRY, api: 'SYNO.Core.System.Status', maxVersion: 1 },
    { ...AT_ENTRY, api: 'SYNO.Core.Upgrade.Server', maxVersion: upgradeServerMaxVersion },
  ];
}
