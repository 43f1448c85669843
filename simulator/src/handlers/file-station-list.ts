import { viewerOf } from '../file-station/context';
import type { FileRecord } from '../file-station/dsm-path';
import { FileFailure, toDsmError } from '../file-station/errors';
import { fileObject, readAdditional, shareObject } from '../file-station/file-entry';
import { fileTypeFilter, globMatcher, pageOf, sortRecords } from '../file-station/listing';
import { fresh } from '../file-station/listing-cache';
import type { ApiCall, ApiHandler } from './api-handler';

async function listShare(call: ApiCall): Promise<Record<string, unknown>> {
  const { params, sim } = call;
  const space = sim.files;
  const viewer = viewerOf(call);
  const offset = params.int('offset', 0);
  const limit = params.int('limit', 0);
  const additional = readAdditional(params);
  let shares: FileRecord[] = [];
  for (const name of await space.shareNames()) shares.push(await space.find(`/${name}`));
  if (params.bool('onlywritable', false))
    shares = shares.filter((share) => !space.isReadOnly(share.location));
  const page = pageOf(sortRecords(shares, params), offset, limit);
  const objects = await Promise.all(page.map((share) => shareObject(space, share, additional, viewer)));
  return { offset, shares: objects, total: shares.length };
}

/** Enumerates a folder. goto_path is not supported (its children tree is left out). */
async function list(call: ApiCall): Promise<Record<string, unknown>> {
  const { params, sim } = call;
  const space = sim.files;
  const viewer = viewerOf(call);
  const folderPath = params.requiredText('folder_path');
  const offset = params.int('offset', 0);
  const limit = params.int('limit', 0);
  const additional = readAdditional(params);
  const matchesName = globMatcher(splitPatterns(params.list('pattern'), ','));
  const matchesType = fileTypeFilter(params);
  try {
    const folder = await space.findFolder(folderPath);
    const key = ['sort_by', 'sort_direction', 'filetype', 'pattern']
      .map((name) => params.text(name))
      .join('\0');
    const { records, cached } = await sim.listings.listing(folder, key, offset > 0, async () =>
      sortRecords(
        (await space.children(folder.location)).filter(
          (record) => matchesType(record) && matchesName(record.location.name),
        ),
        params,
      ),
    );
    const selected = pageOf(records, offset, limit);
    const page = cached ? await fresh(selected) : selected;
    return {
      files: page.map((record) => fileObject(space, record, additional, viewer)),
      offset,
      total: records.length,
    };
  } catch (error) {
    throw toDsmError(error, undefined, folderPath);
  }
}

/** Paths that do not exist answer `{code: 408, name, path}` in place of their file object. */
async function getinfo(call: ApiCall): Promise<Record<string, unknown>> {
  const { params, sim } = call;
  const space = sim.files;
  const viewer = viewerOf(call);
  const paths = params.requiredList('path');
  const additional = readAdditional(params);
  const files: Record<string, unknown>[] = [];
  for (const path of paths) {
    try {
      files.push(fileObject(space, await space.find(path, 'link'), additional, viewer));
    } catch (error) {
      if (!(error instanceof FileFailure)) throw error;
      files.push({ code: error.code, name: path.slice(path.lastIndexOf('/') + 1), path });
    }
  }
  return { files };
}

/** Glob pattern lists: each list item may itself hold several patterns split by `separator`. */
export function splitPatterns(items: readonly string[] | undefined, separator: string | RegExp): string[] {
  return (items ?? []).flatMap((item) => item.split(separator)).filter((pattern) => pattern !== '');
}

export const fileStationListHandler: ApiHandler = {
  methods: { list_share: listShare, list, getinfo },
};
