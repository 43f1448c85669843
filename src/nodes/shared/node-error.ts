import { DsmError, type PathFailure } from '../../dsm';

/** What a Catch node finds in `msg.error.cause` (Node-RED copies `message`, `code` and `cause`). */
export interface NodeErrorCause {
  kind: string;
  api?: string;
  method?: string;
  reason: string;
  hint?: string;
  /** The paths a DSM batch error names, each with its own code and what went wrong there. */
  failures?: readonly PathFailure[];
  details?: unknown;
}

export interface NodeError extends Error {
  code: number | string;
  cause: NodeErrorCause;
}

/**
 * Node-RED puts `err.toString()` into `msg.error.message` (Flow.handleError, 4.x and 5.x) and into the log line:
 * for an Error that is "Name: message". The message alone is what the README promises.
 */
class MessageOnlyError extends Error {
  override toString(): string {
    return this.message;
  }
}

/**
 * The error handed to `done(err)`: message "api.method: reason (DSM error N): path problems. Hint", `code` the DSM
 * code, and the DsmError fields in `cause`. Never carries a credential: only DsmError text is used.
 */
export function toNodeError(err: unknown): NodeError {
  const dsm =
    err instanceof DsmError
      ? err
      : new DsmError({ kind: 'internal', code: 'EINTERNAL', reason: errorText(err) });
  const message = dsm.hint ? `${dsm.message}. ${dsm.hint}` : dsm.message;
  const error = new MessageOnlyError(message) as NodeError;
  error.name = 'DsmError';
  error.code = dsm.code;
  error.cause = {
    kind: dsm.kind,
    api: dsm.api,
    method: dsm.method,
    reason: dsm.reason,
    hint: dsm.hint,
    ...(dsm.failures.length > 0 ? { failures: dsm.failures } : {}),
    details: dsm.details,
  };
  return error;
}

/** A short status text for a failure: the failed path's problem, else the reason, cut to fit under a node. */
export function statusText(err: NodeError): string {
  const refusal = (err.cause.details as { refusal?: string } | undefined)?.refusal;
  const [failure] = err.cause.failures ?? [];
  const reason =
    err.cause.kind === 'login-backoff' && refusal
      ? `login paused: ${refusal}`
      : failure
        ? `${failure.path} ${failure.problem}`
        : err.cause.reason;
  const code = failure ? failure.code : err.code;
  const text = typeof code === 'number' && !refusal ? `${code}: ${reason}` : reason;
  return text.length > 40 ? `${text.slice(0, 39)}…` : text;
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
