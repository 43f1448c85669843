import type { ParamReader } from '../params';
import { ds2ArgumentError } from './errors';

/**
 * DownloadStation2 parameters: every value JSON-encoded (`type="url"`, `create_list=false`, `url=["…"]`);
 * a bare value answers 120 with `errors: {name, reason}` (Prowlarr #2062 on DSM 7.2.1; next-apis-notes §1b).
 */
export class Ds2Params {
  constructor(private readonly params: ParamReader) {}

  has(name: string): boolean {
    return this.params.has(name);
  }

  string(name: string): string | undefined {
    const value = this.decoded(name);
    if (value === undefined) return undefined;
    if (typeof value !== 'string') throw ds2ArgumentError(name, 'type');
    return value;
  }

  requiredString(name: string): string {
    return required(name, this.string(name));
  }

  bool(name: string): boolean | undefined {
    const value = this.decoded(name);
    if (value === undefined) return undefined;
    if (typeof value !== 'boolean') throw ds2ArgumentError(name, 'type');
    return value;
  }

  requiredBool(name: string): boolean {
    return required(name, this.bool(name));
  }

  int(name: string, fallback: number): number {
    const value = this.decoded(name);
    if (value === undefined) return fallback;
    if (typeof value !== 'number' || !Number.isInteger(value)) throw ds2ArgumentError(name, 'type');
    return value;
  }

  /** A JSON array of strings; one JSON string is taken as a list of one. */
  strings(name: string): string[] | undefined {
    const value = this.decoded(name);
    if (value === undefined) return undefined;
    const list = typeof value === 'string' ? [value] : value;
    if (!Array.isArray(list) || list.some((item) => typeof item !== 'string')) {
      throw ds2ArgumentError(name, 'type');
    }
    return list as string[];
  }

  requiredStrings(name: string): string[] {
    const list = required(name, this.strings(name));
    if (list.length === 0) throw ds2ArgumentError(name, 'required');
    return list;
  }

  /** A JSON array of integers; one integer is taken as a list of one. */
  ints(name: string): number[] | undefined {
    const value = this.decoded(name);
    if (value === undefined) return undefined;
    const list = typeof value === 'number' ? [value] : value;
    if (!Array.isArray(list) || list.some((item) => typeof item !== 'number' || !Number.isInteger(item))) {
      throw ds2ArgumentError(name, 'type');
    }
    return list as number[];
  }

  /**
   * `additional` of list and get: a JSON array, or one bare word, which DSM takes (Prowlarr asks for `detail`
   * and `transfer` in two calls with bare values, next-apis-notes §1b).
   */
  additional(): string[] {
    const raw = this.params.sent('additional');
    if (raw === undefined || raw === '') return [];
    if (/^[a-z_]+$/.test(raw.trim())) return [raw.trim()];
    return this.strings('additional') ?? [];
  }

  private decoded(name: string): unknown {
    const raw = this.params.sent(name);
    if (raw === undefined) return undefined;
    try {
      return JSON.parse(raw) as unknown;
    } catch {
      throw ds2ArgumentError(name, 'type');
    }
  }
}

function required<T>(name: string, value: T | undefined): T {
  if (value === undefined) throw ds2ArgumentError(name, 'required');
  return value;
}
