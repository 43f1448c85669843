import type { Stats } from 'node:fs';
import { statfs } from 'node:fs/promises';
import { extname } from 'node:path';
import type { ParamReader } from '../params';
import type { FileRecord, FileSpace } from './dsm-path';

/** Who is looking: the owner fields show the session's account (the data dir has no DSM users). */
export interface Viewer {
  readonly user: string;
  readonly uid: number;
}

const USERS_GID = 100;

/**
 * The `additional` parameter: a list (JSON array or comma list) whose items may themselves be comma lists,
 * as in the guide's own example `["real_path","owner,time"]`.
 */
export function readAdditional(params: ParamReader): Set<string> {
  const items = params.list('additional') ?? [];
  return new Set(items.flatMap((item) => item.split(',')).map((item) => item.trim()));
}

/** A <file> object of SYNO.FileStation.List, keys in DSM's (alphabetical) order. */
export function fileObject(
  space: FileSpace,
  record: FileRecord,
  additional: ReadonlySet<string>,
  viewer: Viewer,
): Record<string, unknown> {
  const { location, stats } = record;
  const extra: Record<string, unknown> = {};
  if (additional.has('mount_point_type')) extra.mount_point_type = '';
  if (additional.has('owner')) extra.owner = ownerObject(viewer);
  if (additional.has('perm')) extra.perm = permObject(stats, !space.isReadOnly(location));
  if (additional.has('real_path')) extra.real_path = space.realPath(location);
  if (additional.has('size')) extra.size = stats.size;
  if (additional.has('time')) extra.time = timeObject(stats);
  if (additional.has('type')) extra.type = stats.isDirectory() ? '' : fileType(location.name);
  const entry: Record<string, unknown> = {};
  if (Object.keys(extra).length > 0) entry.additional = extra;
  entry.isdir = stats.isDirectory();
  entry.name = location.name;
  entry.path = location.path;
  return entry;
}

/** A <shared folder> object of list_share, with the share-only additional fields. */
export async function shareObject(
  space: FileSpace,
  record: FileRecord,
  additional: ReadonlySet<string>,
  viewer: Viewer,
): Promise<Record<string, unknown>> {
  const { location, stats } = record;
  const readOnly = space.isReadOnly(location);
  const extra: Record<string, unknown> = {};
  if (additional.has('mount_point_type')) extra.mount_point_type = '';
  if (additional.has('owner')) extra.owner = ownerObject(viewer);
  if (additional.has('perm')) {
    extra.perm = {
      ...permObject(stats, !readOnly),
      acl_enable: true,
      adv_right: { disable_download: false, disable_list: false, disable_modify: false },
      is_share_readonly: readOnly,
      share_right: readOnly ? 'RO' : 'RW',
    };
  }
  if (additional.has('real_path')) extra.real_path = space.realPath(location);
  if (additional.has('sync_share')) extra.sync_share = false;
  if (additional.has('time')) extra.time = timeObject(stats);
  if (additional.has('volume_status')) extra.volume_status = await volumeStatus(space.dataDir);
  const entry: Record<string, unknown> = {};
  if (Object.keys(extra).length > 0) entry.additional = extra;
  entry.isdir = true;
  entry.name = location.name;
  entry.path = location.path;
  return entry;
}

/** The extension DSM reports as `type`: upper-case, without the dot; '' without one. */
export function fileType(name: string): string {
  return extname(name).slice(1).toUpperCase();
}

/** POSIX permission bits written as DSM writes them: 0o755 → 755. */
export function posixOf(stats: Stats): number {
  return Number((stats.mode & 0o777).toString(8));
}

export function timeObject(stats: Stats): Record<string, number> {
  const seconds = (ms: number): number => Math.floor(ms / 1000);
  return {
    atime: seconds(stats.atimeMs),
    crtime: seconds(stats.birthtimeMs || stats.ctimeMs),
    ctime: seconds(stats.ctimeMs),
    mtime: seconds(stats.mtimeMs),
  };
}

function ownerObject(viewer: Viewer): Record<string, string | number> {
  return { gid: USERS_GID, group: 'users', uid: viewer.uid, user: viewer.user };
}

function permObject(stats: Stats, writable: boolean): Record<string, unknown> {
  return {
    acl: { append: writable, del: writable, exec: true, read: true, write: writable },
    is_acl_mode: true,
    posix: posixOf(stats),
  };
}

async function volumeStatus(dataDir: string): Promise<Record<string, unknown>> {
  const fs = await statfs(dataDir);
  return { freespace: fs.bavail * fs.bsize, readonly: false, totalspace: fs.blocks * fs.bsize };
}
