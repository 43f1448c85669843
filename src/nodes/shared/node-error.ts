import { DsmError } from '../../dsm';

/** What a Catch node finds in `msg.error.cause` (Node-RED copies `message`, `code` and `cause`). */
export interface NodeErrorCause {
  kind: string;
  api?: string;
  method?: string;
  reason: string;
  hint?: string;
  details?: unknown;
}

export interface NodeError extends Error {
  code: number | string;
  cause: NodeErrorCause;
}

/**
 * The error handed to `done(err)`: message "reason (DSM error N) - hint", `code` the DSM code, and the
 * DsmError fields in `cause`. Never carries a credential: only DsmError text is used.
 */
export function toNodeError(err: unknown): NodeError {
  const dsm =
    err instanceof DsmError
      ? err
      : new DsmError({ kind: 'internal', code: 'EINTERNAL', reason: errorText(err) });
  const message = dsm.hint ? `${dsm.message}. ${dsm.hint}` : dsm.message;
  const error = new Error(message) as NodeError;
  error.name = 'DsmError';
  error.code = dsm.code;
  error.cause = {
    kind: dsm.kind,
    api: dsm.api,
    method: dsm.method,
    reason: dsm.reason,
    hint: dsm.hint,
    details: dsm.details,
  };
  return error;
}

/** A short status text for a failure: the reason, cut to fit under a node. */
export function statusText(err: NodeError): string {
  const refusal = (err.cause.details as { refusal?: string } | undefined)?.refusal;
  const reason =
    err.cause.kind === 'login-backoff' && refusal ? `login paused: ${refusal}` : err.cause.reason;
  const text = typeof err.code === 'number' && !refusal ? `${err.code}: ${reason}` : reason;
  return text.length > 40 ? `${text.slice(0, 39)}…` : text;
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
