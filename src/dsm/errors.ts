import { describeDsmCode, describePathFailure } from './error-codes';

/** What kind of failure a {@link DsmError} is; lets a caller decide without parsing messages. */
export type DsmErrorKind =
  | 'dsm' // DSM answered success:false
  | 'input' // the call was refused before anything was sent
  | 'network' // no answer: refused, reset, DNS, proxy
  | 'timeout'
  | 'tls' // certificate rejected (verification or pin)
  | 'http' // an HTTP answer that is not a DSM Web API answer
  | 'aborted'
  | 'two-factor' // DSM wants a 2FA code
  | 'login-backoff' // the client refuses to log in again for now
  | 'source' // the data to upload could not be read
  | 'internal'; // a bug of ours: reported, never hidden

export interface DsmErrorFields {
  kind: DsmErrorKind;
  code: number | string;
  api?: string;
  method?: string;
  reason: string;
  hint?: string;
  /** DSM's own `errors` detail (per-file codes), kept as DSM sent it. */
  details?: unknown;
}

/** One path a DSM batch error names in its `errors` list (File Station guide, "error" object), with its own code. */
export interface PathFailure {
  path: string;
  code: number;
  /** What went wrong at the path, e.g. "does not exist". */
  problem: string;
}

/** How many failed paths a message names before "and N more". */
const PATHS_NAMED = 3;

/**
 * The one error type of the client. `message` is one line: what failed and why, never a secret; a batch error
 * (900 delete, 1000/1001 copy/move, 1300 compress, 1400 extract, ...) names each failed path with its own code:
 * `SYNO.FileStation.Compress.status: Failed to compress files/folders (DSM error 1300): /home/zips does not exist
 * (408)`. `code` is DSM's numeric code when DSM answered, else a string such as `ECONNREFUSED`.
 */
export class DsmError extends Error {
  readonly kind: DsmErrorKind;
  readonly code: number | string;
  readonly api?: string;
  readonly method?: string;
  readonly reason: string;
  readonly hint?: string;
  readonly details?: unknown;
  /** The paths DSM's `errors` detail names, each with its own code (empty when it names none). */
  readonly failures: readonly PathFailure[];

  constructor(fields: DsmErrorFields) {
    const where = fields.api ? `${fields.api}${fields.method ? '.' + fields.method : ''}: ` : '';
    const codeText = typeof fields.code === 'number' ? ` (DSM error ${fields.code})` : '';
    const failures = fields.kind === 'dsm' ? pathFailures(fields.details) : [];
    const failureText = failures.length > 0 ? `: ${describeFailures(failures)}` : '';
    super(`${where}${fields.reason}${codeText}${failureText}`);
    this.failures = failures;
    this.name = 'DsmError';
    this.kind = fields.kind;
    this.code = fields.code;
    this.api = fields.api;
    this.method = fields.method;
    this.reason = fields.reason;
    this.hint = fields.hint;
    this.details = fields.details;
  }

  /** Plain fields for a Node-RED msg or a log line (no stack, nothing secret). */
  toJSON(): DsmErrorFields & { message: string; failures: readonly PathFailure[] } {
    return {
      message: this.message,
      failures: this.failures,
      kind: this.kind,
      code: this.code,
      api: this.api,
      method: this.method,
      reason: this.reason,
      hint: this.hint,
      details: this.details,
    };
  }

  /** The same error in other words: a reason that names the path, a hint that names a node's setting. */
  rephrased(words: { reason?: string; hint?: string }): DsmError {
    return new DsmError({ ...this.toJSON(), ...words });
  }
}

/** `errors: [{code, path}]` as DSM sends it with a batch error; anything else names no path. */
function pathFailures(details: unknown): PathFailure[] {
  if (!Array.isArray(details)) return [];
  const failures: PathFailure[] = [];
  for (const item of details as unknown[]) {
    const { code, path } = (item ?? {}) as { code?: unknown; path?: unknown };
    if (typeof path !== 'string' || !path || !Number.isInteger(Number(code))) continue;
    failures.push({ path, code: Number(code), problem: describePathFailure(Number(code)) });
  }
  return failures;
}

/** "/a does not exist (408); /b already exists (414) and 2 more". */
export function describeFailures(failures: readonly PathFailure[]): string {
  const named = failures
    .slice(0, PATHS_NAMED)
    .map((f) => `${f.path} ${f.problem} (${f.code})`)
    .join('; ');
  const more = failures.length - PATHS_NAMED;
  return more > 0 ? `${named} and ${more} more` : named;
}

/** An error DSM answered with `success: false`. */
export function dsmAnswerError(api: string, method: string, code: number, details?: unknown): DsmError {
  const failed = pathFailures(details)[0];
  const { reason, hint: codeHint } = describeDsmCode(api, code);
  // A batch code (900, 1300, ...) has no hint of its own: the first path's code says what to do.
  const hint = codeHint ?? (failed && describeDsmCode(api, failed.code).hint);
  const kind = api === 'SYNO.API.Auth' && code === 403 ? 'two-factor' : 'dsm';
  return new DsmError({ kind, code, api, method, reason, hint, details });
}

/** A call refused before anything was sent, naming the field at fault. */
export function inputError(field: string, problem: string, hint?: string): DsmError {
  return new DsmError({ kind: 'input', code: 'EINVAL', reason: `${field}: ${problem}`, hint });
}

/** Session codes after which a new login and one retry of the call are safe: DSM did not run the call. */
export const SESSION_CODES: ReadonlySet<number> = new Set([105, 106, 107, 119]);

export function isSessionError(err: unknown): err is DsmError {
  return (
    err instanceof DsmError &&
    err.kind === 'dsm' &&
    typeof err.code === 'number' &&
    SESSION_CODES.has(err.code)
  );
}
