import type { DsmClient } from '../../client';
import { inputError } from '../../errors';
import { DEFAULT_ADDITIONAL, toFileEntry, type DsmFile, type FileEntry } from './entries';

export type VirtualFolderType = 'cifs' | 'nfs' | 'iso';

/** The mount points of one kind of virtual file system: remote CIFS/NFS folders or mounted ISO images. */
export async function listVirtualFolders(
  client: DsmClient,
  type: VirtualFolderType,
  options: { signal?: AbortSignal } = {},
): Promise<FileEntry[]> {
  if (!['cifs', 'nfs', 'iso'].includes(type)) throw inputError('type', 'must be "cifs", "nfs" or "iso"');
  const data = await client.call<{ folders?: DsmFile[] }>(
    'SYNO.FileStation.VirtualFolder',
    'list',
    { type, offset: 0, limit: 0, additional: [...DEFAULT_ADDITIONAL, 'mount_point_type'] },
    { signal: options.signal },
  );
  return (data.folders ?? []).map((folder) => toFileEntry({ ...folder, isdir: true }));
}
