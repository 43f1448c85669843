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
  const delayMs = optional(spec.delayMs, 'delayMs', isNonNegativeNumber) ?? 0;
  const when = optional(spec.when, 'when', isWhen) ?? 'before';
  if (code === undefined && !reset && delayMs === 0) {
    throw new TypeError('A fault needs code, reset or delayMs');
  }
  if (code !== undefined && reset) throw new TypeError('A fault has either code or reset, not both');
  return { api, method, code, reset, delayMs, when, remaining: count };
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

function isNonNegativeNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0;
}

function isWhen(value: unknown): value is 'before' | 'after' {
  return value === 'before' || value === 'after';
}
