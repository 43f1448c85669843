import type { SimulatorClock } from './clock';

export interface LoginGuardPolicy {
  blockAfterFailures: number;
  blockWindowMs: number;
  blockDurationMs: number;
}

/** DSM's auto-block: too many failed logins from one IP within a window block that IP for a while. */
export class LoginGuard {
  private readonly failures = new Map<string, number[]>();
  private readonly blockedUntil = new Map<string, number>();

  constructor(
    private readonly clock: SimulatorClock,
    private readonly policy: LoginGuardPolicy,
  ) {}

  isBlocked(ip: string): boolean {
    const until = this.blockedUntil.get(ip);
    if (until === undefined) return false;
    if (this.clock.now() < until) return true;
    this.blockedUntil.delete(ip);
    return false;
  }

  recordFailure(ip: string): void {
    const now = this.clock.now();
    const recent = (this.failures.get(ip) ?? []).filter((time) => now - time < this.policy.blockWindowMs);
    recent.push(now);
    if (recent.length >= this.policy.blockAfterFailures) {
      this.blockedUntil.set(ip, now + this.policy.blockDurationMs);
      this.failures.delete(ip);
    } else {
      this.failures.set(ip, recent);
    }
  }

  unblockAll(): void {
    this.blockedUntil.clear();
    this.failures.clear();
  }
}
