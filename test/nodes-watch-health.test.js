'use strict';
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { DsmClient, DsmSystem } = require('../dist');
const {
  helper,
  dsmNode,
  watchNode,
  nodeFlow,
  persistentContext,
  restartable,
} = require('./support/node-red');
const { useSimulator, demo } = require('./support/sim');
const { recorder } = require('./support/watch-recorder');

const creds = { dsm: { username: demo.username, password: demo.password } };
/** The simulator's backup run (10 min) and a minute more: DSM's times have minutes only. */
const BACKUP_RUN_MS = 11 * 60_000;
const DISK = 'sata1';

describe('synology-watch node: NAS health and Hyper Backup', function () {
  this.timeout(30000);
  const ref = useSimulator({});
  let client;
  let system;

  const watch = (extra = {}) => ({ type: 'synology-watch', sources: 'health', interval: 3600, ...extra });
  async function load(node) {
    await helper.load([dsmNode, watchNode], nodeFlow(ref.sim, { wires: [['out']], ...node }), creds);
    const n1 = helper.getNode('n1');
    const seen = recorder(n1, helper.getNode('out'), helper.getNode('caught'));
    return { n1, seen, poll: () => (n1.receive({ command: 'poll' }), seen.polls(1)) };
  }
  const control = () => ref.sim.control;
  const msgsOf = (seen, topic) => seen.msgs.filter((m) => m.topic === topic);

  before(() => {
    client = new DsmClient({ url: ref.sim.url, username: demo.username, password: demo.password });
    system = new DsmSystem(client);
  });
  after(() => client.close());
  function healthy() {
    control().setVolumeStatus('normal');
    control().setDiskHealth(DISK, { status: 'normal', smart_status: 'normal', overview_status: 'normal' });
    control().setTemperatureRise(0);
    control().setUpdateAvailable(false);
    control().setBackupResult(1, 'done');
  }
  beforeEach(() => {
    healthy();
    control().clearFaults();
    control().resetCounters();
  });
  afterEach(async () => {
    await helper.unload();
    // Whatever a test did to the power, the NAS is up and awake for the next.
    const { phase } = control().powerState();
    if (phase === 'off') control().powerOn(0);
    if (phase !== 'up') control().advanceClock(120_000);
    await system.ping();
    await client.call('SYNO.API.Info', 'query', { query: 'SYNO.API.Auth' });
  });

  it('tells each health change once (not per poll) and its recovery as the same topic with health ok', async function () {
    const { seen, poll } = await load(watch());
    await seen.polls(1);
    assert.deepEqual(seen.topics(), [], 'a healthy NAS: the first poll tells nothing');

    control().setVolumeStatus('degrade');
    control().failDiskSmart(DISK);
    // 40 °C above the drifting base (±3 °C over the clock): every reading clears 60 °C and the system DSM's 70 °C.
    control().setTemperatureRise(40);
    control().setUpdateAvailable(true);
    control().resetCounters();
    for (let i = 0; i < 3; i += 1) await poll();
    assert.deepEqual(
      control().counters().methods,
      { 'SYNO.Core.System.info': 3, 'SYNO.Storage.CGI.Storage.load_info': 3 },
      'two requests per poll; the DSM update is not checked again within an hour of the NAS',
    );
    // An hour of the NAS later, the update check runs once more (it may ask Synology's servers: not every poll).
    control().advanceClock(60 * 60_000);
    control().resetCounters();
    for (let i = 0; i < 3; i += 1) await poll();
    assert.equal(control().counters().methods['SYNO.Core.Upgrade.Server.check'], 1);

    const topics = seen.topics().sort();
    assert.deepEqual(topics, [
      'disk.smart',
      'system.update',
      'temperature.high',
      'temperature.high',
      'temperature.high',
      'volume.state',
    ]);
    const [volume] = msgsOf(seen, 'volume.state');
    assert.equal(volume.payload.id, 'volume:volume_1');
    assert.equal(volume.payload.status, 'degrade');
    assert.equal(volume.payload.health, 'warning');
    assert.equal(volume.payload.previous.status, 'normal');
    assert.equal(volume.payload.previous.health, 'ok');
    assert.equal(volume.payload.previous.raw, undefined);
    const [smart] = msgsOf(seen, 'disk.smart');
    assert.equal(smart.payload.id, `disk:${DISK}`);
    assert.equal(smart.payload.smartStatus, 'failing');
    assert.equal(smart.payload.status, 'normal', 'DSM leaves the disk status normal (check_synology #56)');
    assert.equal(smart.payload.health, 'critical');
    const hot = msgsOf(seen, 'temperature.high').map((m) => m.payload);
    assert.deepEqual(hot.map((t) => t.id).sort(), [
      'temperature:disk:sata1',
      'temperature:disk:sata2',
      'temperature:system',
    ]);
    for (const t of hot) {
      assert.equal(t.high, true);
      assert.equal(t.threshold, 60);
      assert.equal(t.health, 'warning');
      assert.ok(t.celsius >= 60, `${t.id}: ${t.celsius} °C`);
      assert.equal(t.previous.high, false);
    }
    const system = hot.find((t) => t.id === 'temperature:system');
    assert.ok(system.problems.includes('DSM reports a temperature warning'), 'DSM flags 70 °C and more');
    const [update] = msgsOf(seen, 'system.update');
    assert.equal(update.payload.available, true);
    assert.equal(update.payload.previous.available, false);

    const told = seen.msgs.length;
    healthy();
    control().advanceClock(60 * 60_000);
    for (let i = 0; i < 3; i += 1) await poll();
    const recovered = seen.msgs.slice(told);
    assert.deepEqual(recovered.map((m) => m.topic).sort(), topics, 'each recovery once, on the same topic');
    for (const msg of recovered) {
      assert.equal(msg.payload.health, 'ok', `${msg.topic} ${msg.payload.id}`);
      assert.notEqual(msg.payload.previous.health, 'ok');
    }
    assert.equal(msgsOf(seen, 'disk.state').length, 0, 'the disk status never changed');
    assert.equal(seen.errors.length, 0);
  });

  it('a disk status change is disk.state; a status filter of critical passes the change and its recovery', async function () {
    const { seen, poll } = await load(watch({ statuses: 'critical' }));
    await seen.polls(1);
    control().setDiskHealth(DISK, { status: 'crashed' });
    control().setTemperatureRise(40); // warning only: filtered out
    await poll();
    await poll();
    assert.deepEqual(seen.topics(), ['disk.state']);
    assert.equal(seen.msgs[0].payload.status, 'crashed');
    healthy();
    await poll();
    assert.deepEqual(seen.topics(), ['disk.state', 'disk.state']);
    assert.equal(seen.msgs[1].payload.health, 'ok');
    assert.equal(seen.msgs[1].payload.previous.status, 'crashed');
  });

  it('temperature.high follows the threshold setting and msg.temperatureThreshold; bad thresholds are refused naming the field', async function () {
    // At rise 0 the simulator's temperatures stay between 32 and 44 °C.
    const { n1, seen, poll } = await load(watch({ temperatureThreshold: '50' }));
    await seen.polls(1);
    await poll();
    assert.deepEqual(seen.topics(), []);

    for (const [bad, pattern] of [
      [-5, /msg\.temperatureThreshold.*-5 °C is outside 20-100 °C/],
      ['hot', /msg\.temperatureThreshold.*"hot" is not a number of °C/],
      [{}, /msg\.temperatureThreshold.*must be a number of °C/],
    ]) {
      n1.receive({ temperatureThreshold: bad });
      await seen.until(() => seen.errors.length > 0, 'an error');
      const error = seen.errors.pop();
      assert.match(error.error.message, pattern);
    }

    n1.receive({ temperatureThreshold: 30 });
    await seen.polls(1);
    const hot = msgsOf(seen, 'temperature.high').map((m) => m.payload);
    assert.equal(hot.length, 3, 'every reading is at or above 30 °C');
    assert.ok(hot.every((t) => t.high && t.threshold === 30));
    await poll();
    assert.equal(msgsOf(seen, 'temperature.high').length, 3, 'told once');
  });

  for (const [value, pattern] of [
    ['-5', /temperatureThreshold.*-5 °C is outside 20-100 °C/],
    ['hot', /temperatureThreshold.*"hot" is not a number of °C/],
  ])
    it(`refuses a temperature threshold of ${value} at deploy, naming the field, and polls nothing`, async function () {
      const { seen } = await load(watch({ temperatureThreshold: value }));
      await seen.until(() => seen.errors.length > 0, 'the deploy error');
      assert.match(seen.errors[0].error.message, pattern);
      assert.equal(control().counters().loginAttempts, 0);
    });

  describe('first sight and restarts', function () {
    let contextDir;
    beforeEach(() => {
      contextDir = fs.mkdtempSync(path.join(os.tmpdir(), 'synoflow-health-context-'));
      persistentContext(contextDir);
    });
    afterEach(() => {
      persistentContext(undefined);
      fs.rmSync(contextDir, { recursive: true, force: true });
    });

    it('what is wrong when the watch starts is told once; a restart with a file context store does not tell it again', async function () {
      control().setVolumeStatus('degrade');
      control().setBackupResult(1, 'failed');
      control().finishBackupNow(1);
      const node = watch({ sources: 'health,backup' });
      let { seen, poll } = await load(node);
      await seen.polls(1);
      assert.deepEqual(seen.topics().sort(), ['backup.failed', 'volume.state']);
      assert.ok(seen.msgs.every((m) => m.payload.previous === null));
      await poll();
      assert.equal(seen.msgs.length, 2);

      await restartable();
      ({ seen, poll } = await load(node));
      await seen.polls(1);
      assert.deepEqual(seen.topics(), [], 'told before the restart: not again');
      healthy();
      control().advanceClock(60_000);
      control().finishBackupNow(1);
      await poll();
      assert.deepEqual(seen.topics().sort(), ['backup.finished', 'volume.state']);
      const volume = msgsOf(seen, 'volume.state')[0].payload;
      assert.equal(volume.health, 'ok');
      assert.equal(volume.previous.status, 'degrade', 'previous as kept in context');
    });
  });

  it('backup: started, finished, failed with DSM error, each run once; a good run after a failure is finished', async function () {
    const { seen, poll } = await load(watch({ sources: 'backup' }));
    await seen.polls(1);
    assert.deepEqual(seen.topics(), [], 'the last run went well');

    await system.startBackup(1);
    await poll();
    await poll();
    assert.deepEqual(seen.topics(), ['backup.started']);
    assert.equal(seen.msgs[0].payload.running, true);
    assert.equal(seen.msgs[0].payload.previous.running, false);

    control().advanceClock(BACKUP_RUN_MS);
    await poll();
    await poll();
    assert.deepEqual(seen.topics(), ['backup.started', 'backup.finished']);
    assert.equal(seen.msgs[1].payload.lastResult, 'done');

    control().setBackupResult(1, 'failed');
    control().advanceClock(60_000);
    control().finishBackupNow(1);
    await poll();
    await poll();
    assert.deepEqual(seen.topics().slice(2), ['backup.failed']);
    const failed = seen.msgs[2].payload;
    assert.equal(failed.lastResult, 'failed');
    assert.deepEqual(failed.error, {
      result: 'failed',
      message: 'SYNO.SDS.Backup.Application:error:status_target_broken',
      code: 4467,
    });
    assert.equal(failed.health, 'critical');

    control().setBackupResult(1, 'done');
    control().advanceClock(60_000);
    control().finishBackupNow(1);
    await poll();
    await poll();
    assert.deepEqual(seen.topics().slice(3), ['backup.finished']);
    assert.equal(seen.msgs[3].payload.previous.lastResult, 'failed');
    assert.equal(seen.errors.length, 0);
  });

  it('hibernating: watch.asleep once, no login and no Web API request; watch.awake once the disks wake', async function () {
    control().hibernate();
    const { seen, poll } = await load(watch({ sources: 'health,backup,download' }));
    await seen.polls(1);
    await poll();
    await poll();
    assert.deepEqual(seen.topics(), ['watch.asleep']);
    assert.match(seen.msgs[0].payload.reason, /disk_hibernation is true/);
    const counters = control().counters();
    assert.equal(counters.loginAttempts, 0, 'no login attempt');
    assert.deepEqual(counters.requests, {}, 'no Web API request');
    assert.equal(control().powerState().diskHibernation, true, 'the disks still sleep');
    assert.match(seen.statuses.at(-1).text, /disks asleep/);
    assert.equal(seen.statuses.at(-1).fill, 'grey');

    // Someone opens DSM: the disks wake.
    await client.call('SYNO.API.Info', 'query', { query: 'SYNO.API.Auth' });
    await poll();
    assert.deepEqual(seen.topics(), ['watch.asleep', 'watch.awake']);
    assert.ok(seen.msgs[1].payload.asleepMs >= 0);
    assert.equal(control().counters().loginAttempts, 1, 'one login once awake');
    assert.equal(seen.statuses.at(-1).fill, 'green');
    assert.equal(seen.errors.length, 0);
  });

  it('reboot: watch.offline with the reason while down and booting, no login meanwhile; watch.online after', async function () {
    const { seen, poll } = await load(watch({ sources: 'health,backup' }));
    await seen.polls(1);
    control().resetCounters();

    control().reboot({ downMs: 30_000, bootMs: 60_000 });
    await poll();
    assert.deepEqual(seen.topics(), ['watch.offline']);
    const offline = seen.msgs[0].payload;
    assert.equal(offline.state, 'down');
    assert.match(offline.reason, /DSM does not answer/);
    assert.equal(offline.error.kind, 'network');

    control().advanceClock(30_001);
    await poll();
    assert.deepEqual(seen.topics(), ['watch.offline'], 'still offline: told once');
    assert.match(seen.statuses.at(-1).text, /offline.*DSM is booting/);
    assert.equal(seen.statuses.at(-1).fill, 'red');
    assert.equal(control().counters().loginAttempts, 0, 'no login while down or booting');
    assert.deepEqual(control().counters().requests, {}, 'no Web API request while down or booting');

    control().advanceClock(60_000);
    await poll();
    assert.deepEqual(seen.topics(), ['watch.offline', 'watch.online']);
    assert.equal(control().counters().loginAttempts, 1, 'the lost session is replaced by one login');
    await poll();
    assert.deepEqual(seen.topics(), ['watch.offline', 'watch.online'], 'nothing changed across the reboot');
    assert.equal(seen.errors.length, 0);
  });
});
