'use strict';
// Redeploys must not defeat the login pause: DSM blocks an IP after 10 failed logins in 5 minutes.
const assert = require('node:assert/strict');
const { helper, dsmNode, apiNode, apiFlow, configNode, nextMessage } = require('./support/node-red');
const { useSimulator, demo } = require('./support/sim');

describe('login pause across redeploys (Node-RED)', function () {
  const ref = useSimulator();
  beforeEach(() => {
    ref.sim.control.resetCounters();
    ref.sim.control.unblockAll();
  });
  afterEach(async () => {
    await helper.unload();
  });

  async function deployAndSend(flow, credentials, nodeId = 'api') {
    await helper.load([dsmNode, apiNode], flow, credentials);
    const caught = helper.getNode('caught');
    const failed = nextMessage(caught);
    helper.getNode(nodeId).receive({});
    return (await failed).error;
  }

  it('11 deploys with a wrong password in a row make one login attempt; the error says the login is paused', async function () {
    const credentials = { dsm: { username: demo.username, password: 'wrong-deploys' } };
    const errors = [];
    for (let deploy = 0; deploy < 11; deploy++) {
      errors.push(await deployAndSend(apiFlow(ref.sim), credentials));
      if (deploy < 10) await helper.unload();
    }
    assert.equal(ref.sim.control.counters().loginAttempts, 1);
    assert.equal(errors[0].code, 400);
    assert.ok(errors.slice(1).every((err) => err.cause.kind === 'login-backoff' && err.code === 400));
    assert.match(errors[10].message, /login paused|not logging in again/);
  });

  it('two config nodes with the same host and account share the pause', async function () {
    const flow = apiFlow(ref.sim);
    flow.push(
      { ...configNode(ref.sim), id: 'dsm2', sessionName: 'second' },
      { ...flow.find((n) => n.id === 'api'), id: 'api2', server: 'dsm2', wires: [['out']] },
    );
    const wrong = { username: demo.username, password: 'wrong-twins' };
    await helper.load([dsmNode, apiNode], flow, { dsm: wrong, dsm2: wrong });
    const caught = helper.getNode('caught');
    for (const id of ['api', 'api2']) {
      const failed = nextMessage(caught);
      helper.getNode(id).receive({});
      await failed;
    }
    assert.equal(ref.sim.control.counters().loginAttempts, 1);
  });

  it('Test connection tries at once during the pause, and its success lifts it', async function () {
    const credentials = { dsm: { username: demo.username, password: 'wrong-then-tested' } };
    await deployAndSend(apiFlow(ref.sim), credentials);
    const form = {
      id: 'dsm',
      host: '127.0.0.1',
      port: new URL(ref.sim.url).port,
      protocol: 'http',
      tlsMode: 'verify',
      timeout: 10,
      username: demo.username,
    };
    const refused = await helper
      .request()
      .post('/synology-dsm/test')
      .send({ ...form, password: 'wrong-then-tested' });
    assert.equal(refused.body.ok, false);
    assert.equal(refused.body.code, 400);
    const accepted = await helper
      .request()
      .post('/synology-dsm/test')
      .send({ ...form, password: demo.password });
    assert.equal(accepted.body.ok, true, accepted.body.message);
    assert.equal(ref.sim.control.counters().loginAttempts, 3);
    await helper.unload();
    // Redeployed with the fixed password: works at once.
    await helper.load([dsmNode, apiNode], apiFlow(ref.sim), {
      dsm: { username: demo.username, password: demo.password },
    });
    const ok = nextMessage(helper.getNode('out'));
    helper.getNode('api').receive({});
    assert.ok((await ok).payload.hostname);
  });
});
