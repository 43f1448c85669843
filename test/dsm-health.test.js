'use strict';
const assert = require('node:assert/strict');
const { DsmClient, DsmSystem, DsmError } = require('../dist');
const { startSimulator, demo } = require('./support/sim');

const PARTS = ['SYNO.Storage.CGI.Storage', 'SYNO.Core.System', 'SYNO.Core.System.Utilization'];
const DOWN_MS = 30_000;
const BOOT_MS = 60_000;

async function rejects(promise, check) {
  await assert.rejects(promise, (err) => {
    assert.ok(err instanceof DsmError, String(err));
    check(err);
    return true;
  });
}

const healthOf = (snapshot) => Object.fromEntries(snapshot.items.map((i) => [i.id, i.health]));

for (const profile of ['dsm7', 'dsm6']) {
  const dsm7 = profile === 'dsm7';
  const [disk1, disk2] = dsm7 ? ['sata1', 'sata2'] : ['sda', 'sdb'];

  describe(`DsmSystem health against the simulator (${profile})`, function () {
    let sim;
    let client;
    let system;
    const requests = (api) => sim.control.counters().requests[api] ?? 0;
    const calls = (name) => sim.control.counters().methods[name] ?? 0;

    before(async () => {
      sim = await startSimulator({ port: 0, profile });
    });
    after(async () => sim.close());
    beforeEach(() => {
      client = new DsmClient({ url: sim.url, username: demo.username, password: demo.password });
      system = new DsmSystem(client);
      sim.control.resetCounters();
      sim.control.clearRequestLog();
    });
    afterEach(async () => {
      await client.close();
      sim.control.clearFaults();
      sim.control.setVolumeStatus('normal');
      for (const id of [disk1, disk2])
        sim.control.setDiskHealth(id, {
          status: 'normal',
          smart_status: 'normal',
          overview_status: 'normal',
        });
      sim.control.setTemperatureRise(0);
      sim.control.setUpdateAvailable(false);
    });

    it('takes the whole snapshot in one request per API, every item ok with stable ids', async function () {
      const snapshot = await system.snapshot();
      for (const api of [...PARTS, 'SYNO.Core.Upgrade.Server']) assert.equal(requests(api), 1, api);
      assert.equal(calls('SYNO.Backup.Task.list'), dsm7 ? 1 : 0);
      assert.equal(calls('SYNO.Backup.Task.status'), 0);
      assert.equal(snapshot.health, 'ok', JSON.stringify(snapshot.items.filter((i) => i.health !== 'ok')));
      assert.deepEqual(
        snapshot.items.map((i) => i.id),
        [
          'system',
          'volume:volume_1',
          'pool:reuse_1',
          `disk:${disk1}`,
          `disk:${disk2}`,
          'temperature:system',
          `temperature:disk:${disk1}`,
          `temperature:disk:${disk2}`,
          'utilisation',
          'update',
          ...(dsm7 ? ['backup:1'] : []),
        ],
      );
      assert.equal(snapshot.system.model, dsm7 ? 'DS220+' : 'DS218+');
      assert.deepEqual(snapshot.volumes[0].diskIds, [disk1, disk2]);
      assert.equal(snapshot.volumes[0].raidType, 'raid_1');
      assert.equal(snapshot.volumes[0].path, '/volume1');
      assert.equal(snapshot.disks[0].raw.id, disk1);
      assert.equal(snapshot.utilisation.memory.percent > 0, true);
      assert.equal(snapshot.update.available, false);
      if (dsm7) {
        const [task] = snapshot.backups;
        assert.equal(task.name, 'Nightly backup');
        assert.equal(task.lastResult, 'done');
        assert.match(task.lastSuccess, /^\d{4}\/\d\d\/\d\d \d\d:\d\d$/);
        assert.match(task.nextRun, /^\d{4}\/\d\d\/\d\d 03:00$/);
        assert.deepEqual(snapshot.notes, []);
      } else {
        assert.deepEqual(snapshot.backups, []);
        assert.deepEqual(snapshot.notes, ['Hyper Backup is not installed or is stopped: no backup tasks']);
      }
    });

    it('reads one part with only the request it needs', async function () {
      const part = await system.read(['volumes']);
      assert.equal(requests('SYNO.Storage.CGI.Storage'), 1);
      for (const api of PARTS.slice(1)) assert.equal(requests(api), 0, api);
      assert.deepEqual(Object.keys(part).sort(), ['health', 'items', 'notes', 'takenAt', 'volumes']);
      assert.deepEqual(
        part.items.map((i) => i.id),
        ['volume:volume_1'],
      );
    });

    it('a degraded volume is a warning, a crashed one critical (pool too)', async function () {
      sim.control.setVolumeStatus('degrade');
      let snapshot = await system.read(['volumes', 'pools']);
      assert.equal(snapshot.volumes[0].status, 'degrade');
      assert.deepEqual(healthOf(snapshot), { 'volume:volume_1': 'warning', 'pool:reuse_1': 'warning' });
      assert.ok(snapshot.volumes[0].problems.includes('status is "degrade"'));
      assert.equal(snapshot.health, 'warning');
      sim.control.setVolumeStatus('crashed');
      snapshot = await system.read(['volumes', 'pools']);
      assert.deepEqual(healthOf(snapshot), { 'volume:volume_1': 'critical', 'pool:reuse_1': 'critical' });
      assert.ok(snapshot.volumes[0].problems.includes('is_writable is false'));
      sim.control.setVolumeStatus('rebuilding_someday');
      snapshot = await system.read(['volumes']);
      assert.equal(snapshot.volumes[0].health, 'unknown');
    });

    it('a SMART failure makes the disk critical though its status stays "normal"', async function () {
      sim.control.failDiskSmart(disk2);
      const snapshot = await system.read(['disks']);
      const disk = snapshot.disks.find((d) => d.diskId === disk2);
      assert.equal(disk.status, 'normal');
      assert.equal(disk.smartStatus, 'failing');
      assert.equal(disk.health, 'critical');
      assert.deepEqual(disk.problems, ['smart_status is "failing"', 'overview_status is "failing"']);
      assert.equal(snapshot.disks.find((d) => d.diskId === disk1).health, 'ok');
      assert.equal(snapshot.health, 'critical');
    });

    it("a temperature rise: DSM's system flag is a warning, hot disks by the limits given", async function () {
      sim.control.setTemperatureRise(40);
      const snapshot = await system.read(['temperatures', 'system']);
      const byId = Object.fromEntries(snapshot.temperatures.map((t) => [t.id, t]));
      assert.ok(byId['temperature:system'].celsius >= 70);
      assert.equal(byId['temperature:system'].health, 'warning');
      assert.equal(snapshot.system.temperatureWarning, true);
      assert.equal(snapshot.system.health, 'warning');
      assert.ok(byId[`temperature:disk:${disk1}`].celsius >= 65);
      assert.equal(byId[`temperature:disk:${disk1}`].health, 'critical');
      const lenient = await system.read(['temperatures'], { diskTemperature: { warning: 90, critical: 95 } });
      assert.equal(lenient.temperatures.find((t) => t.source === disk1).health, 'ok');
    });

    it('an offered DSM update is a warning with its version', async function () {
      sim.control.setUpdateAvailable(true);
      const { update } = await system.read(['update']);
      assert.equal(update.available, true);
      assert.equal(update.health, 'warning');
      assert.match(update.version, dsm7 ? /^7\.2\.2-72806 Update 4$/ : /^DSM 6\.2\.4-25556 Update 7$/);
    });

    it('a part DSM refuses becomes an unknown source item and a note; the rest is read', async function () {
      sim.control.injectFault({ api: 'SYNO.Core.System.Utilization', code: 1055 });
      const snapshot = await system.snapshot();
      assert.equal(snapshot.utilisation, null);
      assert.equal(snapshot.volumes.length, 1);
      const source = snapshot.items.find((i) => i.id === 'source:utilisation');
      assert.equal(source.health, 'unknown');
      assert.match(source.problems[0], /SYNO\.Core\.System\.Utilization\.get: .*DSM error 1055/);
      assert.equal(snapshot.health, 'unknown');
      assert.ok(
        snapshot.notes.some((n) => n.startsWith('utilisation: ')),
        String(snapshot.notes),
      );
    });

    it('ping: up without logging in, and without counting any /webapi request', async function () {
      const result = await system.ping();
      assert.deepEqual(result, {
        state: 'up',
        bootDone: true,
        diskHibernation: false,
        reason: 'DSM answered',
      });
      assert.deepEqual(sim.control.counters().requests, {});
      assert.equal(client.state, 'idle');
    });

    it('ping: hibernating disks stay asleep for ping; a snapshot wakes them', async function () {
      sim.control.hibernate();
      assert.equal((await system.ping()).state, 'hibernating');
      assert.equal((await system.ping()).state, 'hibernating');
      assert.equal(sim.control.powerState().diskHibernation, true);
      await system.read(['update']);
      assert.equal((await system.ping()).state, 'up');
    });

    it('ping across a reboot: down, then booting (a snapshot meets HTTP 502), then up with a new session', async function () {
      await system.read(['system']);
      sim.control.reboot({ downMs: DOWN_MS, bootMs: BOOT_MS });
      const down = await system.ping();
      assert.equal(down.state, 'down');
      assert.match(down.reason, /^E[A-Z]+$/);
      await rejects(system.read(['system']), (err) => assert.equal(err.kind, 'network'));
      sim.control.advanceClock(DOWN_MS + 1);
      assert.deepEqual(await system.ping(), {
        state: 'booting',
        bootDone: false,
        diskHibernation: false,
        reason: 'boot_done is false',
      });
      await rejects(system.read(['system']), (err) => {
        assert.equal(err.code, 'HTTP_502');
        assert.match(err.hint, /while it starts or restarts/);
      });
      sim.control.advanceClock(BOOT_MS);
      assert.equal((await system.ping()).state, 'up');
      const { system: info } = await system.read(['system']);
      assert.ok(info.uptimeSeconds < 5, String(info.uptimeSeconds));
    });

    it('ping: down while shut down, booting after power on', async function () {
      sim.control.shutdown();
      assert.equal((await system.ping()).state, 'down');
      sim.control.advanceClock(10 * 60_000);
      assert.equal((await system.ping()).state, 'down');
      sim.control.powerOn(BOOT_MS);
      assert.equal((await system.ping()).state, 'booting');
      sim.control.advanceClock(BOOT_MS);
      assert.equal((await system.ping()).state, 'up');
    });

    it('rebootNas sends reboot at version 2 (version 3 lacks it); the NAS goes down', async function () {
      await system.rebootNas();
      const sent = sim.control.requestLog().filter((r) => r.method === 'reboot');
      assert.deepEqual(
        sent.map((r) => [r.api, r.version, r.errorCode]),
        [['SYNO.Core.System', 2, undefined]],
      );
      assert.equal((await system.ping()).state, 'down');
      sim.control.advanceClock(DOWN_MS + BOOT_MS + 1);
      assert.equal((await system.ping()).state, 'up');
    });

    it('shutdownNas sends shutdown at version 2; the NAS stays off until powered on', async function () {
      await system.shutdownNas();
      const [sent] = sim.control.requestLog().filter((r) => r.method === 'shutdown');
      assert.equal(sent.version, 2);
      assert.equal(sim.control.powerState().phase, 'off');
      sim.control.powerOn(0);
      assert.equal((await system.ping()).state, 'up');
    });

    it('refuses reboot on a DSM that serves SYNO.Core.System from version 3 only, sending nothing', async function () {
      const info = await client.apiInfo();
      client.apiInfo = async () => ({
        ...info,
        'SYNO.Core.System': { ...info['SYNO.Core.System'], minVersion: 3, maxVersion: 3 },
      });
      await rejects(system.rebootNas(), (err) => {
        assert.equal(err.code, 104);
        assert.match(err.message, /reboot exists only in versions 1-2/);
      });
      assert.equal(calls('SYNO.Core.System.reboot'), 0);
    });

    it('refuses bad inputs naming them, sending nothing', async function () {
      await rejects(system.startBackup(''), (err) => assert.match(err.message, /^task: is empty/));
      await rejects(system.startBackup({}), (err) =>
        assert.match(err.message, /^task: must be a task id or name/),
      );
      await rejects(system.cancelBackup(-1), (err) => assert.match(err.message, /^task: /));
      await rejects(
        Promise.resolve().then(() => system.read(['nope'])),
        (err) => assert.match(err.message, /^parts: must be a list of volumes/),
      );
      await rejects(system.read(['disks'], { diskTemperature: { warning: 'hot' } }), (err) =>
        assert.match(err.message, /^diskTemperature\.warning: must be a number/),
      );
      assert.deepEqual(sim.control.counters().requests, {});
    });

    if (dsm7) {
      it("starts a backup by name (running, with progress), a failing run ends critical with DSM's error", async function () {
        sim.control.setBackupResult(1, 'failed');
        const started = await system.startBackup('Nightly backup');
        assert.equal(calls('SYNO.Backup.Task.backup'), 1);
        assert.equal(started.running, true);
        assert.equal(started.status, 'backup');
        assert.equal(started.lastResult, 'backingup');
        assert.equal(started.health, 'ok');
        assert.equal(typeof started.progress, 'number');
        await rejects(system.startBackup(1), (err) => {
          assert.equal(err.code, 4400);
          assert.match(err.message, /not in a state for this/);
        });
        sim.control.finishBackupNow(1);
        const [task] = await system.backups();
        assert.equal(task.lastResult, 'failed');
        assert.equal(task.health, 'critical');
        assert.equal(task.lastError, 'SYNO.SDS.Backup.Application:error:status_target_broken');
        assert.deepEqual(task.problems, [
          'last_bkp_result is "failed"',
          'last_bkp_error is "SYNO.SDS.Backup.Application:error:status_target_broken"',
        ]);
        sim.control.setBackupResult(1, 'done');
        await system.startBackup(1);
        sim.control.finishBackupNow(1);
        assert.equal((await system.backup(1)).health, 'ok');
      });

      it('cancels a running backup: the run ends "cancel", a warning; cancel of an idle task is refused', async function () {
        await system.startBackup(1);
        const cancelled = await system.cancelBackup({ taskId: 1 });
        assert.equal(cancelled.running, false);
        assert.equal(cancelled.lastResult, 'cancel');
        assert.equal(cancelled.health, 'warning');
        await rejects(system.cancelBackup(1), (err) => assert.equal(err.code, 4400));
      });

      it('an unknown task is refused naming it and the tasks there are, nothing started', async function () {
        await rejects(system.startBackup('Weekly'), (err) => {
          assert.equal(err.kind, 'input');
          assert.equal(err.message, 'task: no Hyper Backup task "Weekly" (tasks: 1 "Nightly backup")');
        });
        await rejects(system.startBackup(7), (err) =>
          assert.match(err.message, /^task: no Hyper Backup task 7 /),
        );
        assert.equal(calls('SYNO.Backup.Task.backup'), 0);
      });
    } else {
      it('without Hyper Backup, a backup action says it is not installed', async function () {
        await rejects(system.startBackup(1), (err) => {
          assert.equal(err.code, 102);
          assert.equal(err.reason, 'Hyper Backup is not installed or is stopped on this NAS');
        });
      });

      it("with Hyper Backup, DSM 6's list lacks results: one status per task gives them", async function () {
        sim.control.setHyperBackupInstalled(true);
        try {
          const [task] = await system.backups();
          assert.equal(calls('SYNO.Backup.Task.list'), 1);
          assert.equal(calls('SYNO.Backup.Task.status'), 1);
          assert.equal(task.lastResult, 'done');
          assert.equal(task.health, 'ok');
          assert.ok(task.raw.status);
          sim.control.setBackupResult(1, 'failed');
          await system.startBackup('Nightly backup');
          sim.control.finishBackupNow(1);
          assert.equal((await system.snapshot()).items.find((i) => i.id === 'backup:1').health, 'critical');
        } finally {
          sim.control.setBackupResult(1, 'done');
          sim.control.setHyperBackupInstalled(false);
        }
      });
    }
  });
}
