'use strict';
const assert = require('node:assert/strict');
const { DsmClient, DsmError } = require('../dist');
const { useSimulator, demo, otpUser } = require('./support/sim');

const clientFor = (sim, extra = {}) =>
  new DsmClient({ url: sim.url, username: demo.username, password: demo.password, ...extra });

describe('DsmClient against the simulator (DSM 7)', function () {
  const ref = useSimulator({ profile: 'dsm7' });
  let client;
  beforeEach(() => {
    ref.sim.control.clearFaults();
    ref.sim.control.resetCounters();
  });
  afterEach(async () => {
    if (client) await client.close();
    client = undefined;
  });

  it('discovers, logs in on entry.cgi with the highest Auth version and calls an API', async function () {
    client = clientFor(ref.sim);
    const data = await client.call('SYNO.FileStation.List', 'list_share');
    assert.ok(Array.isArray(data.shares) && data.shares.length > 0);
    const login = ref.sim.control.requestLog().find((r) => r.api === 'SYNO.API.Auth' && r.method === 'login');
    assert.equal(login.path, 'entry.cgi');
    assert.equal(String(login.version), '7');
    assert.equal(client.state, 'connected');
  });

  it('falls back to entry.cgi for discovery when query.cgi does not answer as a Web API', async function () {
    client = clientFor(ref.sim);
    ref.sim.control.injectFault({ api: 'SYNO.API.Info', code: 102, count: 1 });
    await client.call('SYNO.FileStation.Info', 'get');
    const paths = ref.sim.control
      .requestLog()
      .filter((r) => r.api === 'SYNO.API.Info')
      .slice(-2)
      .map((r) => r.path);
    assert.deepEqual(paths, ['query.cgi', 'entry.cgi']);
  });

  it('makes exactly one login and one discovery for 50 concurrent calls on a cold client', async function () {
    client = clientFor(ref.sim);
    const results = await Promise.all(
      Array.from({ length: 50 }, () => client.call('SYNO.FileStation.Info', 'get')),
    );
    assert.equal(results.length, 50);
    const counters = ref.sim.control.counters();
    assert.equal(counters.loginAttempts, 1);
    assert.equal(counters.loginSuccesses, 1);
    assert.equal(counters.requests['SYNO.API.Info'], 1);
    assert.equal(counters.requests['SYNO.FileStation.Info'], 50);
  });

  it('logs in again once after the session expired, and the call succeeds', async function () {
    client = clientFor(ref.sim);
    await client.call('SYNO.FileStation.Info', 'get');
    ref.sim.control.advanceClock(60 * 60 * 1000);
    const results = await Promise.all(
      Array.from({ length: 10 }, () => client.call('SYNO.FileStation.Info', 'get')),
    );
    assert.equal(results.length, 10);
    assert.equal(ref.sim.control.counters().loginSuccesses, 2);
  });

  for (const code of [105, 106, 107, 119]) {
    it(`retries a call once after a fresh login when DSM answers ${code}`, async function () {
      client = clientFor(ref.sim);
      await client.call('SYNO.FileStation.Info', 'get');
      ref.sim.control.injectFault({ api: 'SYNO.FileStation.Info', code, count: 1 });
      const data = await client.call('SYNO.FileStation.Info', 'get');
      assert.ok(data.hostname);
      assert.equal(ref.sim.control.counters().loginSuccesses, 2);
    });
  }

  it('retries only once: a second session error reaches the caller', async function () {
    client = clientFor(ref.sim);
    await client.call('SYNO.FileStation.Info', 'get');
    ref.sim.control.injectFault({ api: 'SYNO.FileStation.Info', code: 119, count: 2 });
    await assert.rejects(client.call('SYNO.FileStation.Info', 'get'), (err) => err.code === 119);
    assert.equal(ref.sim.control.counters().requests['SYNO.FileStation.Info'], 3);
    assert.equal(ref.sim.control.counters().loginSuccesses, 2);
  });

  it('a persistent 105 (no permission) costs at most one extra login, however many calls', async function () {
    client = clientFor(ref.sim);
    await client.call('SYNO.FileStation.Info', 'get');
    ref.sim.control.injectFault({ api: 'SYNO.FileStation.List', code: 105, count: 100 });
    for (let i = 0; i < 10; i++) {
      await assert.rejects(client.call('SYNO.FileStation.List', 'list_share'), (err) => err.code === 105);
      await client.call('SYNO.FileStation.Info', 'get');
    }
    assert.equal(ref.sim.control.counters().loginSuccesses, 2);
  });

  it("one caller's abort does not cancel the shared login for the others", async function () {
    client = clientFor(ref.sim);
    ref.sim.control.injectFault({ api: 'SYNO.API.Auth', method: 'login', delayMs: 300 });
    const controller = new AbortController();
    const aborted = client.call('SYNO.FileStation.Info', 'get', {}, { signal: controller.signal });
    const other = client.call('SYNO.FileStation.Info', 'get');
    setTimeout(() => controller.abort(), 50);
    await assert.rejects(aborted, (err) => err.kind === 'aborted');
    assert.ok((await other).hostname);
    assert.equal(ref.sim.control.counters().loginAttempts, 1);
    assert.equal(client.state, 'connected');
  });

  it('login() keeps logins single-flight and close() during a login leaves no session behind', async function () {
    const sessionsNamed = (name) => ref.sim.control.sessions().filter((s) => s.sessionName === name).length;
    client = clientFor(ref.sim, { sessionName: 'race-a' });
    await client.call('SYNO.FileStation.Info', 'get');
    await Promise.all([
      client.login(),
      client.call('SYNO.FileStation.Info', 'get'),
      client.call('SYNO.FileStation.Info', 'get'),
    ]);
    assert.equal(ref.sim.control.counters().loginSuccesses, 2);
    assert.equal(sessionsNamed('race-a'), 1);

    const other = clientFor(ref.sim, { sessionName: 'race-b' });
    ref.sim.control.injectFault({ api: 'SYNO.API.Auth', method: 'login', delayMs: 200 });
    const login = other.login().catch((err) => err);
    await new Promise((resolve) => setTimeout(resolve, 50));
    await other.close();
    await login;
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.equal(other.state, 'closed');
    assert.equal(sessionsNamed('race-b'), 0);
    assert.equal(ref.sim.control.counters().loginSuccesses, 3);
  });

  it('refuses params that would replace api, version, method or _sid', async function () {
    client = clientFor(ref.sim);
    for (const key of ['api', 'version', 'method', '_sid']) {
      await assert.rejects(client.call('SYNO.FileStation.Info', 'get', { [key]: 'x' }), (err) => {
        assert.equal(err.kind, 'input');
        assert.match(err.reason, new RegExp(`^params\\.${key}:`));
        return true;
      });
    }
  });

  it('keeps the v1 list encoding when version 1 of a JSON API is asked for', async function () {
    client = clientFor(ref.sim);
    await client.call('SYNO.FileStation.List', 'list_share', { sort_by: 'name' }, { version: 1 });
    const call = ref.sim.control
      .requestLog()
      .filter((r) => r.method === 'list_share')
      .pop();
    assert.equal(call.params.sort_by, 'name');
  });

  it('after a NAS reboot (105 for every old session) logs in again', async function () {
    client = clientFor(ref.sim);
    await client.call('SYNO.FileStation.Info', 'get');
    ref.sim.control.invalidateAllSessions();
    await client.call('SYNO.FileStation.Info', 'get');
    assert.equal(ref.sim.control.counters().loginSuccesses, 2);
  });

  it('never retries a call for a DSM error that is not a session error', async function () {
    client = clientFor(ref.sim);
    ref.sim.control.injectFault({ api: 'SYNO.FileStation.Info', code: 408, count: 1 });
    await assert.rejects(client.call('SYNO.FileStation.Info', 'get'), (err) => {
      assert.ok(err instanceof DsmError);
      assert.equal(err.code, 408);
      assert.equal(err.kind, 'dsm');
      assert.equal(err.api, 'SYNO.FileStation.Info');
      assert.equal(err.method, 'get');
      assert.match(err.message, /No such file or directory/);
      return true;
    });
    assert.equal(ref.sim.control.counters().requests['SYNO.FileStation.Info'], 1);
  });

  it('a wrong password makes one login attempt, then refuses further logins without a request', async function () {
    client = new DsmClient({ url: ref.sim.url, username: demo.username, password: 'wrong-password' });
    await assert.rejects(client.call('SYNO.FileStation.Info', 'get'), (err) => {
      assert.equal(err.code, 400);
      assert.equal(err.api, 'SYNO.API.Auth');
      assert.match(err.hint, /username and password/);
      return true;
    });
    const before = ref.sim.control.counters();
    await assert.rejects(client.call('SYNO.FileStation.Info', 'get'), (err) => {
      assert.equal(err.kind, 'login-backoff');
      assert.equal(err.code, 400);
      assert.match(err.message, /not logging in again for \d+ s/);
      return true;
    });
    const after = ref.sim.control.counters();
    assert.equal(after.loginAttempts, 1);
    assert.equal(JSON.stringify(after.requests), JSON.stringify(before.requests));
    assert.equal(client.state, 'login-backoff');
  });

  it('sends the SynoToken header and _sid in the query string on every call', async function () {
    client = clientFor(ref.sim);
    await client.call('SYNO.FileStation.Info', 'get');
    await client.call('SYNO.FileStation.Info', 'get');
    assert.equal(ref.sim.control.counters().requestsWithSynoToken, 2);
    const calls = ref.sim.control.requestLog().filter((r) => r.api === 'SYNO.FileStation.Info');
    for (const call of calls) assert.equal(call.params._sid, '***');
  });

  it('JSON-encodes params of requestFormat JSON APIs', async function () {
    client = clientFor(ref.sim);
    const data = await client.call('SYNO.FileStation.List', 'list_share', {
      offset: 1,
      limit: 1,
      sort_by: 'name',
    });
    assert.equal(data.offset, 1);
    assert.equal(data.shares.length, 1);
    const call = ref.sim.control
      .requestLog()
      .filter((r) => r.method === 'list_share')
      .pop();
    assert.equal(call.params.offset, '1');
    assert.equal(call.params.sort_by, '"name"');
  });

  it('refuses bad input before sending anything, naming the field', async function () {
    client = clientFor(ref.sim);
    await client.call('SYNO.FileStation.Info', 'get');
    ref.sim.control.resetCounters();
    const cases = [
      [() => client.call('SYNO.Does.Not.Exist', 'get'), /SYNO\.Does\.Not\.Exist/, 102],
      [() => client.call('not an api', 'get'), /^api:/, 'EINVAL'],
      [() => client.call('SYNO.FileStation.Info', ''), /^method:/, 'EINVAL'],
      [() => client.call('SYNO.FileStation.Info', 'get', 'x'), /^params:/, 'EINVAL'],
      [() => client.call('SYNO.FileStation.Info', 'get', {}, { version: 9 }), /^version:/, 'EINVAL'],
      [() => client.call('SYNO.API.Auth', 'login'), /^api: SYNO\.API\.Auth/, 'EINVAL'],
    ];
    for (const [run, message, code] of cases) {
      await assert.rejects(run(), (err) => {
        assert.equal(err.kind, 'input');
        assert.equal(err.code, code);
        assert.match(err.reason, message);
        return true;
      });
    }
    assert.deepEqual(ref.sim.control.counters().requests, {});
  });

  it('reports a timeout distinctly', async function () {
    client = clientFor(ref.sim, { timeoutMs: 200 });
    await client.call('SYNO.FileStation.Info', 'get');
    ref.sim.control.injectFault({ api: 'SYNO.FileStation.Info', delayMs: 1000 });
    await assert.rejects(client.call('SYNO.FileStation.Info', 'get'), (err) => {
      assert.equal(err.kind, 'timeout');
      assert.equal(err.code, 'ETIMEDOUT');
      assert.match(err.hint, /timeout/);
      return true;
    });
  });

  it('reports a reset connection as a network error and does not retry it', async function () {
    client = clientFor(ref.sim);
    await client.call('SYNO.FileStation.Info', 'get');
    ref.sim.control.injectFault({ api: 'SYNO.FileStation.Info', reset: true, when: 'after' });
    await assert.rejects(client.call('SYNO.FileStation.Info', 'get'), (err) => err.kind === 'network');
    assert.equal(ref.sim.control.counters().requests['SYNO.FileStation.Info'], 2);
  });

  it('can be cancelled with an AbortSignal', async function () {
    client = clientFor(ref.sim);
    await client.call('SYNO.FileStation.Info', 'get');
    ref.sim.control.injectFault({ api: 'SYNO.FileStation.Info', delayMs: 2000 });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    await assert.rejects(
      client.call('SYNO.FileStation.Info', 'get', {}, { signal: controller.signal }),
      (err) => {
        assert.equal(err.kind, 'aborted');
        return true;
      },
    );
  });

  it('logs out on close, with a session name of its own', async function () {
    client = clientFor(ref.sim);
    const other = clientFor(ref.sim);
    await client.call('SYNO.FileStation.Info', 'get');
    await other.call('SYNO.FileStation.Info', 'get');
    const names = ref.sim.control.sessions().map((s) => s.sessionName);
    assert.equal(new Set(names).size, names.length);
    await other.close();
    assert.equal(ref.sim.control.counters().logouts, 1);
    assert.equal(other.state, 'closed');
    await assert.rejects(other.call('SYNO.FileStation.Info', 'get'), /client: is closed/);
  });

  it('names the field of bad constructor options', function () {
    assert.throws(() => new DsmClient({ url: '', username: 'a', password: 'b' }), /^DsmError: url: is empty/);
    assert.throws(
      () => new DsmClient({ url: 'ftp://x', username: 'a', password: 'b' }),
      /url: must start with/,
    );
    assert.throws(
      () => new DsmClient({ url: 'http://x', username: '', password: 'b' }),
      /username: is empty/,
    );
    assert.throws(
      () => new DsmClient({ url: 'http://x', username: 'a', password: '' }),
      /password: is empty/,
    );
    assert.throws(
      () => new DsmClient({ url: 'http://x', username: 'a', password: 'b', totpSecret: 'not base32!' }),
      /totpSecret:/,
    );
  });

  it('reports a refused connection with a hint', async function () {
    client = new DsmClient({ url: 'http://127.0.0.1:1', username: 'a', password: 'b' });
    await assert.rejects(client.call('SYNO.FileStation.Info', 'get'), (err) => {
      assert.equal(err.kind, 'network');
      assert.equal(err.code, 'ECONNREFUSED');
      assert.match(err.hint, /port/);
      return true;
    });
  });
});

describe('DsmClient 2FA', function () {
  const ref = useSimulator({ profile: 'dsm7' });
  let clients = [];
  const make = (extra) => {
    const c = new DsmClient({
      url: ref.sim.url,
      username: otpUser.username,
      password: otpUser.password,
      ...extra,
    });
    clients.push(c);
    return c;
  };
  afterEach(async () => {
    await Promise.all(clients.map((c) => c.close()));
    clients = [];
    ref.sim.control.resetCounters();
  });

  it('without a code: a typed "2FA required" error and state', async function () {
    const client = make();
    const states = [];
    client.on('state', (s) => states.push(s));
    await assert.rejects(client.call('SYNO.FileStation.Info', 'get'), (err) => {
      assert.equal(err.kind, 'two-factor');
      assert.equal(err.code, 403);
      assert.match(err.hint, /Trust this device|TOTP/);
      return true;
    });
    assert.deepEqual(states, ['connecting', 'two-factor-required']);
  });

  it('with a TOTP secret: computes the code and logs in', async function () {
    const client = make({ totpSecret: otpUser.totpSecret });
    const data = await client.call('SYNO.FileStation.Info', 'get');
    assert.ok(data.hostname);
    assert.equal(ref.sim.control.counters().loginAttempts, 1);
  });

  it('with one OTP code: gets a device token, which later logins use instead of a code', async function () {
    const first = make();
    const tokens = [];
    first.on('deviceToken', (t) => tokens.push(t));
    await first.login({ otpCode: ref.sim.control.totpCode(otpUser.username), trustDevice: true });
    assert.equal(tokens.length, 1);
    assert.ok(tokens[0].length > 10);
    assert.equal(first.deviceId, tokens[0]);

    const second = make({ deviceId: tokens[0] });
    const data = await second.call('SYNO.FileStation.Info', 'get');
    assert.ok(data.hostname);
    const login = ref.sim.control
      .requestLog()
      .filter((r) => r.method === 'login')
      .pop();
    assert.equal(login.params.device_id, '***');
    assert.equal(login.params.otp_code, undefined);
  });

  it('a wrong OTP code is refused (404) and not retried', async function () {
    const client = make();
    await assert.rejects(client.login({ otpCode: '000000' }), (err) => err.code === 404);
    assert.equal(ref.sim.control.counters().loginAttempts, 1);
  });
});

describe('DsmClient against the simulator (DSM 6)', function () {
  const ref = useSimulator({ profile: 'dsm6' });

  it('discovers through query.cgi and logs in on auth.cgi with Auth v6', async function () {
    const client = clientFor(ref.sim);
    try {
      const data = await client.call('SYNO.FileStation.List', 'list_share');
      assert.ok(data.shares.length > 0);
      const log = ref.sim.control.requestLog();
      const info = log.find((r) => r.api === 'SYNO.API.Info');
      assert.equal(info.path, 'query.cgi');
      const login = log.find((r) => r.method === 'login');
      assert.equal(login.path, 'auth.cgi');
      assert.equal(String(login.version), '6');
    } finally {
      await client.close();
    }
  });
});
