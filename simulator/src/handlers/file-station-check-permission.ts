import { stat } from 'node:fs/promises';
import { FileError, FileFailure, toDsmError } from '../file-station/errors';
import type { ApiCall, ApiHandler } from './api-handler';

/**
 * Whether the session may write `filename` into the folder `path` (File Station guide, CheckPermission write):
 * an empty success when it may, the error the write would meet when not: 408 no such folder, 411 read-only
 * share, 414 when the file exists and overwrite is not given (true replaces it, false skips it: both pass).
 */
async function write(call: ApiCall): Promise<undefined> {
  const { params, sim } = call;
  const folderPath = params.requiredText('path');
  const filename = params.requiredText('filename');
  const overwrite = readOverwrite(call);
  params.bool('create_only', true);
  try {
    const folder = await sim.files.findFolder(folderPath);
    const target = sim.files.child(folder.location, filename);
    sim.files.assertWritable(target);
    const existing = await stat(target.fsPath).catch(() => undefined);
    if (existing && (existing.isDirectory() || overwrite === undefined))
      throw new FileFailure(FileError.Exists, target.path);
  } catch (error) {
    throw toDsmError(error, undefined, folderPath);
  }
  return undefined;
}

/** true, false (skip), or undefined: not given, an existing file is then an error (guide). */
function readOverwrite(call: ApiCall): boolean | undefined {
  if (!call.params.has('overwrite') || call.params.text('overwrite') === '') return undefined;
  return call.params.bool('overwrite', false);
}

export const fileStationCheckPermissionHandler: ApiHandler = { methods: { write } };
