'use strict';
const assert = require('node:assert/strict');
const { helper, dsmNode, apiNode, apiFlow, nextMessage } = require('./support/node-red');
const { useSimulator, demo, otpUser } = require('./support/sim');

const creds = (user = demo) => ({ dsm: { username: user.username, password: user.password } });

async function load(flow, credentials) {
  await helper.load([dsmNode, apiNode], flow, credentials);
  return { api: helper.getNode('api'), out: helper.getNode('out'), caught: helper.getNode('caught') };
}

/** Waits until a node's status satisfies the predicate. */
function statusMatching(node, predicate) {
  return new Promise((resolve) => {
    const check = (call) => {
      if (predicate(call.args[0])) {
        node.removeListener('call:status', check);
        resolve(call.args[0]);
      }
    };
    node.on('call:status', check);
  });
}

describe('synology-api node', function () {
  const ref = useSimulator();
  beforeEach(() => {
    ref.sim.control.clearFaults();
    ref.sim.control.resetCounters();
  });
  afterEach(async () => {
    await helper.unload();
  });

  it('calls the API and sends DSM data in msg.payload, keeping the msg', async function () {
    const { api, out } = await load(apiFlow(ref.sim), creds());
    const received = nextMessage(out);
    api.receive({ payload: 'ignored', topic: 'keep-me' });
    const msg = await received;
    assert.equal(msg.topic, 'keep-me');
    assert.equal(typeof msg.payload.hostname, 'string');
  });

  it('takes params from msg.payload and fills mustache templates from the msg', async function () {
    const flow = apiFlow(ref.sim, {
      api: { api: 'SYNO.FileStation.List', method: 'list_share', params: 'payload', paramsType: 'msg' },
    });
    const { api, out } = await load(flow, creds());
    let received = nextMessage(out);
    api.receive({ payload: { offset: 1, limit: 2 } });
    let msg = await received;
    assert.equal(msg.payload.offset, 1);
    assert.equal(msg.payload.shares.length, 2);

    await helper.unload();
    const templated = apiFlow(ref.sim, {
      api: {
        api: 'SYNO.FileStation.{{topic}}',
        method: 'list_share',
        params: '{"sort_by": "{{payload.sort}}"}',
      },
    });
    const loaded = await load(templated, creds());
    received = nextMessage(loaded.out);
    loaded.api.receive({ topic: 'List', payload: { sort: 'name' } });
    msg = await received;
    assert.ok(msg.payload.shares.length > 0);
    const call = ref.sim.control
      .requestLog()
      .filter((r) => r.method === 'list_share')
      .pop();
    assert.equal(call.params.sort_by, '"name"');
  });

  it('uses a numeric version when given', async function () {
    const flow = apiFlow(ref.sim, { api: { version: '1', versionType: 'str' } });
    const { api, out } = await load(flow, creds());
    const received = nextMessage(out);
    api.receive({});
    await received;
    const call = ref.sim.control
      .requestLog()
      .filter((r) => r.api === 'SYNO.FileStation.Info')
      .pop();
    assert.equal(String(call.version), '1');
  });

  const badInputs = [
    ['an unknown API name', { api: 'SYNO.No.Such' }, {}, /SYNO\.No\.Such/],
    [
      'params that are not an object',
      { params: 'payload', paramsType: 'msg' },
      { payload: [1, 2] },
      /^params:/,
    ],
    [
      'a string that is not JSON',
      { params: 'payload', paramsType: 'msg' },
      { payload: '{oops' },
      /^params: .*not JSON/,
    ],
    ['a bad version', { version: 'two' }, {}, /^version:/],
    ['an empty method', { method: '' }, {}, /^method:/],
  ];
  for (const [what, apiConfig, input, message] of badInputs) {
    it(`gives a clear error naming the field for ${what}, and sends nothing to DSM`, async function () {
      const flow = apiFlow(ref.sim, { api: apiConfig });
      const { api, caught } = await load(flow, creds());
      const failed = nextMessage(caught);
      api.receive({ ...input });
      const errMsg = await failed;
      assert.match(errMsg.error.cause.reason, message);
      assert.ok(errMsg.error.cause.kind === 'input' || errMsg.error.code === 102);
      assert.equal(ref.sim.control.counters().requests['SYNO.FileStation.Info'] ?? 0, 0);
    });
  }

  it('names the field of a JSON setting that does not parse, and of a bad JSONata expression', async function () {
    for (const [params, paramsType] of [
      ['{"limit": oops}', 'json'],
      ['$$$(', 'jsonata'],
    ]) {
      const { api, caught } = await load(apiFlow(ref.sim, { api: { params, paramsType } }), creds());
      const failed = nextMessage(caught);
      api.receive({});
      const msg = await failed;
      assert.match(msg.error.cause.reason, /^params: /);
      assert.equal(msg.error.cause.kind, 'input');
      await helper.unload();
    }
  });

  it('keeps working for the next msg after a bad one', async function () {
    const flow = apiFlow(ref.sim, { api: { params: 'payload', paramsType: 'msg' } });
    const { api, out, caught } = await load(flow, creds());
    const failed = nextMessage(caught);
    api.receive({ payload: 'not json' });
    await failed;
    const ok = nextMessage(out);
    api.receive({ payload: {} });
    assert.ok((await ok).payload.hostname);
  });

  it('sends DSM errors to Catch with code, api, method and hint, and a red status', async function () {
    ref.sim.control.injectFault({ api: 'SYNO.FileStation.Info', code: 408 });
    const { api, caught } = await load(apiFlow(ref.sim), creds());
    const red = statusMatching(api, (s) => s.fill === 'red');
    const failed = nextMessage(caught);
    api.receive({});
    const msg = await failed;
    assert.equal(msg.error.code, 408);
    assert.equal(msg.error.cause.api, 'SYNO.FileStation.Info');
    assert.equal(msg.error.cause.method, 'get');
    assert.match(msg.error.message, /No such file or directory/);
    assert.match((await red).text, /408/);
  });

  it('a wrong password reaches Catch as 400, and the next msg does not log in again', async function () {
    const { api, caught } = await load(apiFlow(ref.sim), {
      dsm: { username: demo.username, password: 'nope' },
    });
    let failed = nextMessage(caught);
    api.receive({});
    assert.equal((await failed).error.code, 400);
    failed = nextMessage(caught);
    api.receive({});
    const second = await failed;
    assert.equal(second.error.cause.kind, 'login-backoff');
    assert.equal(ref.sim.control.counters().loginAttempts, 1);
  });

  it('shows a yellow "2FA required" status for a 2FA account without code or device, msg after msg', async function () {
    const { api, caught } = await load(apiFlow(ref.sim), creds(otpUser));
    for (let i = 0; i < 2; i++) {
      const yellow = statusMatching(api, (s) => s.fill === 'yellow');
      const failed = nextMessage(caught);
      api.receive({});
      const msg = await failed;
      assert.equal(msg.error.code, 403);
      assert.equal(msg.error.cause.kind, 'two-factor');
      assert.equal((await yellow).text, '2FA required');
    }
    assert.equal(ref.sim.control.counters().loginAttempts, 1);
  });

  it('logs in with a TOTP secret from the credentials', async function () {
    const { api, out } = await load(apiFlow(ref.sim), {
      dsm: { username: otpUser.username, password: otpUser.password, totpSecret: otpUser.totpSecret },
    });
    const ok = nextMessage(out);
    api.receive({});
    assert.ok((await ok).payload.hostname);
  });

  it('pushes the connection state to every node that uses the config node', async function () {
    const flow = apiFlow(ref.sim);
    flow.push({ ...flow.find((n) => n.id === 'api'), id: 'idle', wires: [[]] });
    const { api, out } = await load(flow, creds());
    const idle = helper.getNode('idle');
    const connecting = statusMatching(idle, (s) => s.text === 'connecting');
    const connected = statusMatching(idle, (s) => s.fill === 'green' && s.text === 'connected');
    const ok = nextMessage(out);
    api.receive({});
    await ok;
    assert.equal((await connecting).fill, 'blue');
    assert.equal((await connected).shape, 'dot');
  });

  it('logs out when the flow stops', async function () {
    const { api, out } = await load(apiFlow(ref.sim), creds());
    const ok = nextMessage(out);
    api.receive({});
    await ok;
    await helper.unload();
    assert.equal(ref.sim.control.counters().logouts, 1);
    assert.equal(ref.sim.control.sessions().length, 0);
  });
});

describe('synology-dsm config errors', function () {
  afterEach(async () => {
    await helper.unload();
  });
  const cases = [
    ['a missing host', { host: '' }, creds(), /^host: is empty/],
    ['a URL in the host field', { host: 'https://nas:5001' }, creds(), /^host: .*not a host name/],
    ['a bad port', { port: '99999' }, creds(), /^port:/],
    ['an empty username', {}, { dsm: { username: '', password: 'x' } }, /^username: is empty/],
    ['no credentials at all', {}, {}, /^username: is empty/],
    [
      'a pinned TLS mode without fingerprint',
      { protocol: 'https', tlsMode: 'fingerprint' },
      creds(),
      /^fingerprint: is empty/,
    ],
  ];
  for (const [what, config, credentials, message] of cases) {
    it(`reports ${what} through done(err), naming the field`, async function () {
      const { api, caught } = await load(apiFlow(undefined, { config }), credentials);
      const failed = nextMessage(caught);
      api.receive({});
      const msg = await failed;
      assert.match(msg.error.cause.reason, message);
      assert.equal(msg.error.cause.kind, 'input');
    });
  }
});
