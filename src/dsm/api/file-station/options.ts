import { inputError } from '../../errors';

/**
 * Checks of caller options: a wrong type is refused naming the option, before anything is sent. Without them
 * `pattern: 5` lists nothing and `recursive: 'false'` deletes recursively.
 */

/** "an object", "a number", "an array"...: what a wrong value is, for the error. */
export function describeType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (Buffer.isBuffer(value)) return 'a Buffer';
  if (value instanceof Date) return 'a Date';
  const type = typeof value;
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}

/** The options argument itself: absent, or a plain object. */
export function optionsObject<T extends object>(value: T | undefined): Partial<T> {
  if (value === undefined || value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value))
    throw inputError('options', `must be an object, not ${describeType(value)}`);
  return value;
}

export function optionalBoolean(field: string, value: unknown): boolean | undefined {
  if (value === undefined || typeof value === 'boolean') return value;
  throw inputError(field, `must be true or false, not ${describeType(value)}`);
}

export function optionalChoice<T extends string>(
  field: string,
  value: unknown,
  choices: readonly T[],
): T | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'string' && (choices as readonly string[]).includes(value)) return value as T;
  const shown = typeof value === 'string' ? `"${value}"` : describeType(value);
  throw inputError(field, `${shown} is not one of ${choices.join(', ')}`);
}

/** A whole number >= `min`. */
export function optionalWholeNumber(field: string, value: unknown, min = 0): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'number' && Number.isInteger(value) && value >= min) return value;
  throw inputError(field, `must be a whole number >= ${min}, not ${shown(value)}`);
}

/** A finite number (times in ms, which may be negative for dates before 1970). */
export function optionalNumber(field: string, value: unknown): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  throw inputError(field, `must be a number, not ${shown(value)}`);
}

/** A time limit in ms: a number > 0. */
export function optionalTimeout(field: string, value: unknown): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'number' && Number.isFinite(value) && value > 0) return value;
  throw inputError(field, `must be a number of milliseconds > 0, not ${shown(value)}`);
}

export function optionalFunction<T extends (...args: never[]) => unknown>(
  field: string,
  value: unknown,
): T | undefined {
  if (value === undefined || typeof value === 'function') return value as T | undefined;
  throw inputError(field, `must be a function, not ${describeType(value)}`);
}

/** A string option such as a password; '' is kept (DSM reads it as "none"). */
export function optionalString(field: string, value: unknown): string | undefined {
  if (value === undefined || typeof value === 'string') return value;
  throw inputError(field, `must be a string, not ${describeType(value)}`);
}

/** Glob patterns or extensions: one string or a list of strings, as DSM's comma-separated parameter. */
export function optionalPatterns(field: string, value: unknown): string | undefined {
  if (value === undefined) return undefined;
  const list = Array.isArray(value) ? value : [value];
  if (!list.every((item) => typeof item === 'string'))
    throw inputError(field, `must be a string or a list of strings, not ${describeType(value)}`);
  return (list as string[]).join(',') || undefined;
}

export function optionalStringList(field: string, value: unknown): string[] | undefined {
  if (value === undefined) return undefined;
  if (Array.isArray(value) && value.every((item) => typeof item === 'string')) return value as string[];
  throw inputError(field, `must be a list of strings, not ${describeType(value)}`);
}

/** The options every background task takes (signal is checked by the client). */
export function checkTaskOptions(options: { timeoutMs?: unknown; onProgress?: unknown }): void {
  optionalTimeout('timeoutMs', options.timeoutMs);
  optionalFunction('onProgress', options.onProgress);
}

function shown(value: unknown): string {
  return typeof value === 'number' ? String(value) : describeType(value);
}
