'use strict';

const assert = require('node:assert/strict');
const { startSimulator } = require('..');

const unwrap = (file) => Object.values(require(`./fixtures/captures/${file}`))[0];
const INFO_CAPTURES = {
  dsm7: require('./fixtures/captures/query-all-dsm-7.2.2.json').data,
  dsm6: require('./fixtures/captures/dsm_6__const_6_api_info.json').DSM_6_API_INFO.data,
};
const STORAGE_DS918 = unwrap('dsm_6__storage__dsm_6_storage_storage_ds918_plus_raid5_3disks_1vol.json');
const STORAGE_DS213 = unwrap('dsm_6__storage__dsm_6_storage_storage_ds213_plus_shr1_2disks_2vols.json');
const SYSTEM_INFO = unwrap('dsm_6__core__dsm_6_core_system_ds918_plus.json');
const UTILIZATION = unwrap('dsm_6__core__dsm_6_core_utilization.json');
const UPGRADE_NONE = unwrap('dsm_6__core__dsm_6_core_upgrade_false.json');
const UPGRADE_OFFERED = {
  dsm6: unwrap('dsm_6__core__dsm_6_core_upgrade_true.json'),
  dsm7: unwrap('dsm_7__core__dsm_7_core_upgrade_true.json'),
};
const HEALTH_APIS = [
  'SYNO.Storage.CGI.Storage',
  'SYNO.Core.System',
  'SYNO.Core.System.Utilization',
  'SYNO.Core.System.Status',
  'SYNO.Core.Upgrade.Server',
];
const AUTH = { dsm7: 'entry.cgi', dsm6: 'auth.cgi' };

const keys = (object) => Object.keys(object).sort();
/** The real objects of a capture's list (the DS918+ file has `{id: "test_disk"}` stubs added by its test suite). */
const realOnes = (list) => list.filter((item) => Object.keys(item).length > 1);

function webapiUrl(sim, cgi, params) {
  const url = new URL(`/webapi/${cgi}`, sim.url);
  url.search = new URLSearchParams(params).toString();
  return url;
}

async function call(sim, cgi, params) {
  return (await fetch(webapiUrl(sim, cgi, params))).json();
}

async function login(sim) {
  const body = await call(sim, AUTH[sim.profile], {
    api: 'SYNO.API.Auth',
    version: '6',
    method: 'login',
    account: 'demo',
    passwd: 'synology',
    format: 'sid',
  });
  assert.equal(body.success, true, JSON.stringify(body));
  return body.data.sid;
}

function api(sim, sid, name, method, version, params = {}) {
  return call(sim, 'entry.cgi', { api: name, version: String(version), method, _sid: sid, ...params });
}

async function pingpong(sim) {
  const response = await fetch(new URL('/webman/pingpong.cgi?action=cors', sim.url));
  return { response, body: await response.json() };
}

for (const profile of ['dsm7', 'dsm6']) {
  describe(`NAS health simulator (${profile})`, function () {
    let sim;
    let sid;

    beforeEach(async function () {
      // Sessions outlive the clock jumps below.
      sim = await startSimulator({ profile, sessionTimeoutMs: 7 * 86_400_000 });
      sid = await login(sim);
    });

    afterEach(async function () {
      await sim.close();
    });

    it('advertises the health APIs exactly as the API.Info capture of its DSM', async function () {
      const body = await call(sim, profile === 'dsm7' ? 'entry.cgi' : 'query.cgi', {
        api: 'SYNO.API.Info',
        version: '1',
        method: 'query',
        query: HEALTH_APIS.join(','),
      });
      assert.deepEqual(keys(body.data), [...HEALTH_APIS].sort());
      for (const name of HEALTH_APIS) assert.deepEqual(body.data[name], INFO_CAPTURES[profile][name], name);
      assert.equal(body.data['SYNO.Core.Upgrade.Server'].maxVersion, profile === 'dsm7' ? 4 : 2);
    });

    it('answers Storage load_info with the keys of the captures and the volume -> pool -> disks links', async function () {
      const { success, data } = await api(sim, sid, 'SYNO.Storage.CGI.Storage', 'load_info', 1);
      assert.equal(success, true);
      assert.deepEqual(keys(data), keys(STORAGE_DS918.data));
      const [captureDisk] = realOnes(STORAGE_DS918.data.disks);
      const [capturePool] = STORAGE_DS918.data.storagePools;
      const [captureVolume] = realOnes(STORAGE_DS918.data.volumes);
      for (const disk of data.disks) assert.deepEqual(keys(disk), keys(captureDisk), disk.id);
      assert.deepEqual(keys(data.env), keys(STORAGE_DS918.data.env));
      assert.deepEqual(keys(data.env), keys(STORAGE_DS213.data.env));
      assert.equal(data.storagePools.length, 1);
      assert.equal(data.volumes.length, 1);
      const [pool] = data.storagePools;
      const [volume] = data.volumes;
      assert.deepEqual(keys(pool), keys(capturePool));
      assert.deepEqual(keys(pool.raids[0]), keys(capturePool.raids[0]));
      assert.deepEqual(keys(volume), keys(captureVolume));
      assert.deepEqual(keys(volume.size), keys(captureVolume.size));
      // Sizes are decimal strings, temperatures ints, bay_number a string, as captured.
      for (const size of [...Object.values(volume.size), ...Object.values(pool.size)])
        assert.match(size, /^\d+$/);
      for (const disk of data.disks) {
        assert.match(disk.size_total, /^\d+$/);
        assert.ok(Number.isInteger(disk.temp));
        assert.equal(disk.status, 'normal');
        assert.equal(disk.smart_status, 'normal');
      }
      assert.equal(typeof data.env.bay_number, 'string');
      // DSM 6 shape: the volume lists no disks; its pool_path names the pool, whose disks are the disk ids.
      assert.deepEqual(volume.disks, []);
      assert.equal(volume.id, 'volume_1');
      assert.equal(volume.pool_path, pool.id);
      assert.deepEqual(
        pool.disks,
        data.disks.map((disk) => disk.id),
      );
      for (const disk of data.disks) assert.equal(disk.used_by, pool.id);
      assert.deepEqual(
        data.disks.map((disk) => disk.id),
        profile === 'dsm7' ? ['sata1', 'sata2'] : ['sda', 'sdb'],
      );
      assert.equal(volume.status, 'normal');
      assert.equal(pool.status, 'normal');
    });

    it('answers Core.System info with the captured keys at v1-3', async function () {
      for (const version of [1, 2, 3]) {
        const { data } = await api(sim, sid, 'SYNO.Core.System', 'info', version);
        assert.deepEqual(keys(data), keys(SYSTEM_INFO.data), `v${version}`);
        assert.equal(typeof data.cpu_cores, 'string');
        assert.match(data.up_time, /^\d+:\d{1,2}:\d{1,2}$/);
        assert.match(data.support_esata, /^(yes|no)$/);
        assert.equal(data.model, profile === 'dsm7' ? 'DS220+' : 'DS218+');
      }
      const beyond = await api(sim, sid, 'SYNO.Core.System', 'info', 4);
      assert.deepEqual(beyond, { success: false, error: { code: 104 } });
    });

    it('has shutdown and reboot in Core.System v1-2 only: 103 in v3, as DSM 7.2 (HA #105845)', async function () {
      for (const method of ['shutdown', 'reboot']) {
        const v3 = await api(sim, sid, 'SYNO.Core.System', method, 3);
        assert.deepEqual(v3, { success: false, error: { code: 103 } }, method);
      }
      assert.equal(sim.control.powerState().phase, 'up');
      const v1 = await api(sim, sid, 'SYNO.Core.System', 'reboot', 1);
      assert.deepEqual(v1, { success: true });
      assert.equal(sim.control.powerState().phase, 'down');
    });

    it('answers Core.System.Utilization get with the captured keys', async function () {
      const { data } = await api(sim, sid, 'SYNO.Core.System.Utilization', 'get', 1);
      const capture = UTILIZATION.data;
      assert.deepEqual(keys(data), keys(capture));
      for (const part of ['cpu', 'memory', 'disk', 'space'])
        assert.deepEqual(keys(data[part]), keys(capture[part]), part);
      assert.deepEqual(keys(data.disk.disk[0]), keys(capture.disk.disk[0]));
      assert.deepEqual(keys(data.disk.total), keys(capture.disk.total));
      assert.deepEqual(keys(data.space.volume[0]), keys(capture.space.volume[0]));
      assert.deepEqual(keys(data.space.total), keys(capture.space.total));
      assert.deepEqual(keys(data.network[0]), keys(capture.network[0]));
      assert.equal(data.network[0].device, 'total');
      assert.equal(data.space.volume[0].display_name, 'volume1');
      assert.equal(data.memory.memory_size, 2048 * 1024);
    });

    it('drifts utilisation and temperatures over the simulator clock', async function () {
      const before = await api(sim, sid, 'SYNO.Core.System.Utilization', 'get', 1);
      const storageBefore = await api(sim, sid, 'SYNO.Storage.CGI.Storage', 'load_info', 1);
      const infoBefore = await api(sim, sid, 'SYNO.Core.System', 'info', 1);
      sim.control.advanceClock(25 * 60_000);
      const after = await api(sim, sid, 'SYNO.Core.System.Utilization', 'get', 1);
      const storageAfter = await api(sim, sid, 'SYNO.Storage.CGI.Storage', 'load_info', 1);
      const infoAfter = await api(sim, sid, 'SYNO.Core.System', 'info', 1);
      assert.notDeepEqual(after.data.cpu, before.data.cpu);
      assert.notDeepEqual(after.data.memory, before.data.memory);
      assert.ok(after.data.time >= before.data.time + 25 * 60);
      const temps = (storage, info) => [...storage.data.disks.map((disk) => disk.temp), info.data.sys_temp];
      assert.notDeepEqual(temps(storageAfter, infoAfter), temps(storageBefore, infoBefore));
      // The volume fills a little (~200 MB an hour).
      assert.ok(
        Number(storageAfter.data.volumes[0].size.used) > Number(storageBefore.data.volumes[0].size.used),
      );
    });

    it('answers Core.System.Status get {is_system_crashed, upgrade_ready}', async function () {
      const body = await api(sim, sid, 'SYNO.Core.System.Status', 'get', 1);
      assert.deepEqual(body, { success: true, data: { is_system_crashed: false, upgrade_ready: false } });
    });

    it('answers Upgrade.Server check as captured: none, then the update the control offers', async function () {
      const none = await api(sim, sid, 'SYNO.Core.Upgrade.Server', 'check', 1);
      assert.deepEqual(none, UPGRADE_NONE);
      sim.control.setUpdateAvailable(true);
      const maxVersion = profile === 'dsm7' ? 4 : 2;
      const offered = await api(sim, sid, 'SYNO.Core.Upgrade.Server', 'check', maxVersion);
      const capture = UPGRADE_OFFERED[profile].data.update;
      assert.deepEqual(keys(offered.data.update), keys(capture));
      assert.deepEqual(keys(offered.data.update.version_details), keys(capture.version_details));
      assert.match(offered.data.update.version, profile === 'dsm6' ? /^DSM 6\.\d/ : /^7\.\d/);
      assert.equal(offered.data.update.available, true);
    });

    it('reports a failed SMART, a degraded or crashed volume and a temperature rise set by the control', async function () {
      const load = async () => (await api(sim, sid, 'SYNO.Storage.CGI.Storage', 'load_info', 1)).data;
      const [first, second] = (await load()).disks.map((disk) => disk.id);
      sim.control.failDiskSmart(second);
      let data = await load();
      const failing = data.disks.find((disk) => disk.id === second);
      assert.equal(failing.smart_status, 'failing');
      assert.equal(failing.overview_status, 'failing');
      assert.equal(failing.status, 'normal');
      assert.equal(data.disks.find((disk) => disk.id === first).smart_status, 'normal');

      sim.control.setVolumeStatus('degrade');
      data = await load();
      assert.equal(data.volumes[0].status, 'degrade');
      assert.equal(data.storagePools[0].status, 'degrade');
      assert.equal(data.storagePools[0].disk_failure_number, 1);
      sim.control.setVolumeStatus('crashed');
      data = await load();
      assert.equal(data.volumes[0].status, 'crashed');
      assert.equal(data.volumes[0].is_writable, false);
      sim.control.setDiskHealth(first, { status: 'crashed', exceed_bad_sector_thr: true });
      data = await load();
      assert.equal(data.disks.find((disk) => disk.id === first).status, 'crashed');
      assert.equal(data.disks.find((disk) => disk.id === first).exceed_bad_sector_thr, true);
      assert.throws(() => sim.control.setDiskHealth('sdz', { status: 'normal' }), RangeError);
      assert.throws(() => sim.control.setDiskHealth(first, { exceed_bad_sector_thr: 'yes' }), TypeError);

      const cool = await api(sim, sid, 'SYNO.Core.System', 'info', 1);
      const coolDisks = data.disks.map((disk) => disk.temp);
      sim.control.setTemperatureRise(40);
      const hot = await api(sim, sid, 'SYNO.Core.System', 'info', 1);
      const hotDisks = (await load()).disks.map((disk) => disk.temp);
      assert.ok(
        Math.abs(hot.data.sys_temp - cool.data.sys_temp - 40) <= 1,
        `${cool.data.sys_temp} -> ${hot.data.sys_temp}`,
      );
      hotDisks.forEach((temp, index) => assert.ok(Math.abs(temp - coolDisks[index] - 40) <= 1));
      assert.equal(cool.data.temperature_warning, false);
      assert.equal(hot.data.temperature_warning, true);
      assert.equal(hot.data.sys_tempwarn, true);
    });

    it('answers pingpong without login: boot_done, disk_hibernation, ezid, CORS', async function () {
      const { response, body } = await pingpong(sim);
      assert.equal(response.status, 200);
      assert.equal(response.headers.get('access-control-allow-origin'), '*');
      assert.deepEqual(keys(body), ['boot_done', 'disk_hibernation', 'ezid', 'success']);
      assert.equal(body.success, true);
      assert.equal(body.boot_done, true);
      assert.equal(body.disk_hibernation, false);
      assert.match(body.ezid, /^[0-9a-f]{32}$/);
      assert.equal(sim.control.requestLog().filter((entry) => entry.path.includes('pingpong')).length, 0);
    });

    it('hibernates: pingpong says so (and does not wake the disks); a Web API call wakes them', async function () {
      sim.control.hibernate();
      assert.equal((await pingpong(sim)).body.disk_hibernation, true);
      assert.equal((await pingpong(sim)).body.disk_hibernation, true);
      await call(sim, 'query.cgi', { api: 'SYNO.API.Info', version: '1', method: 'query', query: 'all' });
      assert.equal((await pingpong(sim)).body.disk_hibernation, false);
      assert.equal(sim.control.powerState().diskHibernation, false);
    });

    it('reboots: down (connections dropped), then booting (pingpong boot_done false, /webapi 502), sessions lost (119)', async function () {
      sim.control.advanceClock(3_600_000);
      const uptimeBefore = (await api(sim, sid, 'SYNO.Core.System', 'info', 1)).data.up_time;
      assert.match(uptimeBefore, /^1:/);
      assert.deepEqual(await api(sim, sid, 'SYNO.Core.System', 'reboot', 2), { success: true });

      await assert.rejects(
        fetch(
          webapiUrl(sim, 'entry.cgi', { api: 'SYNO.DSM.Info', version: '2', method: 'getinfo', _sid: sid }),
        ),
      );
      await assert.rejects(pingpong(sim));

      sim.control.advanceClock(30_000);
      const booting = await pingpong(sim);
      assert.equal(booting.body.boot_done, false);
      assert.equal(booting.body.disk_hibernation, false);
      const during = await fetch(
        webapiUrl(sim, AUTH[profile], { api: 'SYNO.API.Auth', version: '6', method: 'login' }),
      );
      assert.equal(during.status, 502);
      assert.match(during.headers.get('content-type'), /^text\/html/);
      assert.equal(sim.control.powerState().phase, 'booting');

      sim.control.advanceClock(60_000);
      assert.equal((await pingpong(sim)).body.boot_done, true);
      const stale = await api(sim, sid, 'SYNO.Core.System', 'info', 1);
      assert.deepEqual(stale, { success: false, error: { code: 119 } });
      const fresh = await login(sim);
      const { up_time: upTime } = (await api(sim, fresh, 'SYNO.Core.System', 'info', 1)).data;
      assert.match(upTime, /^0:0:\d+$/);
    });

    it('shuts down (v1) and stays off until the control powers it on', async function () {
      assert.deepEqual(await api(sim, sid, 'SYNO.Core.System', 'shutdown', 1, { local: 'true' }), {
        success: true,
      });
      sim.control.advanceClock(24 * 3_600_000);
      assert.equal(sim.control.powerState().phase, 'off');
      await assert.rejects(pingpong(sim));
      sim.control.powerOn(10_000);
      assert.equal((await pingpong(sim)).body.boot_done, false);
      sim.control.advanceClock(10_000);
      assert.equal((await pingpong(sim)).body.boot_done, true);
      assert.deepEqual(await api(sim, sid, 'SYNO.Core.System', 'info', 1), {
        success: false,
        error: { code: 119 },
      });
    });
  });
}

describe('NAS health control over HTTP (/sim/)', function () {
  let sim;

  before(async function () {
    sim = await startSimulator();
  });

  after(async function () {
    await sim.close();
  });

  async function post(path, body = {}) {
    const response = await fetch(new URL(path, sim.url), { method: 'POST', body: JSON.stringify(body) });
    return { status: response.status, body: await response.json() };
  }

  it('sets disk, volume, temperature and update, and drives power', async function () {
    assert.equal((await post('/sim/health/disk/fail-smart', { id: 'sata1' })).status, 200);
    assert.equal((await post('/sim/health/disk', { id: 'sata2', status: 'crashed' })).status, 200);
    assert.equal((await post('/sim/health/volume', { status: 'has_acceptable_disk' })).status, 200);
    assert.equal((await post('/sim/health/temperature', { rise: 5 })).status, 200);
    assert.equal((await post('/sim/upgrade', { available: true })).status, 200);
    const sid = await login(sim);
    const { data } = await api(sim, sid, 'SYNO.Storage.CGI.Storage', 'load_info', 1);
    assert.equal(data.disks[0].smart_status, 'failing');
    assert.equal(data.disks[1].status, 'crashed');
    assert.equal(data.volumes[0].status, 'has_acceptable_disk');
    assert.equal((await api(sim, sid, 'SYNO.Core.Upgrade.Server', 'check', 1)).data.update.available, true);

    assert.equal((await post('/sim/power/hibernate')).status, 200);
    const power = await (await fetch(new URL('/sim/power', sim.url))).json();
    assert.equal(power.diskHibernation, true);
    assert.equal((await post('/sim/power/reboot', { downMs: 0, bootMs: 5000 })).status, 200);
    assert.equal((await pingpong(sim)).body.boot_done, false);
    sim.control.advanceClock(5000);
    assert.equal((await pingpong(sim)).body.boot_done, true);
    assert.equal((await post('/sim/power/shutdown')).status, 200);
    assert.equal((await post('/sim/power/on', { bootMs: 0 })).status, 200);
    assert.equal((await pingpong(sim)).body.boot_done, true);
  });

  it('refuses bad control input with 400 and a message naming the field', async function () {
    const cases = [
      ['/sim/health/disk', { id: 'nope', status: 'normal' }, /nope/],
      ['/sim/health/disk', { id: 'sata1', smart_status: 3 }, /smart_status/],
      ['/sim/health/volume', { status: '' }, /status/],
      ['/sim/health/temperature', { rise: 'hot' }, /celsius/],
      ['/sim/upgrade', { available: 'yes' }, /available/],
      ['/sim/power/reboot', { downMs: -1 }, /downMs/],
    ];
    for (const [path, body, message] of cases) {
      const answer = await post(path, body);
      assert.equal(answer.status, 400, path);
      assert.match(answer.body.error, message, path);
    }
  });
});
