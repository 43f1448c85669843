import { createHmac, randomBytes } from 'node:crypto';
import { DsmError } from './errors';

/** The longest pause after repeated refused logins. */
const MAX_BACKOFF_MS = 30 * 60_000;

interface Refusal {
  until: number;
  waitMs: number;
  error: DsmError;
  /** Which credentials DSM refused (a keyed hash, never the secrets). */
  credentials: string;
}

/** Keys the credential hashes; made anew in every process, so a hash means nothing outside it. */
const HASH_KEY = randomBytes(32);

/**
 * Refused logins per (DSM origin, account), for the whole process: a redeploy makes a new client, and two
 * config nodes may use one account, yet DSM counts every failed login of this IP towards its auto-block
 * (10 in 5 minutes by default), after which even the right password is refused.
 */
const refusals = new Map<string, Refusal>();

/**
 * The pause before the next automatic login to `origin` as `username`, shared by every client of the process.
 * Credentials other than the refused ones (the user fixed the password, added a TOTP secret) get one try at once.
 */
export class LoginBackoff {
  private readonly key: string;
  private readonly credentials: string;

  constructor(
    origin: string,
    username: string,
    secrets: readonly (string | undefined)[],
    private readonly firstWaitMs: number,
  ) {
    // DSM account names are not case-sensitive at login.
    this.key = `${origin}\n${username.trim().toLowerCase()}`;
    this.credentials = createHmac('sha256', HASH_KEY)
      .update(JSON.stringify(secrets.map((secret) => secret ?? '')))
      .digest('base64');
  }

  /** The refusal still in force for these credentials, with the time left; undefined when a login may be tried. */
  current(): { error: DsmError; leftMs: number } | undefined {
    const refusal = refusals.get(this.key);
    if (!refusal || refusal.credentials !== this.credentials) return undefined;
    const leftMs = refusal.until - Date.now();
    return leftMs > 0 ? { error: refusal.error, leftMs } : undefined;
  }

  /** DSM refused a login: pause, twice as long as the pause before (which may have been another client's). */
  refused(error: DsmError): void {
    const previous = refusals.get(this.key);
    const waitMs = previous
      ? Math.min(Math.max(previous.waitMs * 2, this.firstWaitMs), MAX_BACKOFF_MS)
      : this.firstWaitMs;
    refusals.set(this.key, { until: Date.now() + waitMs, waitMs, error, credentials: this.credentials });
  }

  /** DSM accepted a login: the account works again for every client. */
  accepted(): void {
    refusals.delete(this.key);
  }
}

/**
 * How many automatic re-logins a client may make after DSM ended its sessions: a few at once (an idle timeout
 * then a NAS reboot), then one per `intervalMs`. A DSM or a proxy that ends every session at once gets a trickle
 * of logins instead of a storm.
 */
export class ReloginBucket {
  private tokens: number;
  private refilledAt = Date.now();

  constructor(
    private readonly capacity = 5,
    private readonly intervalMs = 12_000,
  ) {
    this.tokens = capacity;
  }

  /**
   * Takes a login token, or says how long until the next one (ms). `maxWaitMs` bounds a wait: a token further
   * off is not reserved, and the answer is the wait.
   */
  take(maxWaitMs: number): { waitMs: number; granted: boolean } {
    this.refill();
    if (this.tokens >= 1) {
      this.tokens -= 1;
      return { waitMs: 0, granted: true };
    }
    const waitMs = Math.ceil((1 - this.tokens) * this.intervalMs - (Date.now() - this.refilledAt));
    if (waitMs > maxWaitMs) return { waitMs, granted: false };
    this.tokens -= 1;
    return { waitMs, granted: true };
  }

  private refill(): void {
    const now = Date.now();
    const earned = Math.floor((now - this.refilledAt) / this.intervalMs);
    if (earned <= 0) return;
    this.tokens = Math.min(this.capacity, this.tokens + earned);
    this.refilledAt = this.tokens >= this.capacity ? now : this.refilledAt + earned * this.intervalMs;
  }
}
