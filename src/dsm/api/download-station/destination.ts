import type { DsmClient } from '../../client';
import { DsmError, inputError } from '../../errors';
import { describeType } from '../file-station/options';
import { createFolder } from '../file-station/operations';
import { getInfo } from '../file-station/listing';
import { SETTINGS_LOCATION_DS2, TASK_DS2 } from './apis';

const HINT = 'Give the shared folder and the folders in it, e.g. downloads/tv or /downloads/tv.';

/**
 * A destination as Download Station wants it: share-relative, no leading `/`, no `/volumeN` (DSM answers 403 to
 * those: sickchill #7062, Medusa #3104). `/share/dir` and `share/dir` are the same; nothing or '' is undefined
 * (the account's default destination).
 */
export function checkDestination(field: string, value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string')
    throw inputError(field, `must be a string, not ${describeType(value)}`, HINT);
  const trimmed = value.trim();
  if (trimmed === '') return undefined;
  const destination = trimmed.replace(/^\/+/, '').replace(/\/+$/, '');
  const parts = destination.split('/');
  if (destination === '' || parts.some((p) => p === '' || p === '.' || p === '..' || p.includes('\0')))
    throw inputError(field, `"${value}" is in no shared folder`, HINT);
  if (/^volume\d+$/i.test(parts[0]) && trimmed.startsWith('/'))
    throw inputError(
      field,
      `"${value}" is a volume path`,
      `Download Station wants the shared folder first, without /${parts[0]}: ${parts.slice(1).join('/') || 'downloads'}.`,
    );
  return destination;
}

/**
 * Makes sure the destination folder exists, creating it (and its parents) through File Station: Download Station
 * does not create destination folders (rdt-client EnsureDefaultDestination). The shared folder itself must exist.
 */
export async function ensureDestination(
  client: DsmClient,
  destination: string,
  signal?: AbortSignal,
): Promise<void> {
  const share = `/${destination.split('/')[0]}`;
  const entry = await getInfo(client, share, { signal }).then(
    ([found]) => found,
    (err: unknown) => {
      if (err instanceof DsmError && err.code === 408) return undefined;
      throw err;
    },
  );
  if (!entry || entry.code || !entry.isdir) {
    throw inputError(
      'destination',
      `"${destination}" is in no shared folder: there is no shared folder "${share.slice(1)}"`,
      'Create the shared folder in DSM (Control Panel > Shared Folder), or choose another.',
    );
  }
  if (destination.includes('/'))
    await createFolder(client, `/${destination}`, { createParents: true, signal });
}

/**
 * Before a DownloadStation2 create without destination: DS2 takes `destination=""` even when the account has no
 * default destination, and the task then waits forever (rdt-client PR #998), where v1 answers 406. So ask
 * Settings.Location (Radarr DownloadStation2SettingsLocationProxy) and answer v1's 406 first.
 */
export async function requireDefaultDestination(client: DsmClient, signal?: AbortSignal): Promise<void> {
  if (!(await client.apiInfo(signal))[SETTINGS_LOCATION_DS2]) return;
  const settings = await client.call<{ default_destination?: unknown }>(
    SETTINGS_LOCATION_DS2,
    'get',
    {},
    { signal },
  );
  const current = settings?.default_destination;
  if (typeof current === 'string' && current.trim() !== '') return;
  throw new DsmError({
    kind: 'dsm',
    code: 406,
    api: TASK_DS2,
    method: 'create',
    reason: 'No default destination: the account has none and no destination was given',
    hint: 'Give a destination (e.g. downloads), or set a default destination in Download Station; DownloadStation2 would otherwise keep the task waiting forever.',
  });
}
