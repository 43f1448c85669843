'use strict';
const assert = require('node:assert/strict');
const { setTimeout: sleep } = require('node:timers/promises');
const { DsmClient, DownloadStation, FileStation } = require('../dist');
const { helper, dsmNode, watchNode, nodeFlow } = require('./support/node-red');
const { useSimulator, demo } = require('./support/sim');

const creds = { dsm: { username: demo.username, password: demo.password } };
/** Waiting 1 s, downloading 10 s, finishing 1 s on the simulator clock. */
const ALL_DONE_MS = 15_000;

/** Records what the watch node sends and each poll it finishes (its status after a poll). */
function recorder(n1, out, caught) {
  const seen = { msgs: [], errors: [], statuses: [] };
  const waiters = [];
  const wake = () => {
    for (const waiter of [...waiters])
      if (waiter.ready()) waiters.splice(waiters.indexOf(waiter), 1) && waiter.resolve();
  };
  out.on('input', (msg) => {
    seen.msgs.push(msg);
    wake();
  });
  caught.on('input', (msg) => {
    seen.errors.push(msg);
    wake();
  });
  n1.on('call:status', (call) => {
    seen.statuses.push({ ...call.args[0] });
    wake();
  });
  /** Resolves once `ready()` holds (checked after every msg, error and status). */
  seen.until = (ready, what = 'condition') =>
    new Promise((resolve, reject) => {
      if (ready()) return resolve();
      const timer = setTimeout(
        () => reject(new Error(`timed out waiting for ${what}: ${JSON.stringify(seen.topics())}`)),
        15000,
      );
      waiters.push({ ready, resolve: () => (clearTimeout(timer), resolve()) });
    });
  /** Resolves after `count` more polls (statuses other than "stopped"). */
  seen.polls = async (count = 1) => {
    const start = seen.pollCount();
    await seen.until(() => seen.pollCount() >= start + count, `${count} poll(s)`);
    // The poll's msgs were sent before its status; Node-RED delivers them on the next turns of the event loop.
    await new Promise(setImmediate);
    await new Promise(setImmediate);
  };
  seen.pollCount = () => seen.statuses.filter((s) => s.text !== 'stopped').length;
  seen.topics = () => seen.msgs.map((m) => m.topic);
  return seen;
}

describe('synology-watch node', function () {
  const ref = useSimulator({});
  let client;
  let ds;

  const watch = (extra = {}) => ({ type: 'synology-watch', sources: 'download', interval: 3600, ...extra });
  async function load(node, { sim = ref.sim } = {}) {
    await helper.load([dsmNode, watchNode], nodeFlow(sim, { wires: [['out']], ...node }), creds);
    const n1 = helper.getNode('n1');
    return { n1, seen: recorder(n1, helper.getNode('out'), helper.getNode('caught')) };
  }
  const count = (key) => ref.sim.control.counters().methods[key] ?? 0;
  const lists = () => count('SYNO.DownloadStation.Task.list');

  before(() => {
    client = new DsmClient({ url: ref.sim.url, username: demo.username, password: demo.password });
    ds = new DownloadStation(client);
  });
  after(() => client.close());
  beforeEach(async () => {
    await ds.delete('all');
    ref.sim.control.clearFaults();
    ref.sim.control.resetCounters();
  });
  afterEach(() => helper.unload());

  describe('download tasks', function () {
    it('baseline first: the first poll emits nothing; then one msg per change with the previous state', async function () {
      const { created } = await ds.create('https://example.com/watch/old.iso');
      const { n1, seen } = await load(watch());
      await seen.polls(1);
      assert.deepEqual(seen.topics(), [], 'the baseline poll emits nothing');

      const { created: fresh } = await ds.create('https://example.com/watch/new.iso');
      n1.receive({ command: 'poll' });
      await seen.polls(1);
      assert.deepEqual(seen.topics(), ['download.added']);
      assert.equal(seen.msgs[0].payload.id, fresh[0]);
      assert.equal(seen.msgs[0].payload.previous, null);

      ref.sim.control.advanceClock(5_000);
      n1.receive({ command: 'poll' });
      await seen.polls(1);
      const changes = seen.msgs.slice(1);
      assert.deepEqual(changes.map((m) => m.topic).sort(), ['download.status', 'download.status']);
      for (const msg of changes) {
        assert.equal(msg.payload.status, 'downloading');
        assert.equal(msg.payload.previous.status, 'waiting');
        assert.equal(msg.payload.previous.raw, undefined, 'previous is the item without DSM raw answer');
      }

      ref.sim.control.advanceClock(1_000);
      n1.receive({ command: 'poll' });
      await seen.polls(1);
      assert.deepEqual(seen.topics().slice(3), ['download.progress', 'download.progress']);

      ref.sim.control.advanceClock(ALL_DONE_MS);
      await ds.delete(created);
      n1.receive({ command: 'poll' });
      await seen.polls(1);
      const last = seen.msgs.slice(5);
      assert.deepEqual(
        last.map((m) => m.topic),
        ['download.finished', 'download.removed'],
      );
      assert.equal(last[0].payload.id, fresh[0]);
      assert.equal(last[0].payload.previous.status, 'downloading');
      assert.equal(last[1].payload.id, created[0]);
      assert.equal(seen.errors.length, 0);
    });

    it('with "emit current state on start" the first poll describes every task', async function () {
      await ds.create(['https://example.com/watch/a.iso', 'https://example.com/watch/b.iso']);
      const { seen } = await load(watch({ emitCurrent: true }));
      await seen.until(() => seen.msgs.length === 2, 'two msgs');
      assert.deepEqual(seen.topics(), ['download.current', 'download.current']);
    });

    it('a task that finished between two polls is told as added and finished', async function () {
      const { n1, seen } = await load(watch());
      await seen.polls(1);
      const { created } = await ds.create('https://example.com/watch/fast.iso');
      ref.sim.control.finishDownloadTask(created[0]);
      n1.receive({ command: 'poll' });
      await seen.polls(1);
      assert.deepEqual(seen.topics(), ['download.added', 'download.finished']);
    });

    it('a failed task is download.error with DSM error detail', async function () {
      const { created } = await ds.create('https://example.com/watch/broken.iso');
      const { n1, seen } = await load(watch());
      await seen.polls(1);
      ref.sim.control.failDownloadTask(created[0], 'disk_full');
      n1.receive({ command: 'poll' });
      await seen.polls(1);
      assert.deepEqual(seen.topics(), ['download.error']);
      assert.equal(seen.msgs[0].payload.error, 'disk_full');
    });

    it('filters by id and by status (now or before)', async function () {
      const { created } = await ds.create([
        'https://example.com/watch/x.iso',
        'https://example.com/watch/y.iso',
      ]);
      const { n1, seen } = await load(watch({ ids: created[0], statuses: 'finished' }));
      await seen.polls(1);
      ref.sim.control.advanceClock(5_000);
      n1.receive({ command: 'poll' });
      await seen.polls(1);
      assert.deepEqual(seen.topics(), [], 'downloading is not a wanted status');
      ref.sim.control.finishDownloadTask(created[0]);
      ref.sim.control.finishDownloadTask(created[1]);
      n1.receive({ command: 'poll' });
      await seen.polls(1);
      assert.deepEqual(
        seen.msgs.map((m) => [m.topic, m.payload.id]),
        [['download.finished', created[0]]],
      );
      await ds.delete(created);
      n1.receive({ command: 'poll' });
      await seen.polls(1);
      assert.deepEqual(
        seen.msgs.slice(1).map((m) => [m.topic, m.payload.id]),
        [['download.removed', created[0]]],
      );
    });

    it('throttles progress msgs per task when set (off by default)', async function () {
      const { created } = await ds.create('https://example.com/watch/slow.iso');
      const { n1, seen } = await load(watch({ progressThrottle: 3600 }));
      await seen.polls(1);
      ref.sim.control.advanceClock(2_000);
      n1.receive({ command: 'poll' });
      await seen.polls(1);
      for (let i = 0; i < 3; i++) {
        ref.sim.control.advanceClock(1_000);
        n1.receive({ command: 'poll' });
        await seen.polls(1);
      }
      assert.deepEqual(seen.topics(), ['download.status', 'download.progress'], 'one progress msg an hour');
      ref.sim.control.finishDownloadTask(created[0]);
      n1.receive({ command: 'poll' });
      await seen.polls(1);
      assert.equal(seen.topics().at(-1), 'download.finished', 'status changes are never throttled');
    });

    it('1,000 watched tasks: one list request per interval', async function () {
      this.timeout(30000);
      const urls = Array.from({ length: 1000 }, (_, i) => `https://example.com/many/${i}.bin`);
      assert.equal((await ds.create(urls)).created.length, 1000);
      ref.sim.control.resetCounters();
      const listsAtPoll = [];
      const { n1, seen } = await load(watch({ interval: 1 }));
      // Read at the moment each poll ends: no poll runs then (the next is an interval away).
      n1.on('call:status', () => listsAtPoll.push(lists()));
      await seen.polls(4);
      await n1.receive({ command: 'stop' });
      assert.deepEqual(listsAtPoll.slice(0, 4), [1, 2, 3, 4]);
      assert.match(seen.statuses[0].text, /^download 1000 /);
      const counters = ref.sim.control.counters();
      assert.equal(counters.methods['SYNO.DownloadStation.Task.getinfo'] ?? 0, 0);
      assert.equal(counters.methods['SYNO.API.Info.query'] ?? 0, 1);
    });
  });

  describe('File Station background tasks', function () {
    it('task.added while a copy runs, task.finished when it ends', async function () {
      const files = new FileStation(client);
      await files.upload(Buffer.alloc(1024), { folder: '/home/watch-src', name: 'a.bin', overwrite: true });
      await files.createFolder('/home/watch-dst');
      const { n1, seen } = await load(watch({ sources: 'task' }));
      await seen.polls(1);
      // The simulator's copy takes 1.5 s (real time): the next poll sees it running.
      const copying = files.copy('/home/watch-src', '/home/watch-dst', { overwrite: true });
      while (!ref.sim.control.counters().methods['SYNO.FileStation.CopyMove.start']) await sleep(10);
      n1.receive({ command: 'poll' });
      await seen.polls(1);
      assert.deepEqual(seen.topics(), ['task.added']);
      assert.equal(seen.msgs[0].payload.status, 'running');
      await copying;
      n1.receive({ command: 'poll' });
      await seen.polls(1);
      assert.equal(seen.topics().at(-1), 'task.finished');
      const finished = seen.msgs.at(-1).payload;
      assert.equal(finished.api, 'SYNO.FileStation.CopyMove');
      assert.equal(finished.progress, 100);
      assert.equal(finished.previous.status, 'running');
    });
  });
});
