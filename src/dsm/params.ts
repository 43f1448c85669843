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
    out[key] = json ? JSON.stringify(value) : encodeBare(value);
  }
  return out;
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
