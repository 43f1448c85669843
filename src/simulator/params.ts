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

  /** A list sent as a JSON array or as a comma-separated string. */
  list(name: string): string[] | undefined {
    const value = this.value(name);
    if (value === undefined || value === null || value === '') return undefined;
    if (Array.isArray(value)) return value.map((item) => String(item));
    if (typeof value === 'string') return value.split(',').filter((item) => item !== '');
    return [String(value)];
  }
}
