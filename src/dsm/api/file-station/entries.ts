/** A file or folder as File Station describes it (List list/getinfo, Search list). */
export interface DsmFile {
  path: string;
  name: string;
  isdir: boolean;
  code?: number;
  additional?: {
    size?: number;
    real_path?: string;
    type?: string;
    owner?: { user?: string; group?: string; uid?: number; gid?: number };
    time?: { atime?: number; mtime?: number; ctime?: number; crtime?: number };
    perm?: unknown;
    [key: string]: unknown;
  };
  children?: unknown;
}

/**
 * A file entry with the fields a flow needs at the top: times in ms since 1970 (DSM gives seconds), `size` in bytes
 * (0 for folders). DSM's `additional` object is kept as DSM sent it.
 */
export interface FileEntry {
  path: string;
  name: string;
  isdir: boolean;
  size: number;
  /** Set by DSM when the entry could not be read, e.g. 408: the path does not exist (getinfo). */
  code?: number;
  /** Set by getInfo: false when DSM answered a code for the path instead of its details (408: not there). */
  exists?: boolean;
  mtime?: number;
  atime?: number;
  ctime?: number;
  crtime?: number;
  owner?: string;
  type?: string;
  realPath?: string;
  additional?: DsmFile['additional'];
}

/** The extra fields requested by default: what filters and flows use. */
export const DEFAULT_ADDITIONAL = ['real_path', 'size', 'owner', 'time', 'perm', 'type'];

const toMs = (seconds: unknown): number | undefined =>
  typeof seconds === 'number'
    ? seconds * 1000
    : typeof seconds === 'string' && seconds
      ? Number(seconds) * 1000
      : undefined;

export function toFileEntry(file: DsmFile): FileEntry {
  const extra = file.additional ?? {};
  const entry: FileEntry = {
    path: file.path,
    name: file.name,
    isdir: Boolean(file.isdir),
    size: file.isdir ? 0 : Number(extra.size ?? 0),
  };
  const time = extra.time ?? {};
  for (const key of ['mtime', 'atime', 'ctime', 'crtime'] as const) {
    const ms = toMs(time[key]);
    if (ms !== undefined) entry[key] = ms;
  }
  if (extra.owner?.user) entry.owner = extra.owner.user;
  if (extra.type) entry.type = extra.type;
  if (extra.real_path) entry.realPath = extra.real_path;
  if (file.additional) entry.additional = file.additional;
  if (file.code) entry.code = file.code;
  return entry;
}
