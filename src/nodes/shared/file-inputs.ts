import { inputError } from '../../dsm';
import { describeType } from '../../dsm/api/file-station';

/**
 * DSM paths from a setting or a msg: a string, a comma-free list of strings, or entries from synology-file-list
 * (objects with `path`), one or an array.
 */
export function toPathList(field: string, value: unknown, allowEmpty = false): string[] {
  const items = Array.isArray(value) ? value : [value];
  const paths = items.map((item, index) => {
    const path = typeof item === 'string' ? item : (item as { path?: unknown } | null)?.path;
    if (typeof path !== 'string' || !path.trim()) {
      const where = items.length > 1 ? `${field}[${index}]` : field;
      throw inputError(where, 'must be a DSM path such as /home/file.txt, or a file entry with a path');
    }
    // Not trimmed: "/home/report " is another file than "/home/report".
    return path;
  });
  if (paths.length === 0 && !allowEmpty) throw inputError(field, 'is an empty list');
  return paths;
}

const UNITS: Record<string, number> = {
  '': 1,
  b: 1,
  k: 1024,
  kb: 1024,
  kib: 1024,
  m: 1024 ** 2,
  mb: 1024 ** 2,
  mib: 1024 ** 2,
  g: 1024 ** 3,
  gb: 1024 ** 3,
  gib: 1024 ** 3,
  t: 1024 ** 4,
  tb: 1024 ** 4,
  tib: 1024 ** 4,
};

/** Bytes from `1048576`, `"10MB"`, `"1.5 GiB"` (binary units: 1 MB = 1,048,576 bytes); empty means no value. */
export function parseSize(field: string, value: unknown): number | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value === 'number' && Number.isFinite(value) && value >= 0) return Math.round(value);
  if (typeof value !== 'string' && typeof value !== 'number')
    throw inputError(field, `must be a size such as 500KB, 10MB or 2GB, not ${describeType(value)}`);
  const match = /^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$/i.exec(String(value));
  const unit = match ? UNITS[match[2].toLowerCase()] : undefined;
  if (!match || unit === undefined)
    throw inputError(field, `"${String(value)}" is not a size such as 500KB, 10MB or 2GB`);
  return Math.round(Number(match[1]) * unit);
}

/** A number >= 0 (days, counts); empty means no value. */
export function parseNumber(field: string, value: unknown): number | undefined {
  if (value === undefined || value === null || (typeof value === 'string' && !value.trim())) return undefined;
  // Not Number(value): it reads true as 1 and [] as 0.
  if (typeof value !== 'string' && typeof value !== 'number')
    throw inputError(field, `must be a number, not ${describeType(value)}`);
  const number = Number(value);
  if (!Number.isFinite(number) || number < 0)
    throw inputError(field, `"${String(value)}" is not a number >= 0`);
  return number;
}

export function parseChoice<T extends string>(field: string, value: unknown, choices: readonly T[]): T {
  if (typeof value === 'string' && (choices as readonly string[]).includes(value)) return value as T;
  const shown = typeof value === 'string' ? `"${value}"` : describeType(value);
  throw inputError(field, `${shown} is not one of ${choices.join(', ')}`);
}
