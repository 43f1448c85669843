import { CommonError, DsmApiError } from '../dsm-error';
import type { ApiCall, ApiHandler } from './api-handler';

const TYPES = ['nfs', 'cifs', 'iso'];

/**
 * The mount points of one type of virtual file system (File Station guide, VirtualFolder list). The simulator
 * mounts nothing: every type lists no folder.
 */
function list(call: ApiCall): Record<string, unknown> {
  const { params } = call;
  const type = params.requiredText('type').toLowerCase();
  if (!TYPES.includes(type)) throw new DsmApiError(CommonError.InvalidParameter);
  const offset = params.int('offset', 0);
  params.int('limit', 0);
  return { folders: [], offset, total: 0 };
}

export const fileStationVirtualFolderHandler: ApiHandler = { methods: { list } };
