import { CommonError, DsmApiError } from '../dsm-error';
import type { ParamReader } from '../params';
import type { FileRecord } from './dsm-path';
import { fileType, posixOf } from './file-entry';

type Compare = (a: FileRecord, b: FileRecord) => number;

const collator = new Intl.Collator('en', { sensitivity: 'base', numeric: true });

const byName: Compare = (a, b) =>
  collator.compare(a.location.name, b.location.name) ||
  (a.location.name < b.location.name ? -1 : a.location.name > b.location.name ? 1 : 0);

const numeric =
  (value: (record: FileRecord) => number): Compare =>
  (a, b) =>
    value(a) - value(b);

const SORT_KEYS: Record<string, Compare> = {
  name: byName,
  size: numeric((record) => record.stats.size),
  // Every file belongs to the session's account in the simulator: user and group sort by name.
  user: () => 0,
  group: () => 0,
  mtime: numeric((record) => record.stats.mtimeMs),
  atime: numeric((record) => record.stats.atimeMs),
  ctime: numeric((record) => record.stats.ctimeMs),
  crtime: numeric((record) => record.stats.birthtimeMs || record.stats.ctimeMs),
  posix: numeric((record) => posixOf(record.stats)),
  type: (a, b) => collator.compare(fileType(a.location.name), fileType(b.location.name)),
};

/** sort_by / sort_direction (default name, asc); 120 for an unknown key. Folders come before files. */
export function sortRecords(records: FileRecord[], params: ParamReader): FileRecord[] {
  const sortBy = params.text('sort_by') || 'name';
  const compare = SORT_KEYS[sortBy];
  if (!compare) throw new DsmApiError(CommonError.InvalidParameter);
  const direction = readDirection(params);
  return [...records].sort(
    (a, b) =>
      Number(b.stats.isDirectory()) - Number(a.stats.isDirectory()) ||
      direction * (compare(a, b) || byName(a, b)),
  );
}

/** 1 for asc (the default), -1 for desc; 120 otherwise. */
export function readDirection(params: ParamReader): 1 | -1 {
  const direction = params.text('sort_direction') || 'asc';
  if (direction !== 'asc' && direction !== 'desc') throw new DsmApiError(CommonError.InvalidParameter);
  return direction === 'asc' ? 1 : -1;
}

/** filetype file|dir|all (default all); 120 otherwise. */
export function fileTypeFilter(params: ParamReader): (record: FileRecord) => boolean {
  const filetype = params.text('filetype') || 'all';
  if (filetype === 'all') return () => true;
  if (filetype === 'file') return (record) => !record.stats.isDirectory();
  if (filetype === 'dir') return (record) => record.stats.isDirectory();
  throw new DsmApiError(CommonError.InvalidParameter);
}

/**
 * A case-insensitive glob over names: `*` and `?` are the only wildcards; a pattern without either matches
 * anywhere in the name (guide, List.list "pattern" note 1) unless `whole`. Several patterns match if any does.
 */
export function globMatcher(patterns: readonly string[], whole = false): (name: string) => boolean {
  const expressions = patterns
    .filter((pattern) => pattern !== '')
    .map((pattern) => {
      const wrapped = whole || /[*?]/.test(pattern) ? pattern : `*${pattern}*`;
      const source = [...wrapped]
        .map((char) => (char === '*' ? '.*' : char === '?' ? '.' : char.replace(/[\\^$.|+()[\]{}]/g, '\\$&')))
        .join('');
      return new RegExp(`^${source}$`, 'isu');
    });
  if (expressions.length === 0) return () => true;
  return (name) => expressions.some((expression) => expression.test(name));
}

/** offset / limit paging; `allAt` is the limit that means "everything" (0 in most APIs, -1 in some). */
export function pageOf<T>(items: readonly T[], offset: number, limit: number, allAt = 0): T[] {
  if (offset < 0) throw new DsmApiError(CommonError.InvalidParameter);
  if (limit === allAt || (allAt === 0 && limit < 0)) return items.slice(offset);
  if (limit < 0) throw new DsmApiError(CommonError.InvalidParameter);
  return items.slice(offset, offset + limit);
}
