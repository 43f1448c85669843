import { inputError } from '../../errors';
import { describeType } from './options';

/**
 * A DSM path as File Station wants it: absolute, starting with a shared folder (`/home/docs/a.txt`), no `..`.
 * Returns it without a trailing slash; throws an input error naming `field` otherwise.
 */
export function checkDsmPath(field: string, value: unknown): string {
  refuseNonString(field, value);
  if (typeof value !== 'string' || value.trim() === '') {
    throw inputError(
      field,
      'is empty',
      'Give a path that starts with the shared folder, e.g. /home/file.txt.',
    );
  }
  if (!value.startsWith('/')) {
    throw inputError(
      field,
      `"${value}" is a relative path`,
      'DSM paths start with the shared folder, e.g. /home/file.txt.',
    );
  }
  const path = value.length > 1 ? value.replace(/\/+$/, '') : value;
  const segments = path.split('/').slice(1);
  if (segments.length === 0 || segments[0] === '') {
    throw inputError(
      field,
      `"${value}" names no shared folder`,
      'Start the path with a shared folder, e.g. /home/file.txt.',
    );
  }
  if (segments.some((s) => s === '' || s === '.' || s === '..' || s.includes('\0'))) {
    throw inputError(field, `"${value}" has an empty, "." or ".." part`);
  }
  return path;
}

/** A path that is more than a shared folder: a file or folder inside one. */
export function checkItemPath(field: string, value: unknown): string {
  const path = checkDsmPath(field, value);
  if (path.split('/').length < 3) {
    throw inputError(field, `"${path}" is a shared folder, not a file or folder inside one`);
  }
  return path;
}

/** One path or a non-empty list of them. */
export function checkDsmPaths(field: string, value: unknown): string[] {
  const list = Array.isArray(value) ? value : [value];
  if (list.length === 0) throw inputError(field, 'is an empty list');
  return list.map((item, index) => checkDsmPath(list.length > 1 ? `${field}[${index}]` : field, item));
}

/** A file or folder name: no slash, not "." or "..". */
export function checkName(field: string, value: unknown): string {
  refuseNonString(field, value);
  if (typeof value !== 'string' || value.trim() === '') throw inputError(field, 'is empty');
  if (value.includes('/') || value.includes('\0') || value === '.' || value === '..') {
    throw inputError(field, `"${value}" is not a file name (no "/", not "." or "..")`);
  }
  return value;
}

/** Nothing reads as "is empty"; anything else that is not a string is named for what it is. */
function refuseNonString(field: string, value: unknown): void {
  if (value !== undefined && value !== null && typeof value !== 'string')
    throw inputError(field, `must be a string, not ${describeType(value)}`);
}

export function joinPath(folder: string, name: string): string {
  return `${folder.replace(/\/+$/, '')}/${name}`;
}

export function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

export function parentPath(path: string): string {
  return path.slice(0, path.lastIndexOf('/')) || '/';
}
