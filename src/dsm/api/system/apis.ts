import { unwrap, type DsmClient } from '../../client';
import { DsmError } from '../../errors';

export const STORAGE_API = 'SYNO.Storage.CGI.Storage';
export const SYSTEM_API = 'SYNO.Core.System';
export const UTILISATION_API = 'SYNO.Core.System.Utilization';
export const UPGRADE_API = 'SYNO.Core.Upgrade.Server';
export const BACKUP_API = 'SYNO.Backup.Task';

/**
 * `load_info` as DSM sends it. DSM 5 answers without the `data` wrapper, its fields next to `success`
 * (py-synologydsm-api dsm_5 storage capture), so the envelope itself is the data there.
 */
export function loadStorageInfo(client: DsmClient, signal?: AbortSignal): Promise<unknown> {
  return client.request(STORAGE_API, 'load_info', { signal }, async (req) => {
    const envelope = await client.transport.send({
      cgiPath: req.resolved.cgiPath,
      api: req.resolved.api,
      method: req.method,
      query: req.query,
      headers: req.headers,
      signal,
    });
    return unwrap<unknown>(envelope, req.resolved.api, req.method) ?? envelope;
  });
}

/**
 * Errors after which the rest of a snapshot is still worth having: DSM answered with an error for this API (no
 * permission, a package error) or does not serve it. Network, timeout, HTTP (502 while booting), login and abort
 * errors end the snapshot: nothing else would answer either.
 */
export function isPartError(err: unknown): err is DsmError {
  return (
    err instanceof DsmError &&
    (err.kind === 'dsm' || (err.kind === 'input' && (err.code === 102 || err.code === 104)))
  );
}

/** DSM does not serve this API at all (a package not installed, or an older DSM). */
export function isMissingApi(err: unknown): boolean {
  return err instanceof DsmError && err.code === 102;
}
