export interface FaultSpec {
  /** Only requests to this API (default: any). */
  api?: string;
  /** Only requests with this method (default: any). */
  method?: string;
  /** How many matching requests the fault hits (default 1). */
  count?: number;
  /** Answer `{success:false, error:{code}}`. */
  code?: number;
  /** Destroy the socket instead of answering. */
  reset?: boolean;
  /**
   * Answer this HTTP status (400-599) with a web server's HTML error page instead of DSM's JSON, as DSM's nginx
   * does while its API restarts (502) or a proxy in front of it when overloaded (503).
   */
  status?: number;
  /** With `status`: a `Retry-After` header of this many seconds, as a proxy may send with 503 or 429. */
  retryAfterS?: number;
  /** Wait this long (real time) at the fault point. */
  delayMs?: number;
  /** 'after': the request is really performed first, then the fault replaces the answer. Default 'before'. */
  when?: 'before' | 'after';
}

export interface Fault {
  readonly api: string | undefined;
  readonly method: string | undefined;
  readonly code: number | undefined;
  readonly reset: boolean;
  readonly status: number | undefined;
  readonly retryAfterS: number | undefined;
  readonly delayMs: number;
  readonly when: 'before' | 'after';
  remaining: number;
}

/** Faults waiting for their requests; the oldest matching one is used first. */
export class FaultQueue {
  private faults: Fault[] = [];

  add(spec: FaultSpec): void {
    this.faults.push(validateFault(spec));
  }

  /** Consumes one hit of the first fault matching this request. */
  take(api: string, method: string): Fault | undefined {
    const fault = this.faults.find(
      (candidate) =>
        (candidate.api === undefined || candidate.api === api) &&
        (candidate.method === undefined || candidate.method === method),
    );
    if (!fault) return undefined;
    fault.remaining -= 1;
    if (fault.remaining <= 0) this.faults = this.faults.filter((candidate) => candidate !== fault);
    return fault;
  }

  pending(): Fault[] {
    return this.faults.map((fault) => ({ ...fault }));
  }

  clear(): void {
    this.faults = [];
  }
}

/** Checks a fault from an untrusted source (the /sim HTTP API); throws a TypeError saying what is wrong. */
export function validateFault(input: unknown): Fault {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new TypeError('A fault must be an object');
  }
  const spec = input as Record<string, unknown>;
  const api = optional(spec.api, 'api', isString);
  const method = optional(spec.method, 'method', isString);
  const count = optional(spec.count, 'count', isPositiveInteger) ?? 1;
  const code = optional(spec.code, 'code', isPositiveInteger);
  const reset = optional(spec.reset, 'reset', isBoolean) ?? false;
  const status = optional(spec.status, 'status (an HTTP status from 400 to 599)', isErrorStatus);
  const retryAfterS = optional(spec.retryAfterS, 'retryAfterS', isNonNegativeInteger);
  const delayMs = optional(spec.delayMs, 'delayMs', isNonNegativeNumber) ?? 0;
  const when = optional(spec.when, 'when', isWhen) ?? 'before';
  const answers = [code !== undefined && 'code', reset && 'reset', status !== undefined && 'status'];
  const given = answers.filter((name): name is string => name !== false);
  if (given.length === 0 && delayMs === 0) {
    throw new TypeError('A fault needs code, reset, status or delayMs');
  }
  if (given.length > 1)
    throw new TypeError(`A fault has one of code, reset or status, not ${given.join(' and ')}`);
  if (retryAfterS !== undefined && status === undefined) {
    throw new TypeError('A fault has retryAfterS only with status');
  }
  return { api, method, code, reset, status, retryAfterS, delayMs, when, remaining: count };
}

function optional<T>(value: unknown, name: string, check: (value: unknown) => value is T): T | undefined {
  if (value === undefined || value === null) return undefined;
  if (!check(value)) throw new TypeError(`Invalid fault ${name}: ${JSON.stringify(value)}`);
  return value;
}

function isString(value: unknown): value is string {
  return typeof value === 'string' && value !== '';
}

function isBoolean(value: unknown): value is boolean {
  return typeof value === 'boolean';
}

function isPositiveInteger(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value > 0;
}

function isNonNegativeInteger(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0;
}

function isErrorStatus(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 400 && value <= 599;
}

function isNonNegativeNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0;
}

function isWhen(value: unknown): value is 'before' | 'after' {
  return value === 'before' || value === 'after';
}
