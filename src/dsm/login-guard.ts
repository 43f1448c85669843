import { createHmac, randomBytes } from 'node:crypto';
import { DsmError } from './errors';

/** The longest pause after repeated refused logins. */
const MAX_BACKOFF_MS = 30 * 60_000;
/** Refused credentials remembered per account (an old config node, a typo, Test connection tries). */
const MAX_REFUSED_CREDENTIALS = 8;

/** Milliseconds that never go back when the wall clock is set (NTP, a Raspberry Pi without a clock battery). */
const now = (): number => performance.now();

interface AccountRefusals {
  /** Until when automatic logins with refused credentials are paused. */
  until: number;
  waitMs: number;
  /** Each refused set of credentials (a keyed hash, never the secrets) with DSM's refusal. */
  refused: Map<string, DsmError>;
}

/**
 * Refused logins per (DSM origin, account), for the whole process: a redeploy makes a new client, and two
 * config nodes may use one account, yet DSM counts every failed login of this IP towards its auto-block
 * (10 in 5 minutes by default), after which even the right password is refused.
 */
const accounts = new Map<string, AccountRefusals>();

/** Keys the credential hashes; made anew in every process, so a hash means nothing outside it. */
const HASH_KEY = randomBytes(32);

/**
 * The pause before the next automatic login to `origin` as `username`, shared by every client of the process.
 * Credentials DSM has not refused yet (the user fixed the password, added a TOTP secret) get one try at once;
 * each refusal, whoever's, doubles the pause of the account, so credentials that take turns get no more tries.
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

  /** The refusal in force for these credentials, with the time left; undefined when a login may be tried. */
  current(): { error: DsmError; leftMs: number } | undefined {
    const account = accounts.get(this.key);
    const error = account?.refused.get(this.credentials);
    if (!account || !error) return undefined;
    const leftMs = account.until - now();
    return leftMs > 0 ? { error, leftMs } : undefined;
  }

  /**
   * DSM refused a login: pause the account, twice as long as the pause before when that one ended less than a pause
   * ago (a series of refusals), else for the first wait again.
   */
  refused(error: DsmError): void {
    forgetOldRefusals();
    const at = now();
    const account = accounts.get(this.key);
    const inSeries = account !== undefined && at - account.until < account.waitMs;
    const waitMs = inSeries
      ? Math.min(Math.max(account.waitMs * 2, this.firstWaitMs), MAX_BACKOFF_MS)
      : this.firstWaitMs;
    const refused = account?.refused ?? new Map<string, DsmError>();
    refused.delete(this.credentials);
    refused.set(this.credentials, error);
    if (refused.size > MAX_REFUSED_CREDENTIALS) refused.delete(refused.keys().next().value as string);
    accounts.set(this.key, { until: at + waitMs, waitMs, refused });
  }

  /** DSM accepted these credentials: they are no longer paused (other refused ones of the account still are). */
  accepted(): void {
    const account = accounts.get(this.key);
    if (!account) return;
    account.refused.delete(this.credentials);
    if (account.refused.size === 0) accounts.delete(this.key);
  }
}

/** Accounts whose last pause ended long ago: nothing to remember (Test connection may try many accounts). */
function forgetOldRefusals(): void {
  const at = now();
  for (const [key, account] of accounts) {
    if (at - account.until > MAX_BACKOFF_MS) accounts.delete(key);
  }
}

/**
 * How many automatic re-logins a client may make after DSM ended its sessions: a few at once (an idle timeout
 * then a NAS reboot), then one per `intervalMs`. A DSM or a proxy that ends every session at once gets a trickle
 * of logins instead of a storm.
 */
export class ReloginBucket {
  private tokens: number;
  private refilledAt = now();

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
    const waitMs = Math.ceil((1 - this.tokens) * this.intervalMs - (now() - this.refilledAt));
    if (waitMs > maxWaitMs) return { waitMs, granted: false };
    this.tokens -= 1;
    return { waitMs, granted: true };
  }

  private refill(): void {
    const at = now();
    const earned = Math.floor((at - this.refilledAt) / this.intervalMs);
    if (earned <= 0) return;
    this.tokens = Math.min(this.capacity, this.tokens + earned);
    this.refilledAt = this.tokens >= this.capacity ? at : this.refilledAt + earned * this.intervalMs;
  }
}
