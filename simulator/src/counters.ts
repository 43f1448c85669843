export interface CountersSnapshot {
  loginAttempts: number;
  loginSuccesses: number;
  loginFailures: number;
  logouts: number;
  /** Routed /webapi requests per API name. */
  requests: Record<string, number>;
  /** Routed /webapi requests per 'API.method'. */
  methods: Record<string, number>;
  requestsWithSynoToken: number;
  activeSessions: number;
}

export class Counters {
  loginAttempts = 0;
  loginSuccesses = 0;
  /** Logins answered with any error (400, 403, 404, 407, 114, ...). */
  loginFailures = 0;
  logouts = 0;
  requestsWithSynoToken = 0;
  private requests = new Map<string, number>();
  private methods = new Map<string, number>();

  countRequest(api: string, method: string): void {
    increment(this.requests, api);
    increment(this.methods, `${api}.${method}`);
  }

  snapshot(activeSessions: number): CountersSnapshot {
    return {
      loginAttempts: this.loginAttempts,
      loginSuccesses: this.loginSuccesses,
      loginFailures: this.loginFailures,
      logouts: this.logouts,
      requests: Object.fromEntries(this.requests),
      methods: Object.fromEntries(this.methods),
      requestsWithSynoToken: this.requestsWithSynoToken,
      activeSessions,
    };
  }

  reset(): void {
    this.loginAttempts = 0;
    this.loginSuccesses = 0;
    this.loginFailures = 0;
    this.logouts = 0;
    this.requestsWithSynoToken = 0;
    this.requests = new Map();
    this.methods = new Map();
  }
}

function increment(map: Map<string, number>, key: string): void {
  map.set(key, (map.get(key) ?? 0) + 1);
}
