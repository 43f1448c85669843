import type { SimulatorClock } from './clock';
import { randomToken } from './random-token';

export interface Session {
  readonly sid: string;
  readonly account: string;
  readonly sessionName: string;
  readonly createdAt: number;
  /** undefined when the login did not ask for one (DSM then answers synotoken "--------"). */
  readonly synoToken: string | undefined;
  lastUsedAt: number;
  expired: boolean;
}

export interface SessionSummary {
  account: string;
  sessionName: string;
  createdAt: number;
}

export type SessionLookup =
  | { status: 'valid'; session: Session }
  | { status: 'expired' }
  | { status: 'invalidated' }
  | { status: 'kicked' }
  | { status: 'unknown' };

export class SessionStore {
  private readonly sessions = new Map<string, Session>();
  /** Sids of sessions lost as if the NAS had rebooted: they keep answering 105. */
  private readonly invalidated = new Set<string>();
  /** Sids of sessions another login ended: their next use answers 107, later ones 119. */
  private readonly kicked = new Set<string>();
  /** Every sid and SynoToken handed out, for tests that check no secret leaks. */
  readonly issued: string[] = [];

  constructor(
    private readonly clock: SimulatorClock,
    private readonly idleTimeoutMs: number,
  ) {}

  create(account: string, sessionName: string, synoToken: string | undefined): Session {
    const now = this.clock.now();
    const session: Session = {
      sid: randomToken(32),
      account,
      sessionName,
      createdAt: now,
      synoToken,
      lastUsedAt: now,
      expired: false,
    };
    this.sessions.set(session.sid, session);
    this.issued.push(session.sid, ...(synoToken ? [synoToken] : []));
    return session;
  }

  /** Finds a session; an idle one is removed and reported once as expired. */
  lookup(sid: string): SessionLookup {
    if (this.invalidated.has(sid)) return { status: 'invalidated' };
    if (this.kicked.delete(sid)) return { status: 'kicked' };
    const session = this.sessions.get(sid);
    if (!session) return { status: 'unknown' };
    if (this.isExpired(session)) {
      this.sessions.delete(sid);
      return { status: 'expired' };
    }
    return { status: 'valid', session };
  }

  /** The session if it is valid, without the side effects of lookup(). */
  peek(sid: string): Session | undefined {
    const session = this.sessions.get(sid);
    return session && !this.isExpired(session) ? session : undefined;
  }

  touch(session: Session): void {
    session.lastUsedAt = this.clock.now();
  }

  remove(sid: string): void {
    this.sessions.delete(sid);
    this.invalidated.delete(sid);
    this.kicked.delete(sid);
  }

  expireAll(): void {
    for (const session of this.sessions.values()) session.expired = true;
  }

  /** Forgets every session, as a NAS reboot does: their sids are unknown from now on (119). */
  forgetAll(): void {
    this.sessions.clear();
    this.invalidated.clear();
    this.kicked.clear();
  }

  /** Ends every session as a duplicate login does: each sid answers 107 once, then it is unknown (119). */
  kickAll(): void {
    for (const sid of this.sessions.keys()) this.kicked.add(sid);
    this.sessions.clear();
  }

  invalidateAll(): void {
    for (const sid of this.sessions.keys()) this.invalidated.add(sid);
    this.sessions.clear();
  }

  list(): SessionSummary[] {
    return this.activeSessions().map(({ account, sessionName, createdAt }) => ({
      account,
      sessionName,
      createdAt,
    }));
  }

  activeCount(): number {
    return this.activeSessions().length;
  }

  private activeSessions(): Session[] {
    return [...this.sessions.values()].filter((session) => !this.isExpired(session));
  }

  private isExpired(session: Session): boolean {
    return session.expired || this.clock.now() - session.lastUsedAt > this.idleTimeoutMs;
  }
}
