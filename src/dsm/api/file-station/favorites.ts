import type { DsmClient } from '../../client';
import { inputError } from '../../errors';
import { DEFAULT_ADDITIONAL, type DsmFile } from './entries';
import { checkDsmPath } from './paths';

const FAVORITE = 'SYNO.FileStation.Favorite';

/** One of the account's File Station favorites (File Station guide, Favorite list). */
export interface Favorite {
  name: string;
  path: string;
  /** valid: the folder exists; broken: it is gone or not permitted. */
  status: 'valid' | 'broken';
  isdir: boolean;
  /** DSM's extra fields of a valid favorite (real_path, owner, time, perm, ...). */
  additional?: DsmFile['additional'];
}

type DsmFavorite = Omit<Favorite, 'status'> & { status?: string };

/** Every favorite of the logged-in account, in the user's order (limit 0: all of them in one answer). */
export async function listFavorites(
  client: DsmClient,
  options: { status?: 'all' | 'valid' | 'broken'; signal?: AbortSignal } = {},
): Promise<Favorite[]> {
  const status = options.status ?? 'all';
  if (!['all', 'valid', 'broken'].includes(status)) {
    throw inputError('status', 'must be "all", "valid" or "broken"');
  }
  const data = await client.call<{ favorites?: DsmFavorite[] }>(
    FAVORITE,
    'list',
    { offset: 0, limit: 0, status_filter: status, additional: DEFAULT_ADDITIONAL },
    { signal: options.signal },
  );
  return (data.favorites ?? []).map((favorite) => ({
    ...favorite,
    isdir: Boolean(favorite.isdir),
    status: favorite.status === 'valid' ? 'valid' : 'broken',
  }));
}

/** Adds a folder under a name; `index` places it (default: last). DSM answers 800 if it is a favorite already. */
export async function addFavorite(
  client: DsmClient,
  path: string,
  name: string,
  options: { index?: number; signal?: AbortSignal } = {},
): Promise<void> {
  const index = options.index ?? -1;
  if (!Number.isInteger(index) || index < -1)
    throw inputError('index', 'must be -1 (last) or a position from 0');
  await client.call(
    FAVORITE,
    'add',
    { path: checkDsmPath('path', path), name: checkFavoriteName(name), index },
    { signal: options.signal },
  );
}

export async function renameFavorite(
  client: DsmClient,
  path: string,
  name: string,
  options: { signal?: AbortSignal } = {},
): Promise<void> {
  await client.call(
    FAVORITE,
    'edit',
    { path: checkDsmPath('path', path), name: checkFavoriteName(name) },
    { signal: options.signal },
  );
}

export async function deleteFavorite(
  client: DsmClient,
  path: string,
  options: { signal?: AbortSignal } = {},
): Promise<void> {
  await client.call(FAVORITE, 'delete', { path: checkDsmPath('path', path) }, { signal: options.signal });
}

/** Removes every broken favorite (its folder gone). */
export async function clearBrokenFavorites(
  client: DsmClient,
  options: { signal?: AbortSignal } = {},
): Promise<void> {
  await client.call(FAVORITE, 'clear_broken', {}, { signal: options.signal });
}

/** Replaces all favorites with these, in this order. */
export async function replaceFavorites(
  client: DsmClient,
  favorites: readonly { path: string; name: string }[],
  options: { signal?: AbortSignal } = {},
): Promise<void> {
  if (!Array.isArray(favorites)) throw inputError('favorites', 'must be a list of {path, name}');
  const paths = favorites.map((item, i) => checkDsmPath(`favorites[${i}].path`, item?.path));
  const names = favorites.map((item, i) => checkFavoriteName(item?.name, `favorites[${i}].name`));
  await client.call(FAVORITE, 'replace_all', { path: paths, name: names }, { signal: options.signal });
}

function checkFavoriteName(name: unknown, field = 'name'): string {
  if (typeof name !== 'string' || name.trim() === '') throw inputError(field, 'must be a non-empty text');
  return name;
}
