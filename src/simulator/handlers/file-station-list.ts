import { readdir } from 'node:fs/promises';
import { CommonError, DsmApiError } from '../dsm-error';
import type { ApiCall, ApiHandler } from './api-handler';

interface SharedFolder {
  isdir: true;
  name: string;
  path: string;
}

/** The shared folders: the visible subfolders of the data directory. */
export async function listSharedFolders(dataDir: string): Promise<SharedFolder[]> {
  const entries = await readdir(dataDir, { withFileTypes: true });
  return entries
    .filter((entry) => entry.isDirectory() && !entry.name.startsWith('.'))
    .map((entry) => ({ isdir: true as const, name: entry.name, path: `/${entry.name}` }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

async function listShare(call: ApiCall): Promise<{ offset: number; shares: SharedFolder[]; total: number }> {
  const offset = call.params.int('offset', 0);
  const limit = call.params.int('limit', 0);
  if (offset < 0 || limit < 0) throw new DsmApiError(CommonError.InvalidParameter);
  const shares = await listSharedFolders(call.sim.dataDir);
  if (call.params.string('sort_direction') === 'desc') shares.reverse();
  const page = shares.slice(offset, limit === 0 ? undefined : offset + limit);
  return { offset, shares: page, total: shares.length };
}

export const fileStationListHandler: ApiHandler = { methods: { list_share: listShare } };
