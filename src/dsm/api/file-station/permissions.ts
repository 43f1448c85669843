import type { DsmClient } from '../../client';
import { checkDsmPath, checkName } from './paths';

/**
 * Asks DSM whether the account may write `name` into `folder` (CheckPermission write), without writing. Resolves
 * when it may; rejects with the DsmError the write would meet: 408 no such folder, 411 read-only, 414 the file
 * exists (unless `overwrite` says what to do with it: true replace, false skip).
 */
export async function checkWrite(
  client: DsmClient,
  folder: string,
  name: string,
  options: { overwrite?: boolean; signal?: AbortSignal } = {},
): Promise<void> {
  await client.call(
    'SYNO.FileStation.CheckPermission',
    'write',
    {
      path: checkDsmPath('folder', folder),
      filename: checkName('name', name),
      overwrite: options.overwrite,
      create_only: true,
    },
    { signal: options.signal },
  );
}
