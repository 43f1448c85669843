import { CommonError, DsmApiError } from './dsm-error';

export type RawParams = ReadonlyMap<string, string>;

const LOOKS_LIKE_JSON = /^(?:["[{]|-?\d|true$|false$|null$)/;

/**
 * Decodes a parameter of an API whose requestFormat is JSON. Clients send such values JSON-encoded
 * (`"value"`, `5`, `true`, `["a"]`) or bare (`value`); DSM accepts both, so anything that is not valid JSON
 * stays the raw string.
 */
export function decodeJsonParam(raw: string): unknown {
  const trimmed = raw.trim();
  if (!LOOKS_LIKE_JSON.test(trimmed)) return raw;
  try {
    return JSON.parse(trimmed) as unknown;
  } catch {
    return raw;
  }
}

/** Typed access to a request's parameters; missing required ones answer 114, malformed ones 120. */
export class ParamReader {
  constructor(
    private readonly raw: RawParams,
    private readonly jsonFormat: boolean,
  ) {}

  has(name: string): boolean {
    return this.raw.has(name);
  }

  /** The parameter exactly as sent, for APIs stricter than this reader (DownloadStation2). */
  sent(name: string): string | undefined {
    return this.raw.get(name);
  }

  value(name: string): unknown {
    const raw = this.raw.get(name);
    if (raw === undefined) return undefined;
    return this.jsonFormat ? decodeJsonParam(raw) : raw;
  }

  string(name: string): string | undefined {
    const value = this.value(name);
    if (value === undefined || value === null) return undefined;
    if (typeof value === 'string') return value;
    if (typeof value === 'number' || typeof value === 'boolean') return String(value);
    throw new DsmApiError(CommonError.InvalidParameter);
  }

  requiredString(name: string): string {
    const value = this.string(name);
    if (value === undefined || value === '') throw new DsmApiError(CommonError.MissingParameter);
    return value;
  }

  int(name: string, fallback: number): number {
    const value = this.value(name);
    if (value === undefined || value === null || value === '') return fallback;
    const parsed = typeof value === 'string' ? Number(value.trim()) : value;
    if (typeof parsed !== 'number' || !Number.isInteger(parsed))
      throw new DsmApiError(CommonError.InvalidParameter);
    return parsed;
  }

  bool(name: string, fallback: boolean): boolean {
    const value = this.value(name);
    if (value === undefined || value === null || value === '') return fallback;
    if (value === true || value === 'true' || value === 'yes') return true;
    if (value === false || value === 'false' || value === 'no') return false;
    throw new DsmApiError(CommonError.InvalidParameter);
  }

  /**
   * A string parameter without JSON number or boolean decoding: a JSON-quoted value (`"abc"`) is unquoted,
   * anything else is taken verbatim, so ids such as `12E4` or names such as `007` stay as sent.
   */
  text(name: string): string | undefined {
    const raw = this.raw.get(name);
    if (raw === undefined) return undefined;
    return this.jsonFormat ? unquoteJsonString(raw) : raw;
  }

  requiredText(name: string): string {
    const value = this.text(name);
    if (value === undefined || value === '') throw new DsmApiError(CommonError.MissingParameter);
    return value;
  }

  /**
   * A list parameter, as DSM takes it: a JSON array (requestFormat JSON), a JSON string (one item) or a
   * comma list where `\,` is a literal comma and `\\` a literal backslash (File Station guide, "Making
   * Requests"). Empty items are dropped.
   */
  list(name: string): string[] | undefined {
    const raw = this.raw.get(name);
    if (raw === undefined || raw.trim() === '') return undefined;
    if (this.jsonFormat) {
      const decoded = decodeJsonParam(raw);
      if (Array.isArray(decoded))
        return decoded.map((item) => (typeof item === 'string' ? item : JSON.stringify(item)));
      if (raw.trim().startsWith('"') && typeof decoded === 'string') return decoded === '' ? [] : [decoded];
    }
    return splitCommaList(raw);
  }

  requiredList(name: string): string[] {
    const value = this.list(name);
    if (value === undefined || value.length === 0) throw new DsmApiError(CommonError.MissingParameter);
    return value;
  }

  /** The same parameters with some replaced or added (e.g. the text fields of a multipart upload). */
  withOverrides(overrides: ReadonlyMap<string, string>): ParamReader {
    return new ParamReader(new Map([...this.raw, ...overrides]), this.jsonFormat);
  }
}

function unquoteJsonString(raw: string): string {
  const trimmed = raw.trim();
  if (!trimmed.startsWith('"')) return raw;
  try {
    const parsed = JSON.parse(trimmed) as unknown;
    return typeof parsed === 'string' ? parsed : raw;
  } catch {
    return raw;
  }
}

/** Splits a v1 comma list: `\,` is a comma inside an item, `\\` a backslash; other backslashes stay. */
export function splitCommaList(raw: string): string[] {
  const items: string[] = [];
  let current = '';
  for (let index = 0; index < raw.length; index += 1) {
    const char = raw[index];
    const next = raw[index + 1];
    if (char === '\\' && (next === ',' || next === '\\')) {
      current += next;
      index += 1;
    } else if (char === ',') {
      items.push(current);
      current = '';
    } else {
      current += char;
    }
  }
  items.push(current);
  return items.filter((item) => item !== '');
}
