import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ParamReader } from '../params';
import type { ApiEntry } from '../profiles';
import type { Session } from '../sessions';
import type { SimulatorState } from '../state';

/** One routed /webapi request, as a handler sees it. */
export interface ApiCall {
  readonly entry: ApiEntry;
  readonly method: string;
  readonly version: number;
  readonly params: ParamReader;
  /** The sid the request carried (`_sid` or cookie `id`), valid or not. */
  readonly sid: string | undefined;
  /** The valid session; always set for non-public methods. */
  readonly session: Session | undefined;
  readonly clientIp: string;
  readonly sim: SimulatorState;
  /** The HTTP exchange, for handlers that read a request body (Upload) or build URLs (Sharing). */
  readonly http: { readonly req: IncomingMessage; readonly res: ServerResponse };
  setCookie(cookie: string): void;
}

/** An answer that is not DSM JSON (e.g. a file download): the handler writes the response itself. */
export class RawAnswer {
  constructor(readonly send: (res: ServerResponse) => Promise<void>) {}
}

/**
 * Returns the answer's `data` (undefined: an answer without data), a RawAnswer, or throws a DsmApiError.
 */
export type MethodHandler = (call: ApiCall) => unknown;

export interface ApiHandler {
  /** Methods callable without a session. */
  readonly publicMethods?: readonly string[];
  /** Content-Type of the JSON answers, when DSM does not send application/json. */
  readonly answerContentType?: string;
  readonly methods: Readonly<Record<string, MethodHandler>>;
}

export function hasMethod(handler: ApiHandler, method: string): boolean {
  return Object.hasOwn(handler.methods, method);
}
