import type { DsmClient } from '../../client';
import { DsmError } from '../../errors';

/**
 * SYNO.CloudSync: one API (entry.cgi, v1 only, requestFormat JSON on DSM 7.2.2: mikespub query.json). Synology does
 * not document it; the method names and parameters are those of N4S4/synology-api `cloud_sync.py` and mikespub's
 * schemas of real answers (next-apis-notes.md §2, wire-notes.md "Cloud Sync").
 */
export const CLOUD_SYNC = 'SYNO.CloudSync';

const NOT_INSTALLED_HINT =
  'Install Cloud Sync in Package Center, or start it if it is stopped; then try again.';

/**
 * Cloud Sync errors in Cloud Sync's terms: a missing API (102) means the package is not installed or is stopped
 * (a package's APIs leave SYNO.API.Info with it), not a bad API name.
 */
export async function inCloudSyncTerms<T>(work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (err) {
    if (err instanceof DsmError && err.code === 102 && err.api === CLOUD_SYNC) {
      throw new DsmError({
        kind: 'dsm',
        code: 102,
        api: err.api,
        method: err.method,
        reason: 'Cloud Sync is not installed or is stopped on this NAS',
        hint: NOT_INSTALLED_HINT,
      });
    }
    throw err;
  }
}

/** One SYNO.CloudSync call, its errors in Cloud Sync's terms. */
export function callCloudSync<T>(
  client: DsmClient,
  method: string,
  params: Record<string, unknown>,
  signal?: AbortSignal,
): Promise<T> {
  return inCloudSyncTerms(client.call<T>(CLOUD_SYNC, method, params, { signal }));
}

/** A record from DSM's answer, or an empty one where DSM sent something else. */
export function asRecord(value: unknown): Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}

export function asRecords(value: unknown): Record<string, unknown>[] {
  return Array.isArray(value) ? value.map(asRecord) : [];
}

export function text(value: unknown): string {
  return typeof value === 'string' ? value : value === undefined || value === null ? '' : String(value);
}

/** A number DSM may send as a number or as a string; `fallback` when it is neither. */
export function numberOf(value: unknown, fallback = 0): number {
  const n =
    typeof value === 'number' ? value : typeof value === 'string' && value.trim() ? Number(value) : NaN;
  return Number.isFinite(n) ? n : fallback;
}
