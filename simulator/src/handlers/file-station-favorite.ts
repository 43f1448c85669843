import { CommonError, DsmApiError } from '../dsm-error';
import { viewerOf } from '../file-station/context';
import { FileError, FileFailure, toDsmError } from '../file-station/errors';
import { fileObject, readAdditional } from '../file-station/file-entry';
import { pageOf } from '../file-station/listing';
import type { ApiCall, ApiHandler } from './api-handler';

type Status = 'valid' | 'broken';

/**
 * Favorites with their status: valid while the folder exists, broken otherwise (File Station guide, Favorite
 * list). A broken one reports `isdir: false`, as in the guide's example.
 */
async function list(call: ApiCall): Promise<Record<string, unknown>> {
  const { params, sim } = call;
  const viewer = viewerOf(call);
  const offset = params.int('offset', 0);
  const limit = params.int('limit', 0);
  const filter = params.text('status_filter') || 'all';
  if (filter !== 'all' && filter !== 'valid' && filter !== 'broken')
    throw new DsmApiError(CommonError.InvalidParameter);
  const additional = readAdditional(params);
  const favorites: Record<string, unknown>[] = [];
  for (const favorite of sim.favorites.list(viewer.user)) {
    const record = await sim.files.find(favorite.path).catch(() => undefined);
    const status: Status = record?.stats.isDirectory() ? 'valid' : 'broken';
    if (filter !== 'all' && filter !== status) continue;
    const shown =
      record && status === 'valid'
        ? fileObject(sim.files, record, additional, viewer)
        : { isdir: false, name: favorite.name, path: favorite.path };
    favorites.push({ ...shown, name: favorite.name, status });
  }
  return { favorites: pageOf(favorites, offset, limit), offset, total: favorites.length };
}

/** Adds an existing folder (408 when missing, 800 when already a favorite, 801 for a name in use). */
async function add(call: ApiCall): Promise<undefined> {
  const { params, sim } = call;
  const path = params.requiredText('path');
  const name = params.requiredText('name');
  try {
    const folder = await sim.files.findFolder(path);
    sim.favorites.add(viewerOf(call).user, { path: folder.location.path, name }, params.int('index', -1));
  } catch (error) {
    throw toDsmError(error, undefined, path);
  }
  return undefined;
}

function remove(call: ApiCall): undefined {
  const path = call.params.requiredText('path');
  if (!call.sim.favorites.remove(viewerOf(call).user, normalized(call, path)))
    throw new DsmApiError(FileError.NoSuchFile);
  return undefined;
}

function edit(call: ApiCall): undefined {
  const { params } = call;
  const path = normalized(call, params.requiredText('path'));
  if (!call.sim.favorites.rename(viewerOf(call).user, path, params.requiredText('name')))
    throw new DsmApiError(FileError.NoSuchFile);
  return undefined;
}

async function clearBroken(call: ApiCall): Promise<undefined> {
  const { sim } = call;
  const account = viewerOf(call).user;
  for (const favorite of sim.favorites.list(account)) {
    const record = await sim.files.find(favorite.path).catch(() => undefined);
    if (!record?.stats.isDirectory()) sim.favorites.remove(account, favorite.path);
  }
  return undefined;
}

/** path and name: lists of the same length, the n-th name for the n-th path. */
function replaceAll(call: ApiCall): undefined {
  const { params } = call;
  const paths = params.list('path') ?? [];
  const names = params.list('name') ?? [];
  if (paths.length !== names.length) throw new DsmApiError(CommonError.InvalidParameter);
  const favorites = paths.map((path, index) => ({ path: normalized(call, path), name: names[index] }));
  call.sim.favorites.replaceAll(viewerOf(call).user, favorites);
  return undefined;
}

function normalized(call: ApiCall, path: string): string {
  try {
    return call.sim.files.locate(path).path;
  } catch (error) {
    if (error instanceof FileFailure) throw toDsmError(error);
    throw error;
  }
}

export const fileStationFavoriteHandler: ApiHandler = {
  methods: { list, add, delete: remove, edit, clear_broken: clearBroken, replace_all: replaceAll },
};
