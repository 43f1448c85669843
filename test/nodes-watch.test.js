'use strict';
const assert = require('node:assert/strict');
const { createHook } = require('node:async_hooks');
const { setTimeout: sleep } = require('node:timers/promises');
const { DsmClient, DownloadStation, FileStation } = require('../dist');
/** The simulator's pull_event_period (60 s) plus a pass (5 s): every connection has run a whole pass. */
const PASS_DONE_MS = 66_000;
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { CloudSync } = require('../dist');
const {
  helper,
  dsmNode,
  watchNode,
  nodeFlow,
  persistentContext,
  restartable,
} = require('./support/node-red');
const { startSimulator, useSimulator, demo } = require('./support/sim');
const { recorder } = require('./support/watch-recorder');

const creds = { dsm: { username: demo.username, password: demo.password } };
/** Waiting 1 s, downloading 10 s, finishing 1 s on the simulator clock. */
const ALL_DONE_MS = 15_000;

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

  describe('Cloud Sync', function () {
    let cs;
    let contextDir;
    const logReads = () => ref.sim.control.requestLog().filter((r) => r.method === 'get_log');
    const errorKey = (e) => `${e.time}|${e.raw.session_id}|${e.path}|${e.errorCode}`;

    before(() => {
      cs = new CloudSync(client);
    });
    beforeEach(() => {
      ref.sim.control.clearRequestLog();
      contextDir = fs.mkdtempSync(path.join(os.tmpdir(), 'synoflow-watch-context-'));
      persistentContext(contextDir);
    });
    afterEach(async () => {
      persistentContext(undefined);
      fs.rmSync(contextDir, { recursive: true, force: true });
      for (const c of await cs.connections()) ref.sim.control.recoverCloudSyncConnection(c.id);
      ref.sim.control.advanceClock(PASS_DONE_MS);
    });

    it('each error log entry exactly once, across a node restart with a file context store', async function () {
      this.timeout(30000);
      const errorsBefore = (await cs.logs(1, { level: 'error', limit: 1000 })).entries.map(errorKey);
      ref.sim.control.clearRequestLog();
      const node = watch({ sources: 'cloudsync' });
      let { n1, seen } = await load(node);
      await seen.polls(1);
      assert.deepEqual(seen.topics(), [], 'baseline');
      const baselineReads = logReads().length;
      assert.equal(baselineReads, 1, 'one read sets the cursor of the connection never read before');

      n1.receive({ command: 'poll' });
      await seen.polls(1);
      assert.equal(logReads().length, baselineReads, 'no log read while nothing changed');

      fs.writeFileSync(path.join(ref.sim.dataDir, 'home', 'watch-failing.bin'), 'x');
      ref.sim.control.failCloudSyncConnection(1, { errorDesc: 'Insufficient space in the cloud' });
      ref.sim.control.advanceClock(PASS_DONE_MS);
      n1.receive({ command: 'poll' });
      await seen.polls(1);
      const state = seen.msgs.find((m) => m.topic === 'cloudsync.state');
      assert.equal(state.payload.state, 'error');
      assert.equal(state.payload.previous.state, 'ok');
      assert.equal(state.payload.error, 'Insufficient space in the cloud');
      const told = seen.msgs.filter((m) => m.topic === 'cloudsync.error').map((m) => m.payload);
      assert.ok(told.length > 0, 'error entries are told');
      assert.ok(told.every((e) => e.level === 'error' && e.connection.id === 1));

      n1.receive({ command: 'poll' });
      await seen.polls(1);
      assert.equal(seen.msgs.filter((m) => m.topic === 'cloudsync.error').length, told.length);

      // Node-RED stops (the context file stays); Cloud Sync fails on meanwhile; Node-RED starts again.
      await restartable();
      assert.match(fs.readdirSync(path.join(contextDir, 'context'), { recursive: true }).join(), /n1/);
      ref.sim.control.advanceClock(PASS_DONE_MS);
      ({ n1, seen } = await load(node));
      await seen.polls(1);
      assert.deepEqual(seen.topics(), [], 'baseline after the restart: nothing changed since the last poll');
      ref.sim.control.recoverCloudSyncConnection(1);
      ref.sim.control.advanceClock(6_000);
      n1.receive({ command: 'poll' });
      await seen.polls(1);
      assert.ok(seen.topics().includes('cloudsync.state'));
      const toldAfter = seen.msgs.filter((m) => m.topic === 'cloudsync.error').map((m) => m.payload);
      assert.ok(
        toldAfter.length > 0,
        'the entries logged while Node-RED was down are told after the restart',
      );

      const all = [...told, ...toldAfter].map(errorKey);
      assert.equal(new Set(all).size, all.length, 'no entry told twice');
      const logged = (await cs.logs(1, { level: 'error', limit: 1000 })).entries.map(errorKey);
      assert.deepEqual(
        all.sort(),
        logged.filter((key) => !errorsBefore.includes(key)).sort(),
        'every new error entry told',
      );
    });

    it('a connection filter limits msgs and log reads to that connection', async function () {
      const { id } = ref.sim.control.addCloudSyncConnection({ localPath: '/home', taskName: 'Watched docs' });
      ref.sim.control.advanceClock(6_000);
      const { n1, seen } = await load(watch({ sources: 'cloudsync', connections: 'Watched docs' }));
      await seen.polls(1);
      ref.sim.control.clearRequestLog();
      ref.sim.control.failCloudSyncConnection(1);
      ref.sim.control.failCloudSyncConnection(id);
      ref.sim.control.advanceClock(PASS_DONE_MS);
      n1.receive({ command: 'poll' });
      await seen.polls(1);
      assert.ok(seen.msgs.length > 1);
      assert.ok(seen.msgs.every((m) => (m.payload.connection?.id ?? m.payload.id) === id));
      assert.deepEqual([...new Set(logReads().map((r) => r.params.connection_id))], [String(id)]);
    });
  });

  describe('control and bad input', function () {
    it('refuses bad settings at deploy naming the field, and polls nothing', async function () {
      for (const [extra, pattern] of [
        [{ interval: 0.5 }, /interval: 0.5 s is below the minimum of 1 s/],
        [{ sources: '' }, /sources: no source is chosen/],
        [{ sources: 'download,mail' }, /sources: "mail" is not a source/],
        [{ statuses: 'finshed' }, /statuses: "finshed" is not a status of download/],
        [{ ids: 'dbid 1' }, /ids: "dbid 1" is not an id/],
      ]) {
        const { seen } = await load(watch(extra));
        await seen.until(() => seen.errors.length === 1, 'the error');
        assert.match(seen.errors[0].error.message, pattern);
        assert.equal(seen.statuses.at(-1).fill, 'red');
        await helper.unload();
      }
      assert.equal(lists(), 0);
    });

    it('a bad msg is refused naming the field; the watch keeps its settings, state and timer', async function () {
      const { created } = await ds.create('https://example.com/watch/keep.iso');
      const { n1, seen } = await load(watch({ interval: 1, statuses: 'finished, error' }));
      await seen.polls(1);
      for (const [msg, pattern] of [
        [{ interval: 0.5 }, /msg\.interval: 0.5 s is below the minimum of 1 s/],
        [{ command: 'restart' }, /msg\.command: "restart" is not a command/],
        [{ sources: [] }, /msg\.sources: no source is chosen/],
        [{ filter: { statuses: ['done'] } }, /msg\.filter\.statuses: "done" is not a status/],
        [{ filter: { colour: 'red' } }, /msg\.filter\.colour: is not a filter/],
        [{ filter: 'error' }, /msg\.filter: must be an object/],
      ]) {
        const errors = seen.errors.length;
        n1.receive(msg);
        await seen.until(() => seen.errors.length === errors + 1, `the error for ${JSON.stringify(msg)}`);
        assert.match(seen.errors.at(-1).error.message, pattern);
      }
      // Still polling by itself every second, with the same filter.
      await seen.polls(2);
      ref.sim.control.finishDownloadTask(created[0]);
      await seen.until(() => seen.topics().includes('download.finished'), 'download.finished');
      assert.deepEqual(seen.topics(), ['download.finished']);
    });

    it('stop stops polling, start polls again from a fresh baseline, a good msg changes the settings', async function () {
      const { n1, seen } = await load(watch({ interval: 1 }));
      await seen.polls(1);
      n1.receive({ command: 'stop' });
      await seen.until(() => seen.statuses.at(-1).text === 'stopped', 'stopped');
      await ds.create('https://example.com/watch/while-stopped.iso');
      const stoppedAt = lists();
      await sleep(2500);
      assert.equal(lists(), stoppedAt, 'no poll while stopped');
      n1.receive({ command: 'start' });
      await seen.polls(1);
      assert.deepEqual(seen.topics(), [], 'a task added while stopped is part of the new baseline');
      n1.receive({ command: 'poll', filter: { statuses: 'finished' } });
      await seen.polls(1);
      const tasks = await ds.list();
      ref.sim.control.finishDownloadTask(tasks[0].id);
      await seen.until(() => seen.topics().length === 1, 'one msg');
      assert.deepEqual(seen.topics(), ['download.finished']);
    });

    it('no timer is left after close: all cleared, and no request reaches the simulator afterwards', async function () {
      // Every timer the watcher makes, seen as Node creates it.
      const timers = [];
      const hook = createHook({
        init(_id, type, _trigger, resource) {
          if (type === 'Timeout' && /[\\/]dist[\\/]watch[\\/]/.test(new Error().stack)) timers.push(resource);
        },
      }).enable();
      try {
        const { seen } = await load(watch({ interval: 1, sources: 'download,task,cloudsync' }));
        await seen.polls(2);
        await helper.unload();
      } finally {
        hook.disable();
      }
      assert.ok(timers.length >= 2, 'the watcher made its timers');
      assert.deepEqual(
        timers.filter((timer) => !timer._destroyed),
        [],
        'every timer is cleared (or has fired) once the node is closed',
      );
      ref.sim.control.resetCounters();
      ref.sim.control.advanceClock(PASS_DONE_MS);
      await sleep(3500);
      assert.deepEqual(ref.sim.control.counters().requests, {});
      await load(watch({ interval: 3600 })); // afterEach unloads
    });
  });

  describe('DSM unreachable', function () {
    it('backs off, shows it, and sends exactly one watch.offline and one watch.online per outage', async function () {
      this.timeout(40000);
      let sim = await startSimulator({ port: 0 });
      const port = Number(new URL(sim.url).port);
      try {
        const { seen } = await load(watch({ interval: 1 }), { sim });
        await seen.polls(1);
        // An outage of two polls: the connection is reset.
        sim.control.injectFault({ api: 'SYNO.DownloadStation.Task', reset: true, count: 2 });
        await seen.until(() => seen.topics().includes('watch.online'), 'back online');
        const offlineStatuses = seen.statuses.filter((s) => /^offline/.test(s.text));
        assert.equal(offlineStatuses.length, 2, 'two failed polls');
        assert.equal(offlineStatuses[0].fill, 'red');
        assert.match(offlineStatuses[1].text, /retry in 2 s/, 'the retry backs off');
        assert.deepEqual(seen.topics(), ['watch.offline', 'watch.online']);

        // The simulator stops and a new one (no sessions, no tasks) starts on the same port.
        await sim.close();
        await seen.until(() => seen.topics().length === 3, 'offline again');
        await seen.polls(1);
        sim = await startSimulator({ port });
        await seen.until(() => seen.topics().length === 4, 'online again');
        assert.deepEqual(seen.topics(), ['watch.offline', 'watch.online', 'watch.offline', 'watch.online']);
        const [offline, online] = seen.msgs.slice(2);
        assert.equal(offline.payload.error.kind, 'network');
        assert.ok(online.payload.offlineMs >= 0);
        assert.equal(sim.control.counters().methods['SYNO.API.Auth.login'], 1, 'logged in again by itself');
        assert.equal(seen.statuses.at(-1).fill, 'green');
        assert.equal(seen.errors.length, 0);
      } finally {
        await helper.unload();
        await sim.close();
      }
    });
  });
});
