'use strict';

const assert = require('node:assert/strict');
const { startSimulator } = require('..');

const HB7 = require('./fixtures/captures/dsm_7__hyperbackup__const_7_hyperbackup.json');
const HB6 = require('./fixtures/captures/dsm_6__backup__const_6_backup_task.json');
const INFO7 = require('./fixtures/captures/query-all-dsm-7.2.2.json').data;
const INFO6 = require('./fixtures/captures/dsm_6__const_6_api_info.json').DSM_6_API_INFO.data;
const INFO6_WITH_BACKUP = require('./fixtures/captures/dsm_6__surveillance_station__const_6_api_info.json')
  .DSM_6_API_INFO.data;

const LIST7 = HB7.DSM_7_HYPERBACKUP_LIST.data;
/** The capture's scheduled task ("Idle with schedule" lists no schedule: that file was partly put together by hand). */
const SCHEDULED7 = LIST7.task_list.find((task) => task.task_id === 7);
const IDLE_STATUS7 = HB7.DSM_7_STATUSES['6'].data;
const RUNNING_STATUS7 = HB7.DSM_7_STATUSES['2'].data;
const LIST6 = HB6.DSM_6_BACKUP_TASK_LIST.data;
const MINUTE = 60_000;

const keys = (object) => Object.keys(object).sort();

async function call(sim, cgi, params) {
  const url = new URL(`/webapi/${cgi}`, sim.url);
  url.search = new URLSearchParams(params).toString();
  return (await fetch(url)).json();
}

async function login(sim) {
  const body = await call(sim, sim.profile === 'dsm7' ? 'entry.cgi' : 'auth.cgi', {
    api: 'SYNO.API.Auth',
    version: '6',
    method: 'login',
    account: 'demo',
    passwd: 'synology',
    format: 'sid',
  });
  return body.data.sid;
}

function backupApi(sim, sid, method, params = {}, version = 1) {
  return call(sim, 'entry.cgi', {
    api: 'SYNO.Backup.Task',
    version: String(version),
    method,
    _sid: sid,
    ...params,
  });
}

/** ms until the next 03:00 UTC on the simulator clock (the default task's schedule). */
function untilNextRun(sim) {
  const now = new Date(sim.control.now());
  let next = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate(), 3, 0);
  if (next <= now.getTime()) next += 86_400_000;
  return next - now.getTime();
}

async function infoQuery(sim, cgi) {
  return (
    await call(sim, cgi, { api: 'SYNO.API.Info', version: '1', method: 'query', query: 'SYNO.Backup.Task' })
  ).data;
}

describe('Hyper Backup simulator: API.Info per profile', function () {
  it('dsm7 advertises SYNO.Backup.Task as the DSM 7.2.2 capture', async function () {
    const sim = await startSimulator();
    try {
      assert.deepEqual(await infoQuery(sim, 'entry.cgi'), { 'SYNO.Backup.Task': INFO7['SYNO.Backup.Task'] });
      sim.control.setHyperBackupInstalled(false);
      assert.deepEqual(await infoQuery(sim, 'entry.cgi'), {});
      const sid = await login(sim);
      assert.deepEqual(await backupApi(sim, sid, 'list'), { success: false, error: { code: 102 } });
    } finally {
      await sim.close();
    }
  });

  it('dsm6 has no Hyper Backup by default (as its capture); installed, it is listed as on a DSM 6 box with it', async function () {
    assert.equal(INFO6['SYNO.Backup.Task'], undefined);
    const sim = await startSimulator({ profile: 'dsm6' });
    try {
      assert.deepEqual(await infoQuery(sim, 'query.cgi'), {});
      sim.control.setHyperBackupInstalled(true);
      assert.deepEqual(await infoQuery(sim, 'query.cgi'), {
        'SYNO.Backup.Task': INFO6_WITH_BACKUP['SYNO.Backup.Task'],
      });
    } finally {
      await sim.close();
    }
    const installed = await startSimulator({ profile: 'dsm6', hyperBackup: true });
    try {
      assert.ok((await infoQuery(installed, 'query.cgi'))['SYNO.Backup.Task']);
    } finally {
      await installed.close();
    }
  });
});

for (const profile of ['dsm7', 'dsm6']) {
  describe(`Hyper Backup simulator (${profile})`, function () {
    let sim;
    let sid;

    beforeEach(async function () {
      sim = await startSimulator({ profile, hyperBackup: true, sessionTimeoutMs: 7 * 86_400_000 });
      sid = await login(sim);
    });

    afterEach(async function () {
      await sim.close();
    });

    it('lists its task with the captured keys (v1 and v2)', async function () {
      for (const version of [1, 2]) {
        const { success, data } = await backupApi(sim, sid, 'list', {}, version);
        assert.equal(success, true);
        const capture = profile === 'dsm7' ? LIST7 : LIST6;
        assert.deepEqual(keys(data), keys(capture));
        assert.equal(data.total, data.task_list.length);
        const [task] = data.task_list;
        const captureTask = profile === 'dsm7' ? SCHEDULED7 : LIST6.task_list[0];
        assert.deepEqual(keys(task), keys(captureTask));
        assert.equal(task.task_id, 1);
        assert.equal(task.state, 'backupable');
        assert.equal(task.status, 'none');
        assert.equal(typeof task.data_enc, 'boolean');
        assert.equal(typeof data.is_restoring, 'boolean');
        if (profile === 'dsm7') {
          assert.deepEqual(keys(task.schedule), keys(SCHEDULED7.schedule));
          assert.deepEqual(keys(task.schedule.schedule), keys(SCHEDULED7.schedule.schedule));
          assert.equal(task.last_bkp_result, 'done');
          assert.match(task.next_bkp_time, /^\d{4}\/\d{2}\/\d{2} 03:00$/);
        }
      }
    });

    it('answers status with the captured keys, idle and running', async function () {
      const idle = await backupApi(sim, sid, 'status', { task_id: '1' });
      assert.deepEqual(keys(idle.data), keys(IDLE_STATUS7));
      assert.equal(idle.data.last_bkp_result, 'done');
      assert.equal(idle.data.last_bkp_error_code, 4401);
      assert.match(idle.data.last_bkp_time, /^\d{4}\/\d{2}\/\d{2} \d{2}:\d{2}$/);

      assert.deepEqual(await backupApi(sim, sid, 'backup', { task_id: '1' }), { success: true });
      sim.control.advanceClock(5 * MINUTE);
      const running = await backupApi(sim, sid, 'status', {
        task_id: 1,
        blOnline: 'false',
        additional: '["last_bkp_time","next_bkp_time","last_bkp_result","is_modified","last_bkp_progress"]',
      });
      assert.deepEqual(keys(running.data), keys(RUNNING_STATUS7));
      assert.deepEqual(keys(running.data.progress), keys(RUNNING_STATUS7.progress));
      assert.equal(running.data.status, 'backup');
      assert.equal(running.data.last_bkp_result, 'backingup');
      assert.equal(running.data.progress.progress, 50);
      assert.equal(running.data.last_bkp_progress, 50);
      assert.match(running.data.progress.total_size, /^\d+$/);
    });

    it('runs on its schedule over the simulator clock and succeeds by default', async function () {
      const before = (await backupApi(sim, sid, 'status', { task_id: 1 })).data;
      sim.control.advanceClock(untilNextRun(sim) + MINUTE);
      const running = (await backupApi(sim, sid, 'status', { task_id: 1 })).data;
      assert.equal(running.status, 'backup');
      assert.equal(running.last_bkp_result, 'backingup');
      assert.equal(running.last_bkp_time, before.next_bkp_time);
      sim.control.advanceClock(10 * MINUTE);
      const done = (await backupApi(sim, sid, 'status', { task_id: 1 })).data;
      assert.equal(done.status, 'none');
      assert.equal(done.last_bkp_result, 'done');
      assert.equal(done.last_bkp_time, before.next_bkp_time);
      assert.equal(done.last_bkp_success_time, done.last_bkp_end_time);
      assert.notEqual(done.next_bkp_time, before.next_bkp_time);
      assert.ok(done.last_bkp_end_time > before.last_bkp_end_time);
    });

    it('fails or succeeds as the control says', async function () {
      sim.control.setBackupResult(1, 'failed');
      sim.control.advanceClock(untilNextRun(sim) + 11 * MINUTE);
      const failed = (await backupApi(sim, sid, 'status', { task_id: 1 })).data;
      assert.equal(failed.last_bkp_result, 'failed');
      assert.equal(failed.last_bkp_error_code, 4467);
      assert.match(failed.last_bkp_error, /status_target_broken/);
      assert.notEqual(failed.last_bkp_success_time, failed.last_bkp_end_time);

      sim.control.setBackupResult(1, 'done');
      sim.control.finishBackupNow(1);
      const good = (await backupApi(sim, sid, 'status', { task_id: 1 })).data;
      assert.equal(good.last_bkp_result, 'done');
      assert.equal(good.last_bkp_error, '');
      assert.equal(good.last_bkp_success_time, good.last_bkp_end_time);
      assert.throws(() => sim.control.setBackupResult(9, 'done'), RangeError);
    });

    it('backup and cancel act on the task; out of turn they answer 4400', async function () {
      assert.deepEqual(await backupApi(sim, sid, 'backup', { task_id: 1 }), { success: true });
      assert.deepEqual(await backupApi(sim, sid, 'backup', { task_id: 1 }), {
        success: false,
        error: { code: 4400 },
      });
      assert.deepEqual(await backupApi(sim, sid, 'cancel', { task_id: 1 }), { success: true });
      const cancelled = (await backupApi(sim, sid, 'status', { task_id: 1 })).data;
      assert.equal(cancelled.status, 'none');
      assert.equal(cancelled.last_bkp_result, 'cancel');
      assert.deepEqual(await backupApi(sim, sid, 'cancel', { task_id: 1 }), {
        success: false,
        error: { code: 4400 },
      });
      assert.deepEqual(await backupApi(sim, sid, 'status', { task_id: 42 }), {
        success: false,
        error: { code: 4400 },
      });
      assert.deepEqual(await backupApi(sim, sid, 'status'), { success: false, error: { code: 114 } });
      assert.deepEqual(await backupApi(sim, sid, 'status', { task_id: 'abc' }), {
        success: false,
        error: { code: 120 },
      });
    });
  });
}

describe('Hyper Backup control over HTTP (/sim/)', function () {
  it('installs, sets the result and finishes a run', async function () {
    const sim = await startSimulator({ profile: 'dsm6' });
    try {
      const post = (path, body) =>
        fetch(new URL(path, sim.url), { method: 'POST', body: JSON.stringify(body) });
      assert.equal((await post('/sim/hyper-backup', { installed: true })).status, 200);
      assert.equal((await post('/sim/hyper-backup/result', { taskId: 1, result: 'failed' })).status, 200);
      assert.equal((await post('/sim/hyper-backup/finish', { taskId: 1 })).status, 200);
      const sid = await login(sim);
      assert.equal((await backupApi(sim, sid, 'status', { task_id: 1 })).data.last_bkp_result, 'failed');
      assert.equal((await post('/sim/hyper-backup', { installed: 'yes' })).status, 400);
      assert.equal((await post('/sim/hyper-backup/result', { taskId: 1, result: '' })).status, 400);
      assert.equal((await post('/sim/hyper-backup/finish', { taskId: 7 })).status, 400);
    } finally {
      await sim.close();
    }
  });
});
