import { describeDsmCode } from './error-codes';

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

/**
 * The one error type of the client. `message` is one line: what failed and why, never a secret.
 * `code` is DSM's numeric code when DSM answered, else a string such as `ECONNREFUSED`.
 */
export class DsmError extends Error {
  readonly kind: DsmErrorKind;
  readonly code: number | string;
  readonly api?: string;
  readonly method?: string;
  readonly reason: string;
  readonly hint?: string;
  readonly details?: unknown;

  constructor(fields: DsmErrorFields) {
    const where = fields.api ? `${fields.api}${fields.method ? '.' + fields.method : ''}: ` : '';
    const codeText = typeof fields.code === 'number' ? ` (DSM error ${fields.code})` : '';
    super(`${where}${fields.reason}${codeText}`);
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
  toJSON(): DsmErrorFields & { message: string } {
    return {
      message: this.message,
      kind: this.kind,
      code: this.code,
      api: this.api,
      method: this.method,
      reason: this.reason,
      hint: this.hint,
      details: this.details,
    };
  }
}

/** An error DSM answered with `success: false`. */
export function dsmAnswerError(api: string, method: string, code: number, details?: unknown): DsmError {
  const { reason, hint } = describeDsmCode(api, code);
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
