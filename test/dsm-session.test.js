'use strict';
// Session recovery and login protection: what is retried, after which answers, and what never is.
// The policy is written out in the README ("What is retried"); each rule has a test here.
const assert = require('node:assert/strict');
const http = require('node:http');
const { Readable } = require('node:stream');
const { DsmClient, FileStation } = require('../dist');
const { Transport } = require('../dist/dsm/transport');
const { unwrap } = require('../dist/dsm/client');
const { useSimulator, demo } = require('./support/sim');

const INFO = ['SYNO.FileStation.Info', 'get'];

describe('Session recovery', function () {
  const ref = useSimulator({ profile: 'dsm7' });
  const clients = [];
  const clientFor = (extra = {}) => {
    const client = new DsmClient({
      url: ref.sim.url,
      username: demo.username,
      password: demo.password,
      ...extra,
    });
    clients.push(client);
    return client;
  };
  const counters = () => ref.sim.control.counters();
  beforeEach(() => {
    ref.sim.control.clearFaults();
    ref.sim.control.resetCounters();
  });
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((client) => client.close()));
  });

  it('a session whose first call failed (408) recovers after DSM ends it', async function () {
    const client = clientFor();
    await assert.rejects(
      client.call('SYNO.FileStation.List', 'list', { folder_path: '/home/no-such-folder' }),
      (err) => err.code === 408,
    );
    ref.sim.control.advanceClock(60 * 60 * 1000);
    for (let night = 0; night < 3; night++) assert.ok((await client.call(...INFO)).hostname);
    assert.equal(counters().loginSuccesses, 2);
  });

  it('login() then a NAS restart: the next call logs in again instead of reusing the dead session', async function () {
    const client = clientFor();
    await client.login();
    ref.sim.control.invalidateAllSessions();
    assert.ok((await client.call(...INFO)).hostname);
    assert.ok((await client.call(...INFO)).hostname);
    assert.equal(counters().loginSuccesses, 2);
  });

  it('a NAS reboot right after an idle timeout: both losses are recovered', async function () {
    const client = clientFor();
    await client.call(...INFO);
    ref.sim.control.advanceClock(60 * 60 * 1000);
    await client.call(...INFO);
    ref.sim.control.invalidateAllSessions();
    assert.ok((await client.call(...INFO)).hostname);
    assert.equal(counters().loginSuccesses, 3);
  });

  it('20 concurrent calls after an expiry, twice in a row: all succeed with one re-login each time', async function () {
    const client = clientFor();
    await client.call(...INFO);
    for (const lose of [
      () => ref.sim.control.advanceClock(60 * 60 * 1000),
      () => ref.sim.control.invalidateAllSessions(),
    ]) {
      lose();
      const results = await Promise.all(Array.from({ length: 20 }, () => client.call(...INFO)));
      assert.equal(results.filter((data) => data.hostname).length, 20);
    }
    assert.equal(counters().loginSuccesses, 3);
  });

  it('session errors scattered over 100 calls: every call succeeds', async function () {
    const client = clientFor();
    await client.call(...INFO);
    let failed = 0;
    for (let i = 0; i < 100; i++) {
      if (i % 25 === 10)
        ref.sim.control.injectFault({ api: INFO[0], code: [106, 107, 119, 119][i % 4], count: 1 });
      await client.call(...INFO).catch(() => failed++);
    }
    assert.equal(failed, 0);
    assert.equal(counters().loginSuccesses, 5);
  });

  it('105 once (an old session after a reboot): logs in again and the call succeeds', async function () {
    const client = clientFor();
    await client.call(...INFO);
    ref.sim.control.injectFault({ api: INFO[0], code: 105, count: 1 });
    assert.ok((await client.call(...INFO)).hostname);
    assert.equal(counters().loginSuccesses, 2);
  });

  it('105 again on a fresh session is "no permission": reported with a hint, and later 105s cost no login', async function () {
    const client = clientFor();
    await client.call(...INFO);
    ref.sim.control.injectFault({ api: 'SYNO.FileStation.List', code: 105, count: 100 });
    await assert.rejects(client.call('SYNO.FileStation.List', 'list_share'), (err) => {
      assert.equal(err.code, 105);
      assert.match(err.reason, /no permission/);
      assert.match(err.hint, /Control Panel > User > Applications/);
      return true;
    });
    for (let i = 0; i < 5; i++) {
      await assert.rejects(client.call('SYNO.FileStation.List', 'list_share'), (err) => err.code === 105);
    }
    assert.ok((await client.call(...INFO)).hostname, 'the session itself still works');
    assert.equal(counters().loginSuccesses, 2);
  });

  it('a DSM that ends every session at once: one login per call, then re-logins are rate-limited', async function () {
    const client = clientFor();
    ref.sim.control.injectFault({ api: INFO[0], code: 119, count: 1000 });
    const errors = [];
    for (let i = 0; i < 10; i++)
      errors.push(await client.call(...INFO, {}, { timeoutMs: 300 }).catch((err) => err));
    // A session error on a session DSM has just given is reported at once: no second login for that call.
    assert.equal(errors.filter((err) => err.code === 119).length, 6);
    assert.match(errors[0].hint, /proxy/);
    const limited = errors.slice(6);
    assert.ok(limited.every((err) => err.kind === 'login-backoff' && err.code === 'ERELOGIN_RATE'));
    assert.match(limited[0].message, /next login is allowed in \d+ s/);
    assert.equal(counters().loginAttempts, 6, 'the first login and 5 re-logins');
    assert.equal(client.state, 'login-backoff');
  });

  it('a request that cannot be sent twice (a stream upload) drops the dead session and reports the error', async function () {
    const client = clientFor();
    await client.call(...INFO);
    ref.sim.control.injectFault({ api: INFO[0], code: 119, count: 1 });
    const sendOnce = async (req) => {
      const envelope = await client.transport.send({
        cgiPath: req.resolved.cgiPath,
        api: INFO[0],
        method: 'get',
        query: req.query,
        headers: req.headers,
      });
      return unwrap(envelope, INFO[0], 'get');
    };
    await assert.rejects(client.request(...INFO, { replayable: false }, sendOnce), (err) => err.code === 119);
    assert.equal(counters().requests[INFO[0]], 2, 'not sent again');
    assert.ok((await client.call(...INFO)).hostname);
    assert.equal(counters().loginSuccesses, 2);
  });
});

describe('Re-logins limited by rate, and concurrent callers', function () {
  this.timeout(40_000);
  const ref = useSimulator({ profile: 'dsm7' });
  const clients = [];
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((client) => client.close()));
  });
  beforeEach(() => {
    ref.sim.control.clearFaults();
    ref.sim.control.resetCounters();
  });

  /** A client whose 5 re-login tokens are spent: DSM ended its fresh sessions 6 times. */
  async function drainedClient() {
    const client = new DsmClient({ url: ref.sim.url, username: demo.username, password: demo.password });
    clients.push(client);
    ref.sim.control.injectFault({ api: INFO[0], code: 119, count: 6 });
    for (let i = 0; i < 6; i++) await client.call(...INFO).catch(() => undefined);
    assert.equal(ref.sim.control.counters().loginAttempts, 6, 'setup: first login + 5 re-logins');
    ref.sim.control.clearFaults();
    return client;
  }

  it('a msg with a long timeout waits for the next login token even when a msg with a short one started the re-login', async function () {
    const client = await drainedClient();
    const impatient = client.call(...INFO, {}, { timeoutMs: 300 }).catch((err) => err);
    const patient = client.call(...INFO, {}, { timeoutMs: 30_000 }).catch((err) => err);
    const [first, second] = await Promise.all([impatient, patient]);
    assert.equal(first.code, 'ERELOGIN_RATE');
    assert.ok(second.hostname, `${second.code}: ${second.message}`);
    assert.equal(ref.sim.control.counters().loginAttempts, 7);
  });

  it('a msg with a short timeout fails at once when another msg started a re-login that waits longer', async function () {
    const client = await drainedClient();
    const patient = client.call(...INFO, {}, { timeoutMs: 30_000 }).catch((err) => err);
    const impatient = await client.call(...INFO, {}, { timeoutMs: 500 }).catch((err) => err);
    assert.equal(impatient.code, 'ERELOGIN_RATE', 'failed before the login');
    assert.equal(ref.sim.control.counters().loginAttempts, 6, 'no login was sent yet when it failed');
    assert.ok((await patient).hostname);
  });

  it('close() during a rate-limited wait ends it, and no login is sent afterwards', async function () {
    const client = await drainedClient();
    const waiting = client.call(...INFO).catch((err) => err);
    await new Promise((resolve) => setTimeout(resolve, 100));
    await client.close();
    assert.match((await waiting).message, /closed/);
    assert.equal(ref.sim.control.counters().loginAttempts, 6);
  });
});

describe('Login back-off shared by the process', function () {
  const ref = useSimulator({ profile: 'dsm7' });
  const clients = [];
  const clientFor = (extra = {}) => {
    const client = new DsmClient({
      url: ref.sim.url,
      username: demo.username,
      password: demo.password,
      ...extra,
    });
    clients.push(client);
    return client;
  };
  const attempts = () => ref.sim.control.counters().loginAttempts;
  beforeEach(() => {
    ref.sim.control.clearFaults();
    ref.sim.control.resetCounters();
    ref.sim.control.unblockAll();
  });
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((client) => client.close()));
  });

  it('11 redeploys with a wrong password make one login attempt, not 11', async function () {
    for (let deploy = 0; deploy < 11; deploy++) {
      const client = clientFor({ password: 'wrong-redeploy' });
      const err = await client.call(...INFO).catch((e) => e);
      assert.equal(err.code, 400);
      assert.equal(err.kind, deploy === 0 ? 'dsm' : 'login-backoff');
      await client.close();
    }
    assert.equal(attempts(), 1);
  });

  it('two connections with the same host and account share the pause; the account name is not case-sensitive', async function () {
    const first = clientFor({ password: 'wrong-shared', sessionName: 'one' });
    const second = clientFor({
      password: 'wrong-shared',
      sessionName: 'two',
      username: demo.username.toUpperCase(),
    });
    await assert.rejects(first.call(...INFO), (err) => err.code === 400);
    await assert.rejects(second.call(...INFO), (err) => err.kind === 'login-backoff');
    assert.equal(attempts(), 1);
    assert.equal(second.state, 'login-backoff');
  });

  it('corrected credentials get one try at once; the refused ones stay paused', async function () {
    const wrong = clientFor({ password: 'wrong-then-fixed' });
    await assert.rejects(wrong.call(...INFO), (err) => err.code === 400);
    const fixed = clientFor();
    assert.ok((await fixed.call(...INFO)).hostname);
    // An old config node with the refused password: still paused, although the account works.
    await assert.rejects(
      clientFor({ password: 'wrong-then-fixed' }).call(...INFO),
      (err) => err.kind === 'login-backoff',
    );
    assert.equal(attempts(), 2);
  });

  it('two wrong passwords taking turns (an old config node and a typo) make two attempts, and DSM never blocks the IP', async function () {
    const a = clientFor({ password: 'wrong-ping', sessionName: 'ping' });
    const b = clientFor({ password: 'wrong-pong', sessionName: 'pong' });
    for (let round = 0; round < 6; round++) {
      await a.call(...INFO).catch(() => undefined);
      await b.call(...INFO).catch(() => undefined);
    }
    assert.equal(attempts(), 2);
    assert.ok(
      (await clientFor({ sessionName: 'right' }).call(...INFO)).hostname,
      'the right password is not blocked',
    );
  });

  it('a login DSM answers with another code (119) pauses too', async function () {
    ref.sim.control.injectFault({ api: 'SYNO.API.Auth', method: 'login', code: 119, count: 100 });
    const client = clientFor({ sessionName: 'odd-login' });
    await assert.rejects(client.call(...INFO), (err) => err.code === 119 && err.kind === 'dsm');
    await assert.rejects(client.call(...INFO), (err) => err.kind === 'login-backoff' && err.code === 119);
    await assert.rejects(
      clientFor({ sessionName: 'odd-login-2' }).call(...INFO),
      (err) => err.kind === 'login-backoff',
    );
    assert.equal(ref.sim.control.counters().requests['SYNO.API.Auth'], 1);
    ref.sim.control.clearFaults();
    await client.login();
    assert.ok((await clientFor().call(...INFO)).hostname, 'after login() succeeded nothing is paused');
  });

  it("login() (the editor's Test connection) tries at once during a pause", async function () {
    const client = clientFor({ password: 'wrong-tested' });
    await assert.rejects(client.call(...INFO), (err) => err.code === 400);
    await assert.rejects(client.login(), (err) => err.kind === 'dsm' && err.code === 400);
    assert.equal(attempts(), 2);
  });

  it('another account or another DSM is not paused', async function () {
    const wrong = clientFor({ password: 'wrong-other' });
    await assert.rejects(wrong.call(...INFO), (err) => err.code === 400);
    const otherOrigin = clientFor({
      password: 'wrong-other',
      url: ref.sim.url.replace('127.0.0.1', 'localhost'),
    });
    await assert.rejects(otherOrigin.call(...INFO), (err) => err.kind === 'dsm' && err.code === 400);
    const otherAccount = clientFor({ username: 'someone-else', password: 'wrong-other' });
    await assert.rejects(otherAccount.call(...INFO), (err) => err.kind === 'dsm');
    assert.equal(attempts(), 3);
  });
});

describe('close() while a re-login waits for the next TOTP code', function () {
  const ref = useSimulator({ profile: 'dsm7' });
  const { otpUser } = require('./support/sim');

  it('ends the wait before the next 30 s step, and sends no login', async function () {
    // Far enough from a step boundary that the wait for the next code is still going on when close() comes.
    if (30_000 - (Date.now() % 30_000) < 8000)
      await new Promise((r) => setTimeout(r, 30_000 - (Date.now() % 30_000) + 200));
    const client = new DsmClient({ url: ref.sim.url, ...otpUser });
    await client.call(...INFO);
    const boundary = (Math.floor(Date.now() / 30_000) + 1) * 30_000;
    ref.sim.control.expireAllSessions();
    ref.sim.control.resetCounters();
    const waiting = client.call(...INFO).catch((err) => err);
    await new Promise((resolve) => setTimeout(resolve, 200));
    await client.close();
    const err = await waiting;
    assert.ok(Date.now() < boundary, 'the wait ended before the step boundary, not at it');
    assert.match(err.message, /closed/);
    assert.equal(ref.sim.control.counters().loginAttempts, 0);
  });
});

describe('105: no permission, or an old session', function () {
  const ref = useSimulator({ profile: 'dsm7' });
  const clients = [];
  const clientFor = () => {
    const client = new DsmClient({ url: ref.sim.url, username: demo.username, password: demo.password });
    clients.push(client);
    return client;
  };
  const LIST = ['SYNO.FileStation.List', 'list_share'];
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((client) => client.close()));
  });
  beforeEach(() => {
    ref.sim.control.clearFaults();
    ref.sim.control.resetCounters();
  });

  async function twoRestartsDuringASlowCall(client) {
    await client.call(...INFO);
    ref.sim.control.injectFault({ api: LIST[0], delayMs: 1500 });
    const slow = client.call(...LIST).catch((err) => err);
    await new Promise((resolve) => setTimeout(resolve, 200));
    ref.sim.control.invalidateAllSessions(); // restart 1: another msg recovers with a new session
    assert.ok((await client.call(...INFO)).hostname);
    ref.sim.control.invalidateAllSessions(); // restart 2, while the slow call still waits
    return slow;
  }

  it('a slow call that meets two NAS restarts is retried on a fresh session, not called "no permission"', async function () {
    const client = clientFor();
    const result = await twoRestartsDuringASlowCall(client);
    assert.ok(Array.isArray(result.shares), `${result.code} ${result.reason}`);
    assert.ok(Array.isArray((await client.call(...LIST)).shares));
  });

  it('stream uploads an account may not make: one extra login, then "no permission" at once, and other msgs go on', async function () {
    const client = clientFor();
    const files = new FileStation(client);
    await client.call(...INFO);
    ref.sim.control.resetCounters();
    ref.sim.control.injectFault({ api: 'SYNO.FileStation.Upload', code: 105, count: 1000 });
    const errors = [];
    const otherFailures = [];
    for (let i = 0; i < 8; i++) {
      const body = Readable.from([Buffer.from('data')]);
      errors.push(await files.upload(body, { folder: '/home', name: `s${i}.txt`, size: 4 }).catch((e) => e));
      await client.call(...INFO, {}, { timeoutMs: 5000 }).catch((e) => otherFailures.push(e.code));
    }
    assert.deepEqual(otherFailures, [], errors.map((e) => `${e.code} ${e.reason}`).join('\n'));
    assert.equal(ref.sim.control.counters().loginAttempts, 1);
    assert.match(errors[0].reason, /not sent again/);
    assert.ok(errors.slice(1).every((err) => err.code === 105 && /no permission/.test(err.reason)));
    assert.match(errors[7].hint, /Control Panel > User > Applications/);
  });
});

describe('Client options and params are checked, naming the option', function () {
  const base = { url: 'http://127.0.0.1:1', username: 'a', password: 'b' };
  const cases = [
    [{ timeoutMs: 'abc' }, /^DsmError: timeoutMs: "abc" is not a number of milliseconds/],
    [{ timeoutMs: -1 }, /timeoutMs: -1 is not/],
    [{ timeoutMs: Infinity }, /timeoutMs:/],
    [{ loginBackoffMs: 0 }, /loginBackoffMs: must be a number of milliseconds from 5000/],
    [{ loginBackoffMs: '60000' }, /loginBackoffMs:/],
    [{ tls: { mode: 'bogus' } }, /tls.mode: "bogus" is not one of verify, ca, fingerprint/],
    [{ tls: 'verify' }, /tls: must be an object/],
    [{ tls: { mode: 'fingerprint', fingerprint: 'nope' } }, /tls.fingerprint: must be a SHA-256/],
    [{ sessionName: 42 }, /sessionName: must be a string/],
    [{ deviceId: {} }, /deviceId: must be a string/],
    [{ username: ['a'] }, /username: is empty/],
    [{ password: 123 }, /password: is empty/],
    [{ url: 'http://user:pw@nas:5000' }, /url: must not contain credentials/],
    // A port typo in a URL with a password: the message (logged by the config node) must not echo the password.
    [{ url: 'http://admin:s3cret-pw@nas:99999' }, /^(?!.*s3cret-pw).*url: "http:\/\/nas:99999" is not a URL/],
  ];
  for (const [extra, expected] of cases) {
    it(`refuses ${JSON.stringify(extra)}`, function () {
      assert.throws(() => new DsmClient({ ...base, ...extra }), expected);
    });
  }

  describe('per call, before anything is sent', function () {
    const ref = useSimulator({ profile: 'dsm7' });
    let client;
    before(() => {
      client = new DsmClient({ url: ref.sim.url, username: demo.username, password: demo.password });
    });
    after(() => client.close());
    beforeEach(() => ref.sim.control.resetCounters());
    const nothingSent = () => {
      const { requests } = ref.sim.control.counters();
      assert.equal(requests['SYNO.FileStation.List'], undefined);
    };

    const circular = { a: 1 };
    circular.self = circular;
    const callCases = [
      [{ p: circular }, {}, /params.p: cannot be encoded: it refers to itself \(circular\)/],
      [{ p: { n: 10n } }, {}, /params.p: cannot be encoded/],
      [{ p: () => 1 }, {}, /params.p: a function cannot be sent/],
      [{ p: Symbol('x') }, {}, /params.p: a symbol cannot be sent/],
      [{}, { signal: 'stop' }, /signal: must be an AbortSignal/],
      [{}, { signal: { aborted: false } }, /signal: must be an AbortSignal/],
      [{}, { timeoutMs: 'soon' }, /timeoutMs: "soon" is not a number/],
      [{}, { version: 'latest' }, /version: "latest" is not a version number/],
      [{}, { version: 1.5 }, /version: 1.5 is not a version number/],
      [{}, { post: 'yes' }, /post: must be true or false/],
      [{}, null, /options: must be an object/],
    ];
    for (const [params, options, expected] of callCases) {
      it(`call(params ${String(Object.keys(params))}, options ${JSON.stringify(options)}) is refused`, async function () {
        await assert.rejects(client.call('SYNO.FileStation.List', 'list_share', params, options), expected);
        nothingSent();
      });
    }

    it('login() checks its options', async function () {
      await assert.rejects(client.login({ signal: 5 }), /signal: must be an AbortSignal/);
      await assert.rejects(client.login({ otpCode: 123456 }), /otpCode: must be the 6-digit code/);
      await assert.rejects(client.login({ trustDevice: 'yes' }), /trustDevice: must be true or false/);
      assert.equal(ref.sim.control.counters().loginAttempts, 0);
    });

    it('a bigint param is sent as its digits', async function () {
      const data = await client.call('SYNO.FileStation.List', 'list_share', { offset: 0n, limit: 1n });
      assert.ok(Array.isArray(data.shares));
      assert.equal(data.shares.length, 1);
    });
  });
});

describe('Transport: a socket that carried an error answer is not reused', function () {
  let server;
  let url;
  let connections = 0;
  before(async () => {
    // A web server (or proxy) that refuses a large body with 413 before reading it and keeps the connection
    // open, but cannot serve another request on it (the rest of the refused body is still in the way).
    server = http.createServer((req, res) => {
      if (req.socket.poisoned) return req.socket.destroy();
      if (req.method === 'POST') {
        req.socket.poisoned = true;
        req.resume();
        req.on('end', () => {
          res.writeHead(413, { 'content-type': 'text/html', 'content-length': '9' });
          res.end('too large');
        });
        return;
      }
      const body = JSON.stringify({ success: true, data: { n: connections } });
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
      res.end(body);
    });
    server.on('connection', () => connections++);
    await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = new URL(`http://127.0.0.1:${server.address().port}`);
  });
  after(() => server.close());

  it('after a 413 the next request goes out on a new connection and succeeds', async function () {
    const transport = new Transport({ baseUrl: url, timeoutMs: 5000 });
    const req = { cgiPath: 'entry.cgi', api: 'SYNO.X', method: 'y', query: { api: 'SYNO.X' } };
    await transport.send(req);
    const before = connections;
    await assert.rejects(
      transport.send({ ...req, form: { data: 'x'.repeat(1000) } }),
      (err) => err.code === 'HTTP_413',
    );
    const answer = await transport.send(req);
    assert.equal(answer.success, true);
    assert.ok(connections > before, 'a fresh connection');
    transport.close();
  });
});

describe('Transport: a keep-alive server that refuses bodies with 413', function () {
  let server;
  let url;
  before(async () => {
    // A healthy keep-alive server: POST bodies are read in full and refused with 413; GETs answer after 300 ms.
    server = http.createServer((req, res) => {
      if (req.method === 'POST') {
        req.resume();
        req.on('end', () => {
          res.writeHead(413, { 'content-type': 'text/html', 'content-length': '9' });
          res.end('too large');
        });
        return;
      }
      setTimeout(() => {
        const body = JSON.stringify({ success: true, data: {} });
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
        res.end(body);
      }, 300);
    });
    await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = new URL(`http://127.0.0.1:${server.address().port}`);
  });
  after(() => server.close());

  it('a request queued behind a 413 (all 16 sockets busy) is not killed when the 413 socket is retired', async function () {
    const transport = new Transport({ baseUrl: url, timeoutMs: 5000 });
    const req = { cgiPath: 'entry.cgi', api: 'SYNO.X', method: 'y', query: { api: 'SYNO.X' } };
    // 1 POST (quick 413) + 15 slow GETs fill the 16 sockets; the 17th GET waits for a free socket and gets the
    // one that carried the 413.
    const refused = transport.send({ ...req, form: { data: 'x' } }).catch((err) => err);
    const gets = Array.from({ length: 16 }, () => transport.send(req).catch((err) => err));
    assert.equal((await refused).code, 'HTTP_413');
    const results = await Promise.all(gets);
    const failed = results.filter((r) => r instanceof Error);
    transport.close();
    assert.equal(
      failed.length,
      0,
      `${failed.length} unrelated request(s) failed: ${failed.map((e) => `${e.code} ${e.message}`).join('; ')}`,
    );
  });
});
