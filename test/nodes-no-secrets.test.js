'use strict';
const assert = require('node:assert/strict');
const util = require('node:util');
const { helper, dsmNode, apiNode, apiFlow } = require('./support/node-red');
const { useSimulator } = require('./support/sim');

// Passwords that cannot occur by chance in node names or messages.
const demo = { username: 'leak-check', password: 'Pw-7c1e-a94b' };
const otpUser = {
  username: 'leak-check-2fa',
  password: 'Pw-0d3f-55e2',
  totpSecret: 'KRUGS4ZANFZSAYJAONSWG4TFOQ',
};

const WRONG_PASSWORD = 'wrong-password-3f9c';

/** Everything the runtime produced that a user, a log or another node could see. */
function recorder() {
  const seen = [];
  const add = (what) => seen.push(typeof what === 'string' ? what : util.inspect(what, { depth: 8 }));
  return {
    add,
    watch(ids) {
      for (const id of ids) {
        const node = helper.getNode(id);
        if (!node) continue;
        for (const event of ['call:status', 'call:error', 'call:warn', 'call:log', 'call:send']) {
          node.on(event, (call) => add(call.args));
        }
        if (node.type === 'helper') node.on('input', add);
      }
    },
    collectLog() {
      const spy = helper.log();
      if (spy) for (const call of spy.getCalls()) add(call.args);
    },
    text: () => seen.join('\n'),
  };
}

describe('no credential, sid or token in logs, status, msgs or errors', function () {
  const ref = useSimulator({ users: [demo, otpUser] });
  const rec = recorder();
  const settle = () => new Promise((resolve) => setTimeout(resolve, 100));
  const ids = ['dsm', 'api', 'out', 'caught', 'catcher'];

  async function run(credentials, msgs, extra = {}) {
    await helper.load([dsmNode, apiNode], apiFlow(ref.sim, extra), { dsm: credentials });
    rec.watch(ids);
    for (const msg of msgs) {
      helper.getNode('api').receive(msg);
      await settle();
    }
    rec.collectLog();
    await helper.unload();
  }

  it('runs the usual successes and failures', async function () {
    await run({ username: demo.username, password: demo.password }, [{}, {}]);
    ref.sim.control.expireAllSessions();
    await run({ username: demo.username, password: demo.password }, [{}]);
    await run({ username: demo.username, password: WRONG_PASSWORD }, [{}, {}]);
    await run({ username: otpUser.username, password: otpUser.password }, [{}]);
    await run(
      { username: otpUser.username, password: otpUser.password, totpSecret: otpUser.totpSecret },
      [{}, { payload: 'x' }],
      { api: { params: 'payload', paramsType: 'msg' } },
    );
    ref.sim.control.injectFault({ code: 119, count: 2 });
    await run({ username: demo.username, password: demo.password }, [{}]);
    await helper.load([dsmNode, apiNode], apiFlow(ref.sim), {});
    const port = new URL(ref.sim.url).port;
    const form = { id: 'dsm', host: '127.0.0.1', port, protocol: 'http', username: otpUser.username };
    const trusted = await helper
      .request()
      .post('/synology-dsm/trust')
      .send({ ...form, password: otpUser.password, otp: ref.sim.control.totpCode(otpUser.username) });
    rec.add(trusted.body);
    const tested = await helper
      .request()
      .post('/synology-dsm/test')
      .send({ ...form, password: otpUser.password, deviceId: '__PWRD__' });
    rec.add(tested.body);
    rec.collectLog();
    await helper.unload();
  });

  it('found none of the secrets in what was produced', function () {
    const produced = rec.text();
    assert.ok(produced.length > 1000, 'the scenarios produced output to check');
    assert.match(produced, /incorrect password/);
    const secrets = [
      demo.password,
      otpUser.password,
      otpUser.totpSecret,
      WRONG_PASSWORD,
      ...ref.sim.control.issuedSecrets(),
    ];
    assert.ok(ref.sim.control.issuedSecrets().length >= 6);
    for (const secret of secrets) {
      assert.ok(!produced.includes(secret), `a secret of ${secret.length} characters appeared in the output`);
    }
  });
});
