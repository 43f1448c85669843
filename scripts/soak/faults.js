'use strict';
// The faults the soak injects between batches, through the simulator's control surface: sessions ended (expired,
// lost as after a reboot, forgotten, kicked by a duplicate login), socket resets and HTTP error pages (502, 503:
// DSM's web server while its API restarts, a proxy in front of it), each before the request is performed (received
// and dropped unperformed) or after it (the work done, the answer lost), and answers later than the connection's
// timeout. `performedKinds`: the kinds of msg whose request the fault hits after DSM performed it: that msg gets a
// Catch error, yet its effect is on the NAS.

/** Faults that lose the session: every msg of the batch must succeed after exactly one login. */
const SESSION_FAULTS = [
  'sessions expired (106)',
  'sessions lost as after a reboot (105)',
  'sid not found (119)',
  'kicked by a duplicate login (107)',
  'upload refused with 106',
  'simulator restart',
];

const FAULTS = [
  { name: 'sessions expired (106)', arm: (c) => c.expireAllSessions() },
  {
    name: 'socket reset before List.list',
    arm: (c) => c.injectFault({ api: 'SYNO.FileStation.List', method: 'list', reset: true, when: 'before' }),
  },
  { name: 'sessions lost as after a reboot (105)', arm: (c) => c.invalidateAllSessions() },
  {
    name: 'socket reset after Upload.upload',
    performedKinds: ['upload'],
    arm: (c) =>
      c.injectFault({ api: 'SYNO.FileStation.Upload', method: 'upload', reset: true, when: 'after' }),
  },
  // The sessions really end: every request on them answers 119 until the client logs in again.
  { name: 'sid not found (119)', arm: (c) => c.forgetAllSessions() },
  {
    // The client creates link tasks with v1 or DS2 as the NAS offers them: whichever it uses meets the reset.
    name: 'socket reset after DownloadStation(2).Task.create',
    performedKinds: ['download-create'],
    arm: (c) => {
      for (const api of ['SYNO.DownloadStation.Task', 'SYNO.DownloadStation2.Task'])
        c.injectFault({ api, method: 'create', reset: true, when: 'after' });
    },
  },
  // Each session's next request answers 107 (another login took it over), later ones 119.
  { name: 'kicked by a duplicate login (107)', arm: (c) => c.kickAllSessions() },
  {
    name: 'socket reset after CopyMove.start',
    performedKinds: ['move'],
    arm: (c) =>
      c.injectFault({ api: 'SYNO.FileStation.CopyMove', method: 'start', reset: true, when: 'after' }),
  },
  {
    name: 'upload refused with 106',
    arm: (c) => c.injectFault({ api: 'SYNO.FileStation.Upload', method: 'upload', code: 106 }),
  },
  {
    name: 'socket reset before Delete.start',
    arm: (c) =>
      c.injectFault({ api: 'SYNO.FileStation.Delete', method: 'start', reset: true, when: 'before' }),
  },
  {
    name: 'HTTP 502 before List.list',
    arm: (c) => c.injectFault({ api: 'SYNO.FileStation.List', method: 'list', status: 502, when: 'before' }),
  },
  {
    // DSM stored the file, the gateway lost the answer: one Catch error, and no second upload.
    name: 'HTTP 502 after Upload.upload',
    performedKinds: ['upload'],
    arm: (c) =>
      c.injectFault({ api: 'SYNO.FileStation.Upload', method: 'upload', status: 502, when: 'after' }),
  },
  {
    name: 'HTTP 503 before DownloadStation(2).Task.create',
    arm: (c) => {
      for (const api of ['SYNO.DownloadStation.Task', 'SYNO.DownloadStation2.Task'])
        c.injectFault({ api, method: 'create', status: 503, when: 'before' });
    },
  },
  {
    name: 'answer later than the timeout (List.list)',
    arm: (c) => c.injectFault({ api: 'SYNO.FileStation.List', method: 'list', delayMs: 3000 }),
  },
];

/**
 * The client allows a few automatic re-logins at once, then one per 12 s (ReloginBucket, src/dsm/login-guard.ts);
 * beyond that it refuses to log in on purpose (ERELOGIN_RATE), so that a DSM ending every session gets no login
 * storm. The soak keeps its session losses inside that allowance, with a margin: 4 at once, then one per 13 s.
 */
class SessionLossBudget {
  constructor(capacity = 4, intervalMs = 13_000) {
    this.capacity = capacity;
    this.intervalMs = intervalMs;
    this.tokens = capacity;
    this.refilledAt = Date.now();
  }

  refill() {
    const earned = Math.floor((Date.now() - this.refilledAt) / this.intervalMs);
    if (earned <= 0) return;
    this.tokens = Math.min(this.capacity, this.tokens + earned);
    this.refilledAt = this.tokens >= this.capacity ? Date.now() : this.refilledAt + earned * this.intervalMs;
  }

  /** Takes a token when there is one. */
  take() {
    this.refill();
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }

  /** ms until the next token. */
  waitMs() {
    this.refill();
    return this.tokens >= 1 ? 0 : this.intervalMs - (Date.now() - this.refilledAt);
  }
}

/** The next fault in turn; a session fault waits for the budget, the non-session ones go on meanwhile. */
function faultPicker() {
  const budget = new SessionLossBudget();
  const session = FAULTS.filter((f) => SESSION_FAULTS.includes(f.name));
  const other = FAULTS.filter((f) => !SESSION_FAULTS.includes(f.name));
  let s = 0;
  let o = 0;
  let turn = 0;
  return {
    budget,
    next() {
      const wantSession = turn++ % 2 === 0;
      if (wantSession && budget.take()) return session[s++ % session.length];
      return other[o++ % other.length];
    },
  };
}

module.exports = { FAULTS, SESSION_FAULTS, faultPicker };
