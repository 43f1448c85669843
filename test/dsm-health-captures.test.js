'use strict';
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const {
  parseStorage,
  parseSystemInfo,
  parseUtilisation,
  parseUpdate,
  toBackupTask,
  needsStatus,
  DEFAULT_DISK_TEMPERATURE,
  HEALTHS,
} = require('../dist/dsm/api/system');

// Every health-related capture of py-synologydsm-api (DSM 5, 6, 7 shapes), as test/fixtures/captures/README.md lists.
const DIR = path.join(__dirname, 'fixtures', 'captures');
const captures = (pattern) =>
  fs
    .readdirSync(DIR)
    .filter((f) => pattern.test(f))
    .flatMap((file) =>
      Object.entries(JSON.parse(fs.readFileSync(path.join(DIR, file), 'utf8'))).map(([key, answer]) => ({
        file,
        key,
        answer,
      })),
    );
/** The data DSM answered: `data`, or the answer itself where DSM 5 sent no wrapper. */
const dataOf = (answer) => ('data' in answer ? answer.data : answer);

/** Every item: a stable id, a known health, problems exactly when not ok, the raw data kept. */
function checkItem(item, kind) {
  assert.equal(item.kind, kind);
  assert.match(item.id, /^[a-z]+(:.+)?$/);
  assert.ok(HEALTHS.includes(item.health), `${item.id}: health ${item.health}`);
  assert.ok(Array.isArray(item.problems));
  assert.equal(item.problems.length > 0, item.health !== 'ok', `${item.id}: ${item.health} ${item.problems}`);
}

describe('health parsers over every capture (DSM 5, 6, 7)', function () {
  it('finds every capture file it is meant to read', function () {
    assert.equal(captures(/storage__/).length, 5);
    assert.equal(captures(/_core_system_/).length, 3);
    assert.equal(captures(/utilization/).length, 3);
    assert.equal(captures(/upgrade_/).length, 4);
    assert.equal(captures(/backup/).length, 4);
  });

  for (const { file, key, answer } of captures(/storage__/)) {
    it(`storage ${key}: every disk, pool and volume, with raw strings and health`, function () {
      const storage = parseStorage(dataOf(answer), DEFAULT_DISK_TEMPERATURE);
      const data = dataOf(answer);
      assert.equal(storage.disks.length, data.disks.length, file);
      assert.equal(storage.volumes.length, data.volumes.length);
      assert.equal(storage.pools.length, (data.storagePools ?? []).length);
      assert.equal(storage.diskTemperatures.length, storage.disks.length);
      for (const disk of storage.disks) {
        checkItem(disk, 'disk');
        assert.equal(disk.id, `disk:${disk.raw.id}`);
        assert.equal(disk.status, disk.raw.status ?? '');
        assert.equal(disk.smartStatus, disk.raw.smart_status ?? '');
        if (disk.health === 'ok') {
          assert.equal(disk.status, 'normal');
          assert.ok(['normal', 'safe'].includes(disk.smartStatus), disk.smartStatus);
        }
      }
      for (const item of [...storage.pools, ...storage.volumes]) {
        checkItem(item, item.kind);
        assert.equal(item.status, item.raw.status ?? '');
        if (item.health === 'ok') assert.equal(item.status, 'normal');
      }
      // Every real volume names its disks: DSM 5 lists them on the volume, DSM 6 on the pool.
      for (const volume of storage.volumes.filter((v) => v.raw.vol_path)) {
        assert.ok(volume.diskIds.length > 0, `${volume.id} has no disks`);
        for (const id of volume.diskIds)
          assert.ok(
            storage.disks.some((d) => d.diskId === id),
            id,
          );
      }
      for (const t of storage.diskTemperatures) checkItem(t, 'temperature');
      assert.equal(storage.systemCrashed, false);
      assert.equal(storage.systemNeedsRepair, false);
    });
  }

  it('DSM 5: smart_status "safe" is ok, "90%" is unknown; the test suite\'s stub disk and volume are unknown', function () {
    const [{ answer }] = captures(/dsm_5__storage/);
    const storage = parseStorage(answer, DEFAULT_DISK_TEMPERATURE);
    const byId = Object.fromEntries(storage.disks.map((d) => [d.diskId, d]));
    assert.equal(byId.sdb.health, 'ok');
    assert.equal(byId.sdb.smartStatus, 'safe');
    assert.equal(byId.sda.health, 'unknown');
    assert.deepEqual(byId.sda.problems, ['smart_status is "90%", a value this client does not know']);
    assert.equal(byId.test_disk.health, 'unknown');
    const volumes = Object.fromEntries(storage.volumes.map((v) => [v.volumeId, v]));
    assert.equal(volumes.test_volume.health, 'unknown');
    assert.deepEqual(volumes.volume_1.diskIds, ['sda', 'sdb', 'sdc', 'sdd']);
    assert.equal(volumes.volume_1.poolId, null);
    assert.equal(volumes.volume_1.path, '/volume1');
    assert.equal(volumes.volume_1.usedBytes, 5719795761152);
  });

  it('DSM 6: the volume links to its pool and the pool to its disks; an expansion unit is its container', function () {
    const [{ answer }] = captures(/ds1515_plus/);
    const storage = parseStorage(answer.data, DEFAULT_DISK_TEMPERATURE);
    const [volume] = storage.volumes;
    assert.equal(volume.poolId, 'reuse_1');
    assert.equal(volume.diskIds.length, 10);
    assert.equal(storage.disks.find((d) => d.diskId === 'sdga').container, 'DX513-1');
    assert.equal(storage.pools[0].name, 'Storage Pool 1');
    assert.equal(storage.disks[0].model, 'WD40EFRX-68WT0N0');
    // 19.8 % free with DSM's warning level at 20 % (env.volume_full_warning 0.2).
    assert.equal(volume.health, 'warning');
    assert.deepEqual(volume.problems, ["19.8 % free, below DSM's warning level of 20 %"]);
  });

  it('DSM 6: a volume with less free space than env.volume_full_warning is a warning (DS213+: 8.1 % free, level 10 %)', function () {
    const [{ answer }] = captures(/ds213_plus/);
    const storage = parseStorage(answer.data, DEFAULT_DISK_TEMPERATURE);
    const volume1 = storage.volumes.find((v) => v.volumeId === 'volume_1');
    assert.equal(volume1.health, 'warning');
    assert.match(volume1.problems[0], /^8.1 % free, below DSM's warning level of 10 %$/);
    assert.equal(storage.volumes.find((v) => v.volumeId === 'volume_2').health, 'ok');
  });

  it('unknown and bad raw values are never ok', function () {
    const [{ answer }] = captures(/storage_ds918_plus/);
    const data = structuredClone(answer.data);
    const disk = data.disks.find((d) => d.id === 'sda');
    data.disks.find((d) => d.id === 'sdb').smart_status = 'failing';
    disk.status = 'some_new_status';
    data.disks.find((d) => d.id === 'sdc').exceed_bad_sector_thr = true;
    data.volumes.find((v) => v.id === 'volume_1').status = 'degrade';
    data.storagePools[0].status = 'crashed';
    const storage = parseStorage(data, DEFAULT_DISK_TEMPERATURE);
    const health = Object.fromEntries(
      [...storage.disks, ...storage.volumes, ...storage.pools].map((i) => [i.id, i.health]),
    );
    assert.deepEqual(health, {
      'disk:test_disk': 'unknown',
      'disk:sda': 'unknown',
      'disk:sdb': 'critical',
      'disk:sdc': 'warning',
      'volume:test_volume': 'unknown',
      'volume:volume_1': 'warning',
      'pool:reuse_1': 'critical',
    });
  });

  for (const { key, answer } of captures(/_core_system_/)) {
    it(`system ${key}: model, firmware, uptime, temperature and its flag`, function () {
      const { system, temperature } = parseSystemInfo(answer.data);
      checkItem(system, 'system');
      checkItem(temperature, 'temperature');
      if (key.includes('STORAGE')) {
        // type=storage_v2 is another answer: none of info's fields, so nothing is ok.
        assert.equal(system.health, 'unknown');
        assert.equal(temperature.health, 'unknown');
        return;
      }
      assert.equal(system.health, 'ok');
      assert.equal(system.temperatureWarning, false);
      assert.equal(temperature.celsius, answer.data.sys_temp);
      assert.match(system.firmware, /^DSM 6\.2\.3-25426/);
      assert.ok(system.uptimeSeconds > 0);
      assert.equal(system.cpuCores, Number(answer.data.cpu_cores));
    });
  }

  it('system: "289:31:54" is 1042314 s; a temperature warning flag is a warning, a crash critical', function () {
    const [{ answer }] = captures(/ds218_play/);
    assert.equal(parseSystemInfo(answer.data).system.uptimeSeconds, 289 * 3600 + 31 * 60 + 54);
    const warm = parseSystemInfo({ ...answer.data, sys_tempwarn: true });
    assert.equal(warm.system.health, 'warning');
    assert.equal(warm.temperature.health, 'warning');
    const crashed = parseSystemInfo(answer.data, { crashed: true, needsRepair: false });
    assert.equal(crashed.system.health, 'critical');
  });

  for (const { key, answer } of captures(/utilization/)) {
    it(`utilisation ${key}`, function () {
      if (!answer.success) {
        // DSM 6's error 1055 answer has no data: the client raises a DsmError; the parser of nothing says unknown.
        assert.equal(answer.error.code, 1055);
        assert.equal(parseUtilisation(undefined).health, 'unknown');
        return;
      }
      const u = parseUtilisation(answer.data);
      checkItem(u, 'utilisation');
      assert.equal(u.health, 'ok');
      const cpu = answer.data.cpu;
      assert.equal(u.cpu.percent, cpu.user_load + cpu.system_load + cpu.other_load);
      assert.equal(u.memory.totalBytes, answer.data.memory.memory_size * 1024);
      assert.equal(u.disks.length, answer.data.disk.disk.length);
      assert.deepEqual(
        u.volumes.map((v) => [v.device, v.name]),
        [['md2', 'volume1']],
      );
      assert.equal(u.measuredAt, answer.data.time * 1000);
    });
  }

  for (const { key, answer } of captures(/upgrade_/)) {
    it(`update ${key}`, function () {
      const update = parseUpdate(answer.data);
      checkItem(update, 'update');
      const offered = key.endsWith('TRUE');
      assert.equal(update.available, offered);
      assert.equal(update.health, offered ? 'warning' : 'ok');
      if (offered) assert.match(update.version, key.includes('DSM_6') ? /^DSM 6\.2\.3/ : /^7\.0\.1-42218/);
    });
  }
  it('update: an answer without update.available is unknown', function () {
    assert.equal(parseUpdate({}).health, 'unknown');
    assert.equal(parseUpdate({ update: { available: 'maybe' } }).health, 'unknown');
  });

  it('DSM 7 Hyper Backup: list + status of 7 tasks, results, times, errors, states', function () {
    const [{ answer: list }, { answer: statuses }] = captures(/hyperbackup/);
    const entries = list.data.task_list;
    const tasks = entries.map((e) => toBackupTask(e, statuses[String(e.task_id)]?.data));
    for (const t of tasks) checkItem(t, 'backup');
    const byId = Object.fromEntries(tasks.map((t) => [t.taskId, t]));
    assert.equal(byId[1].running, true);
    assert.equal(byId[1].health, 'ok');
    assert.equal(byId[5].lastResult, 'done');
    assert.equal(byId[5].lastSuccess, '2023/12/18 14:50');
    assert.equal(byId[5].nextRun, null);
    assert.equal(byId[5].health, 'ok');
    assert.equal(byId[6].nextRun, '2023/12/22 01:00');
    // The broken target: restore_only with the captured error string.
    assert.equal(byId[4].health, 'critical');
    assert.equal(byId[4].lastError, 'SYNO.SDS.Backup.Application:error:status_target_broken');
    assert.equal(byId[4].lastErrorCode, 4467);
    assert.equal(byId[7].state, 'error_detect');
    assert.equal(byId[7].health, 'critical');
    // The list alone (as the snapshot reads DSM 7) already carries the results.
    const fromList = entries.map((e) => toBackupTask(e));
    assert.equal(fromList.find((t) => t.taskId === 5).health, 'ok');
    assert.equal(fromList.find((t) => t.taskId === 7).health, 'critical');
    // A done last run: its end is the last success, no status needed; running ones get a status call.
    assert.equal(fromList.find((t) => t.taskId === 5).lastSuccess, '2023/12/18 14:51');
    assert.deepEqual(
      entries.filter(needsStatus).map((e) => e.task_id),
      [1, 2, 3],
    );
  });

  it('DSM 6 Hyper Backup list: no results in it, so each task is unknown until its status is read', function () {
    const [{ answer }] = captures(/dsm_6__backup/).filter((c) => c.key.endsWith('LIST'));
    const tasks = answer.data.task_list.map((e) => toBackupTask(e));
    assert.deepEqual(
      tasks.map((t) => [t.taskId, t.name, t.state, t.health]),
      [
        [1, 'Backup2Google', 'backupable', 'unknown'],
        [2, 'Backup2HiDrive', 'backupable', 'unknown'],
        [3, 'Backup2USB', 'backupable', 'unknown'],
      ],
    );
    assert.deepEqual(tasks[0].problems, ['last_bkp_result is missing: no result known']);
    assert.equal(answer.data.task_list.every(needsStatus), true);
    assert.equal(tasks[2].transferType, 'local');
  });

  it('backup results: failed is critical, cancel a warning, an unknown token unknown', function () {
    const base = { task_id: 1, name: 't', state: 'backupable', status: 'none' };
    const health = (last_bkp_result) => toBackupTask({ ...base, last_bkp_result }).health;
    assert.equal(health('done'), 'ok');
    assert.equal(health('failed'), 'critical');
    assert.equal(health('cancel'), 'warning');
    assert.equal(health('partial'), 'unknown');
  });
});
