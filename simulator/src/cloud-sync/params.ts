import { CommonError, DsmApiError } from '../dsm-error';
import type { ParamReader } from '../params';

export type CloudSyncReason = 'required' | 'type';

/**
 * `{code: 120, errors: {name, reason}}`, the JSON-format answer to a missing or malformed value (the shape of
 * mikespub tools/errors SYNO.DownloadStation2.Task.List-get; no Cloud Sync capture shows one).
 */
export function cloudSyncArgumentError(name: string, reason: CloudSyncReason): DsmApiError {
  return new DsmApiError(CommonError.InvalidParameter, { name, reason });
}

/**
 * Cloud Sync parameters (requestFormat JSON). Scalars come bare or JSON-encoded: N4S4 sends `connection_id=3`,
 * `keyword=` and `is_tray=False` bare but `schedule_info="1111…"` quoted; mikespub JSON-encodes every string
 * (wire-notes.md). Lists must be JSON arrays: a bare list answers 120 (N4S4 set_task_filters: "Otherwise,
 * error 120 is raised").
 */
export class CloudSyncParams {
  constructor(private readonly params: ParamReader) {}

  has(name: string): boolean {
    return this.params.has(name);
  }

  string(name: string, fallback: string): string {
    const raw = this.params.sent(name);
    if (raw === undefined) return fallback;
    const trimmed = raw.trim();
    if (!trimmed.startsWith('"')) return raw;
    const decoded = parse(trimmed);
    if (typeof decoded !== 'string') throw cloudSyncArgumentError(name, 'type');
    return decoded;
  }

  /** An integer, bare (`3`) or JSON-quoted (`"3"`); `fallback` when absent or empty. */
  int(name: string, fallback: number): number {
    const text = this.string(name, '').trim();
    if (text === '') return fallback;
    const value = Number(text);
    if (!/^-?\d+$/.test(text) || !Number.isSafeInteger(value)) throw cloudSyncArgumentError(name, 'type');
    return value;
  }

  requiredInt(name: string): number {
    if (!this.params.has(name) || this.string(name, '').trim() === '') {
      throw cloudSyncArgumentError(name, 'required');
    }
    return this.int(name, 0);
  }

  /** true/false (any case, as Python clients send `False`), yes/no or 1/0, bare or quoted. */
  bool(name: string, fallback: boolean): boolean {
    const word = this.string(name, '').trim().toLowerCase();
    if (word === '') return fallback;
    if (word === 'true' || word === 'yes' || word === '1') return true;
    if (word === 'false' || word === 'no' || word === '0') return false;
    throw cloudSyncArgumentError(name, 'type');
  }

  requiredBool(name: string): boolean {
    if (!this.params.has(name)) throw cloudSyncArgumentError(name, 'required');
    return this.bool(name, false);
  }

  /** A JSON array of strings; anything else (a bare `a,b`, a JSON string) answers 120. */
  strings(name: string): string[] | undefined {
    const raw = this.params.sent(name);
    if (raw === undefined) return undefined;
    const decoded = parse(raw.trim());
    if (!Array.isArray(decoded) || decoded.some((item) => typeof item !== 'string')) {
      throw cloudSyncArgumentError(name, 'type');
    }
    return decoded as string[];
  }
}

function parse(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
