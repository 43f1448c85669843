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
  setCookie(cookie: string): void;
}

/** Returns the answer's `data` (undefined: an answer without data) or throws a DsmApiError. */
export type MethodHandler = (call: ApiCall) => unknown;

export interface ApiHandler {
  /** Methods callable without a session. */
  readonly publicMethods?: readonly string[];
  readonly methods: Readonly<Record<string, MethodHandler>>;
}

export function hasMethod(handler: ApiHandler, method: string): boolean {
  return Object.hasOwn(handler.methods, method);
}
