import { lstat, rename as renameFile } from 'node:fs/promises';
import { CommonError, DsmApiError } from '../dsm-error';
import { viewerOf } from '../file-station/context';
import { type DsmLocation, isWithin } from '../file-station/dsm-path';
import { ApiError, FileError, FileFailure, toDsmError } from '../file-station/errors';
import { fileObject, readAdditional } from '../file-station/file-entry';
import type { ApiCall, ApiHandler } from './api-handler';
import { updateSearchResults } from './file-station-search';

interface Renaming {
  from: DsmLocation;
  to: DsmLocation;
}

/**
 * Every rename is checked before any is done; failures answer 1200 with `errors: [{code, path}]` (414 when
 * the new name is taken, 407 for a shared folder itself, 411 in a read-only one).
 */
async function rename(call: ApiCall): Promise<{ files: Record<string, unknown>[] }> {
  const { params, sim } = call;
  const space = sim.files;
  const paths = params.requiredList('path');
  const names = params.requiredList('name');
  if (paths.length !== names.length) throw new DsmApiError(CommonError.InvalidParameter);
  const additional = readAdditional(params);
  const renamings: Renaming[] = [];
  for (const [index, path] of paths.entries()) {
    try {
      renamings.push(await checkRenaming(call, path, names[index]));
    } catch (error) {
      throw toDsmError(error, ApiError.RenameFailed, path);
    }
  }
  const files = [];
  for (const { from, to } of renamings) {
    try {
      await renameFile(from.fsPath, to.fsPath);
      files.push(fileObject(space, await space.find(to.path, 'link'), additional, viewerOf(call)));
    } catch (error) {
      throw toDsmError(error, ApiError.RenameFailed, from.path);
    }
    updateSearchResults(sim, viewerOf(call).user, params.text('search_taskid'), (records) =>
      records.map((record) =>
        isWithin(record.location.path, from.path)
          ? { ...record, location: space.locate(to.path + record.location.path.slice(from.path.length)) }
          : record,
      ),
    );
  }
  return { files };
}

async function checkRenaming(call: ApiCall, path: string, name: string): Promise<Renaming> {
  const space = call.sim.files;
  const { location: from } = await space.find(path, 'link');
  if (from.isShareRoot) throw new FileFailure(FileError.NotPermitted, from.path);
  space.assertWritable(from);
  const to = space.child(space.parent(from), name);
  if (to.path !== from.path && (await lstat(to.fsPath).catch(() => undefined))) {
    throw new FileFailure(FileError.Exists, to.path);
  }
  return { from, to };
}

export const fileStationRenameHandler: ApiHandler = { methods: { rename } };
