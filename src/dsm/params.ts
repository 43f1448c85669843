import { inputError } from './errors';

/**
 * Turns call params into the strings DSM expects.
 * - APIs whose requestFormat is "JSON" (discovery says so) get every value JSON-encoded from version 2 on:
 *   `"text"`, `5`, `["a"]`.
 * - Other APIs get bare scalars, and lists joined with commas where `\` and `,` inside an item are
 *   escaped with a backslash (the File Station guide's rule for v1 list params).
 */
export function encodeParams(
  params: Record<string, unknown>,
  requestFormat?: string,
  version = 2,
): Record<string, string> {
  // Version 1 of an API keeps the v1 encoding even where DSM lists the API as requestFormat JSON.
  const json = requestFormat === 'JSON' && version >= 2;
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined || value === null) continue;
    out[key] = json ? encodeJson(value) : encodeBare(value);
  }
  return out;
}

/** A bigint is a number to DSM: its digits, which JSON.stringify refuses to write. */
function encodeJson(value: unknown): string {
  return typeof value === 'bigint' ? String(value) : JSON.stringify(value);
}

/**
 * Refuses params that cannot be sent as they are (a function, a symbol, a circular object, a bigint inside an
 * object), naming the param, before anything is sent.
 */
export function checkEncodable(params: Record<string, unknown>): void {
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined || value === null || typeof value === 'bigint') continue;
    if (typeof value === 'function' || typeof value === 'symbol') {
      throw inputError(`params.${key}`, `a ${typeof value} cannot be sent to DSM`);
    }
    if (typeof value !== 'object') continue;
    try {
      JSON.stringify(value);
    } catch (err) {
      const why =
        err instanceof Error && /circular/i.test(err.message)
          ? 'refers to itself (circular)'
          : 'holds a value JSON cannot encode (a bigint?)';
      throw inputError(`params.${key}`, `cannot be encoded: it ${why}`);
    }
  }
}

function encodeBare(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint')
    return String(value);
  if (Array.isArray(value)) return value.map((item) => escapeListItem(encodeBare(item))).join(',');
  return JSON.stringify(value);
}

function escapeListItem(item: string): string {
  return item.replace(/\\/g, '\\\\').replace(/,/g, '\\,');
}
