'use strict';
const assert = require('node:assert/strict');
const { helper, dsmNode, healthNode, nodeFlow, nextMessage } = require('./support/node-red');
const { useSimulator, demo } = require('./support/sim');

const creds = { dsm: { username: demo.username, password: demo.password } };

describe('synology-health node', function () {
  const ref = useSimulator({});
  const calls = (name) => ref.sim.control.counters().methods[name] ?? 0;

  const healthConfig = (extra = {}) => ({
    type: 'synology-health',
    operation: 'snapshot',
    task: '',
    taskType: 'str',
    ...extra,
  });

  async function load(node) {
    await helper.load([dsmNode, healthNode], nodeFlow(ref.sim, node), creds);
    return { n1: helper.getNode('n1'), out: helper.getNode('out'), caught: helper.getNode('caught') };
  }

  async function run(node, msg = {}) {
    const { n1, out } = await load(node);
    const got = nextMessage(out);
    n1.receive(msg);
    return { msg: await got, n1 };
  }

  async function statusAfter(node, msg = {}) {
    const { n1, out } = await load(node);
    const statuses = [];
    const original = n1.status.bind(n1);
    n1.status = (s) => {
      statuses.push(s);
      return original(s);
    };
    const got = nextMessage(out);
    n1.receive(msg);
    const sent = await got;
    await new Promise((resolve) => setImmediate(resolve));
    return { msg: sent, status: statuses[statuses.length - 1] };
  }

  beforeEach(() => ref.sim.control.resetCounters());
  afterEach(async () => {
    await helper.unload();
    ref.sim.control.setVolumeStatus('normal');
    ref.sim.control.setDiskHealth('sata2', { smart_status: 'normal', overview_status: 'normal' });
    ref.sim.control.setUpdateAvailable(false);
    ref.sim.control.setBackupResult(1, 'done');
  });

  it('sends the snapshot in msg.payload, keeping the msg; status green with the item count', async function () {
    const { msg, status } = await statusAfter(healthConfig(), { topic: 'keep me' });
    assert.equal(msg.topic, 'keep me');
    assert.equal(msg.payload.health, 'ok');
    assert.equal(msg.payload.items.length, 11);
    assert.equal(msg.payload.disks[0].diskId, 'sata1');
    assert.deepEqual(status, { fill: 'green', shape: 'dot', text: 'ok (11 items)' });
  });

  it('status shows the worst health and the first item with it', async function () {
    ref.sim.control.failDiskSmart('sata2');
    ref.sim.control.setUpdateAvailable(true);
    const { msg, status } = await statusAfter(healthConfig());
    assert.equal(msg.payload.health, 'critical');
    assert.deepEqual(status, { fill: 'red', shape: 'dot', text: 'critical: Drive 2' });
    ref.sim.control.setDiskHealth('sata2', { smart_status: 'normal', overview_status: 'normal' });
    ref.sim.control.setVolumeStatus('degrade');
    await helper.unload();
    const second = await statusAfter(healthConfig());
    assert.deepEqual(second.status, { fill: 'yellow', shape: 'dot', text: 'warning: /volume1 (+2)' });
  });

  it('one part, chosen by msg.operation: payload is the part, msg.health its worst health', async function () {
    ref.sim.control.setVolumeStatus('degrade');
    const { msg } = await run(healthConfig({ operation: 'msg' }), { operation: 'volumes' });
    assert.equal(msg.payload.length, 1);
    assert.equal(msg.payload[0].status, 'degrade');
    assert.equal(msg.health, 'warning');
    assert.deepEqual(msg.notes, []);
    assert.equal(calls('SYNO.Core.System.Utilization.get'), 0);
  });

  for (const operation of ['pools', 'disks', 'temperatures', 'system', 'utilisation', 'update', 'backups']) {
    it(`reads the ${operation} part`, async function () {
      const { msg } = await run(healthConfig({ operation }));
      assert.equal(msg.health, 'ok');
      if (Array.isArray(msg.payload)) assert.ok(msg.payload.length > 0);
      else assert.equal(msg.payload.health, 'ok');
    });
  }

  it('ping: payload with the state, no login', async function () {
    const { msg, status } = await statusAfter(healthConfig({ operation: 'ping' }));
    assert.equal(msg.payload.state, 'up');
    assert.deepEqual(status, { fill: 'green', shape: 'dot', text: 'up' });
    assert.deepEqual(ref.sim.control.counters().requests, {});
  });

  it('ping while hibernating: blue ring, disks left asleep', async function () {
    ref.sim.control.hibernate();
    const { msg, status } = await statusAfter(healthConfig({ operation: 'ping' }));
    assert.equal(msg.payload.state, 'hibernating');
    assert.equal(status.text, 'hibernating');
    assert.equal(ref.sim.control.powerState().diskHibernation, true);
  });

  it('starts a backup by name ("backup start" from msg.operation) and cancels it by id from msg', async function () {
    const started = await run(healthConfig({ operation: 'msg', task: 'Nightly backup' }), {
      operation: 'backup start',
    });
    assert.equal(started.msg.payload.running, true);
    assert.equal(calls('SYNO.Backup.Task.backup'), 1);
    await helper.unload();
    const cancelled = await run(
      healthConfig({ operation: 'backup-cancel', task: 'taskId', taskType: 'msg' }),
      {
        taskId: 1,
      },
    );
    assert.equal(cancelled.msg.payload.lastResult, 'cancel');
    assert.equal(cancelled.msg.payload.health, 'warning');
  });

  async function failure(node, msg = {}) {
    const { n1, caught } = await load(node);
    const got = nextMessage(caught);
    n1.receive(msg);
    return got;
  }

  it('an empty task is refused naming the field, through Catch, nothing sent', async function () {
    const caught = await failure(healthConfig({ operation: 'backup-start' }));
    assert.match(caught.error.message, /^task: is empty/);
    assert.equal(calls('SYNO.Backup.Task.list'), 0);
  });

  it('an unknown task is refused naming it, nothing started', async function () {
    const caught = await failure(healthConfig({ operation: 'backup-start', task: 'Weekly' }));
    assert.match(caught.error.message, /^task: no Hyper Backup task "Weekly"/);
    assert.equal(calls('SYNO.Backup.Task.backup'), 0);
  });

  it('a task given as an object is refused naming the field', async function () {
    const caught = await failure(healthConfig({ operation: 'backup-start', task: 'task', taskType: 'msg' }), {
      task: { id: 1 },
    });
    assert.match(caught.error.message, /^task: must be a string, not an object/);
  });

  it('an unknown msg.operation is refused naming the field', async function () {
    const caught = await failure(healthConfig({ operation: 'msg' }), { operation: 'reboot' });
    assert.match(caught.error.message, /^operation: "reboot" is not one of snapshot, volumes/);
  });

  it('a snapshot while DSM boots fails through Catch with the 502 explained', async function () {
    ref.sim.control.reboot({ downMs: 0, bootMs: 60_000 });
    try {
      const caught = await failure(healthConfig());
      assert.match(caught.error.message, /HTTP 502/);
    } finally {
      ref.sim.control.advanceClock(60_001);
    }
  });
});
