'use strict';

const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { spawn } = require('node:child_process');
const { startSimulator } = require('..');
const { demoSid } = require('./support/login');

const SCHEMAS = Object.fromEntries(
  [
    'list_conn',
    'list_sess',
    'get_log',
    'get_recently_change',
    'get_property',
    'get_connection_setting',
    'get_selective_sync_config',
  ].map((method) => [method, require(`./fixtures/captures/SYNO.CloudSync-${method}.json`)]),
);
const API_INFO_CAPTURES = {
  dsm7: require('./fixtures/captures/query-all-dsm-7.2.2.json').data['SYNO.CloudSync'],
  dsm6: require('./fixtures/captures/dsm_6__surveillance_station__const_6_api_info.json').DSM_6_API_INFO.data[
    'SYNO.CloudSync'
  ],
};
const AUTH = { dsm7: { cgi: 'entry.cgi', version: '7' }, dsm6: { cgi: 'auth.cgi', version: '6' } };
const PASS_MS = 5_000;
const PERIOD_MS = 60_000;

/**
 * Checks a value against one of mikespub's JSON schemas: types, required keys, and no key the schema does not
 * name. `nullable` lists property paths DSM also sends as null (list_conn's notification in N4S4's example).
 */
function assertSchema(value, schema, where = 'data', nullable = []) {
  if (value === null && nullable.includes(where)) return;
  const type = schema.type;
  if (type === 'object') {
    assert.ok(value && typeof value === 'object' && !Array.isArray(value), `${where} is an object`);
    for (const key of schema.required ?? []) assert.ok(key in value, `${where}.${key} is present`);
    for (const key of Object.keys(value)) {
      assert.ok(schema.properties && key in schema.properties, `${where}.${key} is in the schema`);
      assertSchema(value[key], schema.properties[key], `${where}.${key}`, nullable);
    }
  } else if (type === 'array') {
    assert.ok(Array.isArray(value), `${where} is an array`);
    value.forEach((item, index) => assertSchema(item, schema.items ?? {}, `${where}[${index}]`, nullable));
  } else if (type === 'integer') {
    assert.ok(Number.isInteger(value), `${where} is an integer: ${JSON.stringify(value)}`);
  } else if (type === 'string' || type === 'boolean') {
    assert.equal(typeof value, type, `${where} is a ${type}`);
  }
}

function login(sim) {
  return demoSid(sim, AUTH[sim.profile]);
}

/** A SYNO.CloudSync call, params as given (strings, sent exactly as written). */
async function cloudSync(sim, sid, method, params = {}) {
  const url = new URL('/webapi/entry.cgi', sim.url);
  url.search = new URLSearchParams({ api: 'SYNO.CloudSync', version: '1', method, ...params, _sid: sid });
  return (await fetch(url)).json();
}

function ok(body) {
  assert.equal(body.success, true, JSON.stringify(body));
  return body.data;
}

function failsWith(body, code, errors) {
  assert.equal(body.success, false, JSON.stringify(body));
  assert.equal(body.error.code, code, JSON.stringify(body));
  if (errors) assert.deepEqual(body.error.errors, errors);
}

async function control(sim, route, body) {
  const response = await fetch(new URL(`/sim/${route}`, sim.url), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: await response.json() };
}

async function apiInfo(sim) {
  const url = new URL('/webapi/query.cgi', sim.url);
  url.search = 'api=SYNO.API.Info&version=1&method=query&query=all';
  return ok(await (await fetch(url)).json());
}

for (const profile of ['dsm7', 'dsm6']) {
  describe(`Cloud Sync in API.Info (${profile})`, function () {
    let sim;
    afterEach(async function () {
      await sim.close();
    });

    it('advertises SYNO.CloudSync exactly as the real DSM capture does', async function () {
      sim = await startSimulator({ profile });
      const info = await apiInfo(sim);
      assert.deepEqual(info['SYNO.CloudSync'], API_INFO_CAPTURES[profile]);
      assert.deepEqual(info['SYNO.CloudSync'], {
        maxVersion: 1,
        minVersion: 1,
        path: 'entry.cgi',
        requestFormat: 'JSON',
      });
    });

    it('leaves it out of API.Info and answers 102 when the package is absent, until /sim/ installs it', async function () {
      sim = await startSimulator({ profile, cloudSync: false });
      const sid = await login(sim);
      assert.equal((await apiInfo(sim))['SYNO.CloudSync'], undefined);
      failsWith(await cloudSync(sim, sid, 'list_conn'), 102);
      failsWith(await cloudSync(sim, sid, 'pause'), 102);
      assert.equal((await control(sim, 'cloud-sync', { installed: true })).status, 200);
      assert.deepEqual((await apiInfo(sim))['SYNO.CloudSync'], API_INFO_CAPTURES[profile]);
      assert.equal(ok(await cloudSync(sim, sid, 'list_conn')).total, 1);
      sim.control.setCloudSyncInstalled(false);
      failsWith(await cloudSync(sim, sid, 'list_conn'), 102);
    });
  });
}

describe('Cloud Sync (SYNO.CloudSync v1)', function () {
  let sim;
  let sid;
  const home = () => path.join(sim.dataDir, 'home');
  const log = async (params = {}) =>
    ok(await cloudSync(sim, sid, 'get_log', { connection_id: '1', ...params }));
  const connections = async () => ok(await cloudSync(sim, sid, 'list_conn')).conn;

  beforeEach(async function () {
    sim = await startSimulator();
    sid = await login(sim);
  });

  afterEach(async function () {
    await sim.close();
  });

  it('starts with a demo Dropbox connection syncing /home: list_conn as the captured schema', async function () {
    const data = ok(await cloudSync(sim, sid, 'list_conn', { is_tray: 'False', group_by: 'group_by_user' }));
    assertSchema(data, SCHEMAS.list_conn, 'data', ['data.notification']);
    assert.equal(data.total, 1);
    assert.equal(data.is_pause, false);
    assert.equal(data.tray_status, 'uptodate');
    const [conn] = data.conn;
    assert.equal(conn.id, 1);
    assert.equal(conn.type, 'db');
    assert.equal(conn.type_id, 2);
    assert.equal(conn.status, 'uptodate');
    assert.equal(conn.link_status, 1);
    assert.equal(conn.unfinished_files, 0);
    for (const key of ['error', 'error_desc', 'error_type'])
      assert.ok(!(key in conn), `no ${key} when healthy`);
    assert.deepEqual(data.notification, {
      file_count: 1,
      latest_file_info: { action: 2, log_level: 0, name: 'README.txt' },
    });
  });

  it('starts with no connection when cloudSyncDemoConnection is false', async function () {
    await sim.close();
    sim = await startSimulator({ cloudSyncDemoConnection: false });
    sid = await login(sim);
    const data = ok(await cloudSync(sim, sid, 'list_conn'));
    assertSchema(data, SCHEMAS.list_conn, 'data', ['data.notification']);
    assert.deepEqual(data.conn, []);
    assert.equal(data.total, 0);
    assert.equal(data.notification, null);
    assert.deepEqual(ok(await cloudSync(sim, sid, 'get_recently_change')).history_items, []);
  });

  it('answers list_sess, get_property, get_connection_setting, get_config and get_recently_change', async function () {
    const sessions = ok(await cloudSync(sim, sid, 'list_sess', { connection_id: '1' }));
    assertSchema(sessions, SCHEMAS.list_sess);
    assert.equal(sessions.total, 1);
    assert.equal(sessions.sess[0].local_sync_path, '/home');
    assert.equal(sessions.sess[0].sync_status, 'uptodate');
    assert.equal(sessions.sess[0].error, 0);

    const property = ok(await cloudSync(sim, sid, 'get_property', { connection_id: '1' }));
    assertSchema(property, SCHEMAS.get_property);
    assert.equal(property.quota_used, fs.statSync(path.join(home(), 'README.txt')).size);

    const setting = ok(await cloudSync(sim, sid, 'get_connection_setting', { connection_id: '1' }));
    assertSchema(setting, SCHEMAS.get_connection_setting);
    assert.equal(setting.pull_event_period, 60);
    assert.equal(setting.schedule_info, '1'.repeat(168));

    const config = ok(await cloudSync(sim, sid, 'get_config'));
    assert.deepEqual(Object.keys(config).sort(), [
      'admin_mode',
      'log_count',
      'repo_vol_path',
      'sync_mode',
      'volume_count',
      'volume_list',
      'worker_count',
    ]);
    assert.equal(config.volume_list[0].mount_point, '/volume1');
    assert.match(config.volume_list[0].size_total, /^\d+$/);

    const recent = ok(await cloudSync(sim, sid, 'get_recently_change'));
    assertSchema(recent, SCHEMAS.get_recently_change);
    assert.deepEqual(recent.history_items, [
      {
        action: 2,
        base_name: 'README.txt',
        log_level: 0,
        path: '/home/README.txt',
        session_id: 1,
        syncfolder_basename: 'home',
      },
    ]);
  });

  it('takes bare and JSON-quoted scalars alike', async function () {
    const bare = await log({ connection_id: '1', keyword: 'READ', log_level: '-1' });
    const quoted = await log({ connection_id: '"1"', keyword: '"READ"', log_level: '"-1"' });
    assert.equal(bare.total, 1);
    assert.deepEqual(quoted, bare);
    ok(await cloudSync(sim, sid, 'list_conn', { is_tray: 'false', group_by: '"group_by_cloud_type"' }));
    ok(await cloudSync(sim, sid, 'list_conn', { is_tray: '"False"' }));
    ok(
      await cloudSync(sim, sid, 'set_schedule_setting', { connection_id: '1', is_enabled_schedule: 'True' }),
    );
    failsWith(await cloudSync(sim, sid, 'get_log', { connection_id: 'one' }), 120, {
      name: 'connection_id',
      reason: 'type',
    });
  });

  it('answers 120 naming the field for a missing or unknown connection or session id', async function () {
    for (const method of ['list_sess', 'get_log', 'get_property', 'get_connection_setting']) {
      failsWith(await cloudSync(sim, sid, method), 120, { name: 'connection_id', reason: 'required' });
      failsWith(await cloudSync(sim, sid, method, { connection_id: '99' }), 120, {
        name: 'connection_id',
        reason: 'condition',
      });
    }
    failsWith(await cloudSync(sim, sid, 'pause', { connection_id: '99' }), 120);
    failsWith(await cloudSync(sim, sid, 'get_selective_sync_config', { session_id: '7' }), 120, {
      name: 'session_id',
      reason: 'condition',
    });
  });

  it('takes selective sync lists only as JSON arrays (a bare list answers 120) and syncs by them', async function () {
    failsWith(
      await cloudSync(sim, sid, 'set_selective_sync_config', {
        session_id: '1',
        filtered_extensions: 'iso,mkv',
      }),
      120,
      { name: 'filtered_extensions', reason: 'type' },
    );
    failsWith(
      await cloudSync(sim, sid, 'set_selective_sync_config', { session_id: '1', filtered_names: '"a"' }),
      120,
      { name: 'filtered_names', reason: 'type' },
    );
    ok(
      await cloudSync(sim, sid, 'set_selective_sync_config', {
        session_id: '1',
        filtered_paths: '["/private"]',
        filtered_names: '["skip.txt"]',
        filtered_extensions: '["iso"]',
        user_defined_names: '[]',
        user_defined_extensions: '["ISO"]',
        filtered_max_upload_size: '0',
      }),
    );
    const config = ok(await cloudSync(sim, sid, 'get_selective_sync_config', { session_id: '1' }));
    assertSchema(config, SCHEMAS.get_selective_sync_config);
    assert.deepEqual(config.filtered_paths, ['/private']);
    assert.deepEqual(config.user_defined_extensions, ['ISO']);

    fs.mkdirSync(path.join(home(), 'private'));
    for (const name of ['private/secret.txt', 'skip.txt', 'disk.iso', 'kept.txt']) {
      fs.writeFileSync(path.join(home(), name), name);
    }
    sim.control.advanceClock(PERIOD_MS + PASS_MS);
    assert.deepEqual(
      (await log()).items.map((item) => item.path),
      ['/home/kept.txt', '/home/README.txt'],
    );
  });

  it('moves between syncing and uptodate over the simulator clock, logging the files it syncs', async function () {
    const start = Math.floor(sim.control.now() / 1000);
    fs.writeFileSync(path.join(home(), 'notes.md'), 'hello');
    sim.control.advanceClock(PERIOD_MS - 1_000);
    assert.equal((await connections())[0].status, 'uptodate');

    sim.control.advanceClock(2_000);
    const syncing = ok(await cloudSync(sim, sid, 'list_conn'));
    assert.equal(syncing.conn[0].status, 'syncing');
    assert.equal(syncing.conn[0].unfinished_files, 1);
    assert.equal(syncing.tray_status, 'syncing');
    assert.equal(
      ok(await cloudSync(sim, sid, 'list_sess', { connection_id: '1' })).sess[0].sync_status,
      'syncing',
    );
    const recent = ok(await cloudSync(sim, sid, 'get_recently_change'));
    assertSchema(recent, SCHEMAS.get_recently_change);
    assert.equal(recent.processing_items.length, 1);
    assert.equal(recent.processing_items[0].path, '/home/notes.md');
    assert.equal(recent.processing_items[0].status, 'uploading');
    assert.equal(recent.processing_items[0].total_size, 5);

    sim.control.advanceClock(PASS_MS);
    const after = ok(await cloudSync(sim, sid, 'list_conn'));
    assert.equal(after.conn[0].status, 'uptodate');
    assert.equal(after.conn[0].unfinished_files, 0);
    assert.deepEqual(after.notification.latest_file_info, { action: 2, log_level: 0, name: 'notes.md' });
    const data = await log();
    assertSchema(data, SCHEMAS.get_log);
    assert.equal(data.total, 2);
    assert.deepEqual(data.items[0], {
      action: 2,
      error_code: 0,
      file_name: 'notes.md',
      file_type: 'file',
      log_level: 0,
      path: '/home/notes.md',
      session_id: 1,
      time: start + (PERIOD_MS + PASS_MS) / 1000,
    });

    // A pass without local changes still goes through syncing, and logs nothing.
    sim.control.advanceClock(PERIOD_MS - PASS_MS);
    assert.equal((await connections())[0].status, 'syncing');
    sim.control.advanceClock(PASS_MS);
    assert.equal((await connections())[0].status, 'uptodate');
    assert.equal((await log()).total, 2);
  });

  it('pauses and resumes one connection by connection_id, and all of them without it', async function () {
    fs.mkdirSync(path.join(sim.dataDir, 'photo', 'albums'), { recursive: true });
    const added = sim.control.addCloudSyncConnection({ localPath: '/photo/albums', type: 'od_v1' });
    assert.deepEqual(added, { id: 2, sessionId: 2 });

    ok(await cloudSync(sim, sid, 'pause', { connection_id: '1' }));
    let [first, second] = await connections();
    assert.equal(first.status, 'pause');
    assert.equal(second.status, 'uptodate');
    assert.equal(ok(await cloudSync(sim, sid, 'list_conn')).is_pause, false);

    fs.writeFileSync(path.join(home(), 'while-paused.txt'), 'x');
    fs.writeFileSync(path.join(sim.dataDir, 'photo', 'albums', 'a.jpg'), 'jpg');
    sim.control.advanceClock(PERIOD_MS + PASS_MS);
    [first, second] = await connections();
    assert.equal(first.status, 'pause');
    assert.equal(second.status, 'uptodate');
    assert.equal((await log()).total, 1, 'a paused connection syncs nothing');
    assert.equal((await log({ connection_id: '2' })).items[0].path, '/photo/albums/a.jpg');

    ok(await cloudSync(sim, sid, 'resume', { connection_id: '"1"' }));
    assert.equal((await connections())[0].status, 'syncing', 'a resumed connection syncs at once');
    sim.control.advanceClock(PASS_MS);
    assert.equal((await log()).items[0].file_name, 'while-paused.txt');

    ok(await cloudSync(sim, sid, 'pause'));
    const paused = ok(await cloudSync(sim, sid, 'list_conn'));
    assert.equal(paused.is_pause, true);
    assert.deepEqual(
      paused.conn.map((conn) => conn.status),
      ['pause', 'pause'],
    );
    ok(await cloudSync(sim, sid, 'resume'));
    const resumed = ok(await cloudSync(sim, sid, 'list_conn'));
    assert.equal(resumed.is_pause, false);
    assert.ok(resumed.conn.every((conn) => conn.status !== 'pause'));

    ok(await cloudSync(sim, sid, 'pause', { connection_id: '-1' }));
    assert.equal(ok(await cloudSync(sim, sid, 'list_conn')).is_pause, true, 'connection_id -1 means all');
  });

  it('fails and recovers a connection from the control surface: error fields and level-2 log entries', async function () {
    fs.writeFileSync(path.join(home(), 'report.pdf'), 'pdf');
    const failed = await control(sim, 'cloud-sync/fail', {
      id: 1,
      error: -36,
      errorDesc: 'Access token expired',
      errorType: 'auth',
    });
    assert.equal(failed.status, 200);
    const data = ok(await cloudSync(sim, sid, 'list_conn'));
    assertSchema(data, SCHEMAS.list_conn, 'data', ['data.notification']);
    assert.equal(data.conn[0].error, -36);
    assert.equal(data.conn[0].error_desc, 'Access token expired');
    assert.equal(data.conn[0].error_type, 'auth');
    assert.equal(data.conn[0].status, 'syncing');
    const [sess] = ok(await cloudSync(sim, sid, 'list_sess', { connection_id: '1' })).sess;
    assert.equal(sess.error, -36);
    assert.equal(sess.error_desc, 'Access token expired');

    sim.control.advanceClock(PERIOD_MS + PASS_MS);
    sim.control.advanceClock(PERIOD_MS);
    const errors = await log({ log_level: '2' });
    assert.equal(errors.total, 2, 'one level-2 entry per pass');
    for (const item of errors.items) {
      assert.equal(item.path, '/home/report.pdf');
      assert.equal(item.error_code, -36);
      assert.equal(item.log_level, 2);
    }
    assert.equal(ok(await cloudSync(sim, sid, 'list_conn')).conn[0].unfinished_files, 1);

    assert.equal((await control(sim, 'cloud-sync/recover', { id: 1 })).status, 200);
    let conn = (await connections())[0];
    for (const key of ['error', 'error_desc', 'error_type'])
      assert.ok(!(key in conn), `no ${key} after recovery`);
    sim.control.advanceClock(PASS_MS);
    conn = (await connections())[0];
    assert.equal(conn.status, 'uptodate');
    const [latest] = (await log()).items;
    assert.deepEqual(
      { path: latest.path, log_level: latest.log_level, error_code: latest.error_code },
      { path: '/home/report.pdf', log_level: 0, error_code: 0 },
    );

    // A failing pass with nothing pending logs the sync folder itself; the defaults fill what is not given.
    sim.control.failCloudSyncConnection(1);
    conn = (await connections())[0];
    assert.deepEqual(
      [conn.error, conn.error_desc, conn.error_type],
      [-12, 'Unknown error occurs', 'unknown'],
    );
    sim.control.advanceClock(PERIOD_MS);
    const [folder] = (await log({ log_level: '2' })).items;
    assert.equal(folder.path, '/home');
    assert.equal(folder.file_type, 'dir');
  });

  it('filters get_log by keyword, dates, level and action, and pages it with offset and limit', async function () {
    const t0 = Math.floor(sim.control.now() / 1000);
    for (let index = 1; index <= 5; index += 1)
      fs.writeFileSync(path.join(home(), `photo-${index}.jpg`), 'x');
    sim.control.advanceClock(PERIOD_MS + PASS_MS);
    const t1 = t0 + (PERIOD_MS + PASS_MS) / 1000;
    fs.rmSync(path.join(home(), 'photo-5.jpg'));
    sim.control.advanceClock(PERIOD_MS);
    const t2 = t1 + PERIOD_MS / 1000;

    const all = await log();
    assert.equal(all.total, 7);
    assert.deepEqual(
      all.items.map((item) => item.time),
      [t2, t1, t1, t1, t1, t1, t0],
      'newest first',
    );
    const keyword = await log({ keyword: 'PHOTO-' });
    assert.equal(keyword.total, 6);
    assert.equal((await log({ keyword: 'nothing-like-this' })).total, 0);
    assert.equal((await log({ date_from: String(t1), date_to: String(t1) })).total, 5);
    assert.equal((await log({ date_from: String(t1 + 1) })).total, 1);
    assert.equal((await log({ date_to: String(t0) })).total, 1);
    const deleted = await log({ action: '0' });
    assert.deepEqual(
      deleted.items.map((item) => [item.file_name, item.action]),
      [['photo-5.jpg', 0]],
    );
    assert.equal((await log({ action: '2' })).total, 6);
    assert.equal((await log({ log_level: '0' })).total, 7);
    assert.equal((await log({ log_level: '2' })).total, 0);

    const page1 = await log({ offset: '0', limit: '3' });
    const page2 = await log({ offset: '3', limit: '3' });
    const page3 = await log({ offset: '6', limit: '3' });
    assert.deepEqual([page1.total, page2.total, page3.total], [7, 7, 7]);
    assert.deepEqual([...page1.items, ...page2.items, ...page3.items], all.items);
    assert.equal(page3.items.length, 1);
  });

  it('stores set_schedule_setting (schedule_info quoted as N4S4 sends it) and refuses a malformed one', async function () {
    const week = '0'.repeat(24) + '1'.repeat(144);
    ok(
      await cloudSync(sim, sid, 'set_schedule_setting', {
        connection_id: '1',
        is_enabled_schedule: 'true',
        schedule_info: `"${week}"`,
      }),
    );
    const setting = ok(await cloudSync(sim, sid, 'get_connection_setting', { connection_id: '1' }));
    assert.equal(setting.is_enabled_schedule, true);
    assert.equal(setting.schedule_info, week);
    failsWith(
      await cloudSync(sim, sid, 'set_schedule_setting', {
        connection_id: '1',
        is_enabled_schedule: 'true',
        schedule_info: '"0101"',
      }),
      120,
      { name: 'schedule_info', reason: 'type' },
    );
    failsWith(await cloudSync(sim, sid, 'set_schedule_setting', { connection_id: '1' }), 120, {
      name: 'is_enabled_schedule',
      reason: 'required',
    });
    assert.equal(
      ok(await cloudSync(sim, sid, 'get_connection_setting', { connection_id: '1' })).schedule_info,
      week,
    );
  });

  it('adds connections over HTTP /sim/ and never reads outside the sync folder', async function () {
    const outside = fs.mkdtempSync(path.join(require('node:os').tmpdir(), 'cs-outside-'));
    try {
      fs.writeFileSync(path.join(outside, 'secret.txt'), 'secret');
      fs.mkdirSync(path.join(sim.dataDir, 'video', 'sync'), { recursive: true });
      fs.writeFileSync(path.join(sim.dataDir, 'video', 'sync', 'clip.mp4'), 'mp4');
      fs.symlinkSync(outside, path.join(sim.dataDir, 'video', 'sync', 'link'));
      fs.symlinkSync(outside, path.join(sim.dataDir, 'video', 'escape'));

      const added = await control(sim, 'cloud-sync/connections', {
        localPath: '/video/sync',
        taskName: 'Videos',
      });
      assert.deepEqual(added, { status: 200, body: { id: 2, sessionId: 2 } });
      const linked = await control(sim, 'cloud-sync/connections', { localPath: '/video/escape' });
      assert.equal(linked.status, 200, 'a link as sync folder is taken but never followed');
      const refused = await control(sim, 'cloud-sync/connections', { localPath: '/video/../..' });
      assert.equal(refused.status, 400);
      assert.equal((await control(sim, 'cloud-sync/connections', { localPath: 'video' })).status, 400);
      assert.equal((await control(sim, 'cloud-sync/fail', { id: 42 })).status, 400);

      const conn = (await connections()).find((item) => item.id === 2);
      assert.equal(conn.task_name, 'Videos');
      assert.deepEqual(
        (await log({ connection_id: '2' })).items.map((item) => item.path),
        ['/video/sync/clip.mp4'],
      );
      assert.equal((await log({ connection_id: '3' })).total, 0);
      fs.writeFileSync(path.join(outside, 'more.txt'), 'more');
      sim.control.advanceClock(PERIOD_MS + PASS_MS);
      const everything = [1, 2, 3].map((id) => log({ connection_id: String(id) }));
      for (const data of await Promise.all(everything)) {
        for (const item of data.items) assert.doesNotMatch(item.path, /secret|more|link|escape/);
      }
    } finally {
      fs.rmSync(outside, { recursive: true, force: true });
    }
  });
});

describe('Cloud Sync flags of bin/synology-dsm-sim.js', function () {
  /** Starts the bin with flags, gives its URL to `use`, stops it. */
  async function withBin(flags, use) {
    const bin = path.join(__dirname, '..', 'bin', 'synology-dsm-sim.js');
    const child = spawn(process.execPath, [bin, '--port', '0', ...flags], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const exited = new Promise((resolve) => child.once('exit', resolve));
    try {
      const url = await new Promise((resolve, reject) => {
        let text = '';
        child.stdout.setEncoding('utf8');
        child.stdout.on('data', (chunk) => {
          text += chunk;
          const match = /listening on (http:\/\/\S+)/.exec(text);
          if (match) resolve(match[1]);
        });
        child.once('exit', () => reject(new Error(`bin exited early: ${text}`)));
      });
      await use({ url, profile: 'dsm7' });
    } finally {
      child.kill('SIGTERM');
      await exited;
    }
  }

  it('--no-cloud-sync leaves SYNO.CloudSync out; --no-cloud-sync-demo starts without connections', async function () {
    await withBin(['--no-cloud-sync'], async (bin) => {
      assert.equal((await apiInfo(bin))['SYNO.CloudSync'], undefined);
    });
    await withBin(['--no-cloud-sync-demo'], async (bin) => {
      assert.deepEqual((await apiInfo(bin))['SYNO.CloudSync'], API_INFO_CAPTURES.dsm7);
      const sid = await login(bin);
      assert.equal(ok(await cloudSync(bin, sid, 'list_conn')).total, 0);
    });
  });
});
