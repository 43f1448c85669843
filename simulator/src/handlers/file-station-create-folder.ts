import { lstat, mkdir, stat } from 'node:fs/promises';
import { CommonError, DsmApiError } from '../dsm-error';
import { viewerOf } from '../file-station/context';
import type { DsmLocation } from '../file-station/dsm-path';
import { ApiError, FileError, FileFailure, toDsmError } from '../file-station/errors';
import { fileObject, readAdditional } from '../file-station/file-entry';
import type { ApiCall, ApiHandler } from './api-handler';

/**
 * Every folder is checked before any is created, so a failure (1100 with `errors: [{code, path}]`) leaves
 * nothing half done. An existing folder is 414 unless force_parent, which also creates missing parents.
 */
async function create(call: ApiCall): Promise<{ folders: Record<string, unknown>[] }> {
  const { params, sim } = call;
  const space = sim.files;
  const parents = params.requiredList('folder_path');
  const names = params.requiredList('name');
  if (parents.length !== names.length) throw new DsmApiError(CommonError.InvalidParameter);
  const forceParent = params.bool('force_parent', false);
  const additional = readAdditional(params);
  const targets: DsmLocation[] = [];
  for (const [index, parentPath] of parents.entries()) {
    try {
      targets.push(await checkTarget(call, parentPath, names[index], forceParent));
    } catch (error) {
      throw toDsmError(error, ApiError.CreateFolderFailed, `${parentPath}/${names[index]}`);
    }
  }
  const folders = [];
  for (const target of targets) {
    try {
      await mkdir(target.fsPath, { recursive: forceParent });
      folders.push(fileObject(space, await space.find(target.path), additional, viewerOf(call)));
    } catch (error) {
      throw toDsmError(error, ApiError.CreateFolderFailed, target.path);
    }
  }
  return { folders };
}

async function checkTarget(
  call: ApiCall,
  parentPath: string,
  name: string,
  forceParent: boolean,
): Promise<DsmLocation> {
  const space = call.sim.files;
  const parent = space.locate(parentPath);
  const target = space.child(parent, name);
  if (!(await space.shareExists(parent.share))) throw new FileFailure(FileError.NoSuchFile, parent.path);
  space.assertWritable(target);
  await space.confineTarget(target);
  const parentStats = await stat(parent.fsPath).catch(() => undefined);
  if (!forceParent && !parentStats?.isDirectory()) throw new FileFailure(FileError.NoSuchFile, parent.path);
  const existing = await lstat(target.fsPath).catch(() => undefined);
  if (existing && !(forceParent && existing.isDirectory()))
    throw new FileFailure(FileError.Exists, target.path);
  return target;
}

export const fileStationCreateFolderHandler: ApiHandler = { methods: { create } };
