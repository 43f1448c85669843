'use strict';
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { DsmClient, CloudSync, DsmError } = require('../dist');
const { startSimulator, demo } = require('./support/sim');

const PAUSE = 'SYNO.CloudSync.pause';
const RESUME = 'SYNO.CloudSync.resume';
/** The simulator's pull_event_period (60 s) plus a pass (5 s): every connection has run a whole pass. */
const PASS_DONE_MS = 66_000;

async function rejects(promise, check) {
  await assert.rejects(promise, (err) => {
    assert.ok(err instanceof DsmError, String(err));
    check(err);
    return true;
  });
}

describe('CloudSync client against the simulator', function () {
  let sim;
  let client;
  let cs;
  let dropbox;
  let onedrive;
  const calls = (name) => sim.control.counters().methods[name] ?? 0;
  const sent = (method) =>
    sim.control.requestLog().filter((r) => r.api === 'SYNO.CloudSync' && r.method === method);

  before(async () => {
    sim = await startSimulator({ port: 0 });
    fs.mkdirSync(path.join(sim.dataDir, 'photo', 'phone'), { recursive: true });
    fs.mkdirSync(path.join(sim.dataDir, 'home', 'docs'), { recursive: true });
    // The demo connection (Dropbox, /home) is id 1; add a OneDrive one and a second Dropbox one with its own name.
    onedrive = sim.control.addCloudSyncConnection({ localPath: '/photo/phone', type: 'od_v1' }).id;
    sim.control.addCloudSyncConnection({ localPath: '/home/docs', type: 'db', taskName: 'Work docs' });
    dropbox = 1;
  });
  after(async () => sim.close());
  beforeEach(async () => {
    client = new DsmClient({ url: sim.url, username: demo.username, password: demo.password });
    cs = new CloudSync(client);
    sim.control.resetCounters();
    sim.control.clearRequestLog();
  });
  afterEach(async () => {
    await cs.resume();
    for (const c of await cs.connections()) sim.control.recoverCloudSyncConnection(c.id);
    // A resumed or recovered connection starts a pass at once: let it end, so that every test starts up to date.
    sim.control.advanceClock(6_000);
    await client.close();
  });

  it('lists connections in one request, normalized, with DSM raw answer kept', async function () {
    const connections = await cs.connections();
    assert.equal(calls('SYNO.CloudSync.list_conn'), 1);
    assert.deepEqual(
      connections
        .map((c) => [c.id, c.name, c.type, c.status, c.state, c.linked, c.error, c.errorCode])
        .sort(),
      [
        [1, 'Dropbox', 'db', 'uptodate', 'ok', true, null, 0],
        [2, 'Microsoft OneDrive', 'od_v1', 'uptodate', 'ok', true, null, 0],
        [3, 'Work docs', 'db', 'uptodate', 'ok', true, null, 0],
      ],
    );
    const first = connections.find((c) => c.id === 1);
    assert.equal(first.unfinishedFiles, 0);
    assert.equal(first.raw.task_name, 'Dropbox');
    assert.equal(first.raw.type_id, 2);
    const overview = await cs.overview();
    assert.equal(overview.paused, false);
    assert.equal(overview.trayStatus, 'uptodate');
  });

  it('shows a pass as syncing with unfinished files, then ok with an upload in the log', async function () {
    fs.writeFileSync(path.join(sim.dataDir, 'photo', 'phone', 'img-1.jpg'), Buffer.alloc(4096));
    // The next pass starts within a pull_event_period (60 s): step the clock to it.
    let syncing = await cs.connection(onedrive);
    for (let s = 0; s < 61 && syncing.status !== 'syncing'; s++) {
      sim.control.advanceClock(1_000);
      syncing = await cs.connection(onedrive);
    }
    assert.equal(syncing.status, 'syncing');
    assert.equal(syncing.state, 'syncing');
    assert.equal(syncing.unfinishedFiles, 1);
    const recent = await cs.recentChanges();
    assert.deepEqual(
      recent.processing.map((p) => [p.fileName, p.path, p.status, p.size]),
      [['img-1.jpg', '/photo/phone/img-1.jpg', 'uploading', 4096]],
    );
    sim.control.advanceClock(5_000);
    const done = await cs.connection('Microsoft OneDrive');
    assert.equal(done.state, 'ok');
    assert.equal(done.unfinishedFiles, 0);
    const { entries } = await cs.logs(onedrive, { keyword: 'img-1' });
    assert.equal(entries.length, 1);
    assert.equal(entries[0].action, 'upload');
    assert.equal(entries[0].level, 'info');
    assert.equal(entries[0].path, '/photo/phone/img-1.jpg');
    assert.equal(entries[0].time, entries[0].raw.time * 1000);
    assert.equal((await cs.recentChanges()).history[0].fileName, 'img-1.jpg');
  });

  it('reports a failing connection as error with DSM error text, on the connection and its tasks', async function () {
    sim.control.failCloudSyncConnection(onedrive, { errorDesc: 'Insufficient space in the cloud' });
    const conn = await cs.connection(onedrive);
    assert.equal(conn.state, 'error');
    assert.equal(conn.error, 'Insufficient space in the cloud');
    assert.equal(conn.errorCode, -12);
    const [task] = await cs.tasks(conn);
    assert.equal(task.state, 'error');
    assert.equal(task.error, 'Insufficient space in the cloud');
    const others = (await cs.connections()).filter((c) => c.id !== onedrive);
    assert.ok(others.every((c) => c.state === 'ok'));
    sim.control.recoverCloudSyncConnection(onedrive);
    const recovered = await cs.connection(onedrive);
    assert.deepEqual([recovered.state, recovered.error], ['syncing', null]);
  });

  it('lists the tasks of a connection by id, name or listed connection', async function () {
    for (const ref of [onedrive, String(onedrive), 'Microsoft OneDrive', 'microsoft onedrive']) {
      const tasks = await cs.tasks(ref);
      assert.deepEqual(
        tasks.map((t) => [t.connectionId, t.localPath, t.remotePath, t.direction, t.status, t.state]),
        [[onedrive, '/photo/phone', '/phone', 'both', 'uptodate', 'ok']],
        String(ref),
      );
      assert.equal(tasks[0].raw.sync_direction, 'BIDIRECTION');
    }
    sim.control.resetCounters();
    sim.control.clearRequestLog();
    const listed = (await cs.connections()).find((c) => c.id === onedrive);
    await cs.tasks(listed);
    // A connection from a listing is used as it is: no second listing.
    assert.equal(calls('SYNO.CloudSync.list_conn'), 1);
    assert.deepEqual(
      sent('list_sess').map((r) => r.params.connection_id),
      [String(onedrive)],
    );
  });

  describe('pause and resume', function () {
    it('pauses and resumes one connection by id, sending its connection_id, the others untouched', async function () {
      const paused = await cs.pause(onedrive);
      assert.deepEqual(paused, {
        action: 'pause',
        all: false,
        connections: [{ id: onedrive, name: 'Microsoft OneDrive' }],
      });
      assert.deepEqual(
        sent('pause').map((r) => r.params.connection_id),
        [String(onedrive)],
      );
      const states = Object.fromEntries((await cs.connections()).map((c) => [c.id, c.state]));
      assert.deepEqual(states, { 1: 'ok', [onedrive]: 'paused', 3: 'ok' });
      assert.equal((await cs.connection(onedrive)).status, 'pause');
      assert.equal((await cs.overview()).paused, false);
      const resumed = await cs.resume(onedrive);
      assert.equal(resumed.action, 'resume');
      assert.deepEqual(
        resumed.connections.map((c) => c.id),
        [onedrive],
      );
      assert.notEqual((await cs.connection(onedrive)).state, 'paused');
    });

    it('pauses one connection by name and several by a list of ids and names', async function () {
      await cs.pause('Work docs');
      assert.deepEqual(
        (await cs.connections()).filter((c) => c.state === 'paused').map((c) => c.id),
        [3],
      );
      const result = await cs.pause([dropbox, 'Microsoft OneDrive']);
      assert.deepEqual(
        result.connections.map((c) => c.id),
        [dropbox, onedrive],
      );
      assert.equal(calls(PAUSE), 3);
      assert.ok((await cs.connections()).every((c) => c.state === 'paused'));
      await cs.resume([3, dropbox]);
      const states = Object.fromEntries((await cs.connections()).map((c) => [c.id, c.state]));
      assert.equal(states[onedrive], 'paused');
      assert.notEqual(states[3], 'paused');
      assert.notEqual(states[dropbox], 'paused');
    });

    for (const all of [undefined, 'all']) {
      it(`pauses and resumes all connections with one call without connection_id (${String(all)})`, async function () {
        const paused = await cs.pause(all);
        assert.equal(paused.all, true);
        assert.deepEqual(paused.connections.map((c) => c.id).sort(), [1, 2, 3]);
        assert.equal(calls(PAUSE), 1);
        assert.equal(sent('pause')[0].params.connection_id, undefined);
        const overview = await cs.overview();
        assert.equal(overview.paused, true);
        assert.ok(overview.connections.every((c) => c.state === 'paused'));
        const resumed = await cs.resume(all);
        assert.equal(resumed.all, true);
        assert.equal(calls(RESUME), 1);
        assert.equal(sent('resume')[0].params.connection_id, undefined);
        const after = await cs.overview();
        assert.equal(after.paused, false);
        assert.ok(after.connections.every((c) => c.state !== 'paused'));
      });
    }

    it('refuses an unknown id or name naming the field, and pauses nothing', async function () {
      for (const [ref, field, pattern] of [
        [99, 'connection', /no Cloud Sync connection with id 99/],
        ['Google Drive', 'connection', /no Cloud Sync connection named "Google Drive"/],
        [[dropbox, 'nope'], 'connection\\[1\\]', /named "nope"/],
      ]) {
        await rejects(cs.pause(ref), (err) => {
          assert.equal(err.kind, 'input');
          assert.match(err.message, new RegExp(`^${field}: `));
          assert.match(err.message, pattern);
          assert.match(err.hint, /Connections on this NAS: 1 "Dropbox"/);
        });
      }
      assert.equal(calls(PAUSE), 0);
      assert.ok((await cs.connections()).every((c) => c.state !== 'paused'));
    });

    it('refuses values that are not connections before any request', async function () {
      for (const [value, pattern] of [
        [true, /^connection: a boolean is not a connection/],
        [{}, /^connection: an object is not a connection/],
        [[], /^connection: is an empty list/],
        ['  ', /^connection: is empty/],
        [-1, /^connection: -1 is not a connection id/],
        [1.5, /^connection: 1.5 is not a connection id/],
        [[1, null], /^connection\[1\]: null is not a connection/],
      ]) {
        await rejects(cs.pause(value), (err) => {
          assert.equal(err.kind, 'input');
          assert.match(err.message, pattern);
        });
      }
      assert.equal(sim.control.requestLog().length, 0);
    });
  });

  describe('logs', function () {
    before(async () => {
      // One file per level of interest: an upload (info) now, and failing passes (error) a minute later.
      fs.writeFileSync(path.join(sim.dataDir, 'home', 'report.pdf'), 'report');
      sim.control.advanceClock(PASS_DONE_MS);
      sim.control.failCloudSyncConnection(dropbox);
      fs.writeFileSync(path.join(sim.dataDir, 'home', 'broken.bin'), 'x');
      sim.control.advanceClock(PASS_DONE_MS);
      sim.control.recoverCloudSyncConnection(dropbox);
    });

    it('filters by level, keyword and time, newest first, with DSM names for levels and actions', async function () {
      const errors = await cs.logs(dropbox, { level: 'error' });
      assert.ok(errors.entries.length > 0);
      assert.ok(errors.entries.every((e) => e.level === 'error' && e.errorCode === -12));
      assert.equal(sent('get_log')[0].params.log_level, '2');
      const report = await cs.logs('Dropbox', { keyword: 'report' });
      assert.deepEqual(
        report.entries.map((e) => [e.fileName, e.action, e.level, e.fileType]),
        [['report.pdf', 'upload', 'info', 'file']],
      );
      const all = await cs.logs(dropbox);
      const times = all.entries.map((e) => e.time);
      assert.deepEqual(
        times,
        [...times].sort((a, b) => b - a),
      );
      const newest = times[0];
      const since = await cs.logs(dropbox, { since: new Date(newest) });
      assert.ok(since.entries.length > 0 && since.entries.every((e) => e.time >= newest));
      assert.equal(Number(sent('get_log').at(-1).params.date_from), newest / 1000);
      const until = await cs.logs(dropbox, { until: newest - 1000 });
      assert.ok(until.entries.every((e) => e.time < newest));
      const page = await cs.logs(dropbox, { limit: 1, offset: 1 });
      assert.equal(page.entries.length, 1);
      assert.equal(page.total, all.total);
      assert.deepEqual(page.entries[0].raw, all.entries[1].raw);
    });

    it('reads only the entries after a cursor, oldest first, across DSM whole-second times', async function () {
      const first = await cs.logsAfter(dropbox, undefined, { level: 'error' });
      assert.ok(first.entries.length > 0);
      const times = first.entries.map((e) => e.time);
      assert.deepEqual(
        times,
        [...times].sort((a, b) => a - b),
      );
      // The cursor is plain JSON: it survives a node's context.
      const cursor = JSON.parse(JSON.stringify(first.cursor));
      assert.equal(cursor.time, Math.max(...times) / 1000);
      const again = await cs.logsAfter(dropbox, cursor, { level: 'error' });
      assert.deepEqual(again.entries, []);
      assert.deepEqual(again.cursor, cursor);
      assert.equal(sent('get_log').at(-1).params.date_from, String(cursor.time));
      sim.control.failCloudSyncConnection(dropbox);
      sim.control.advanceClock(PASS_DONE_MS);
      const fresh = await cs.logsAfter(dropbox, cursor, { level: 'error' });
      assert.ok(fresh.entries.length > 0);
      assert.ok(fresh.entries.every((e) => e.time / 1000 > cursor.time && e.level === 'error'));
      assert.ok(fresh.cursor.time > cursor.time);
    });

    it('refuses a bad level, action, time, limit or cursor naming it, before any request', async function () {
      for (const [options, pattern] of [
        [{ level: 'fatal' }, /^level: "fatal" is not one of all, info, warning, error/],
        [{ level: 2 }, /^level: a number is not one of/],
        [{ action: 'copy' }, /^action: "copy" is not one of/],
        [{ since: 'yesterday' }, /^since: "yesterday" is not a time/],
        [{ since: {} }, /^since: an object is not a time/],
        [{ until: -5 }, /^until: a number is not a time/],
        [{ since: 2000, until: 1000 }, /^until: is before since/],
        [{ limit: 0 }, /^limit: must be a whole number >= 1/],
        [{ limit: 5000 }, /^limit: must be 1000 or less/],
        [{ offset: -1 }, /^offset: must be a whole number >= 0/],
        [{ keyword: 5 }, /^keyword: must be a string/],
      ]) {
        await rejects(cs.logs(dropbox, options), (err) => {
          assert.equal(err.kind, 'input');
          assert.match(err.message, pattern);
        });
      }
      await rejects(cs.logsAfter(dropbox, { time: 'x' }), (err) => assert.match(err.message, /^cursor: /));
      await rejects(cs.logs(42), (err) => assert.match(err.message, /^connection: no Cloud Sync connection/));
      assert.equal(sent('get_log').length, 0);
    });

    it('reads "since" as a span back from now', async function () {
      const { checkTime } = require('../dist/dsm/api/cloud-sync');
      assert.equal(checkTime('since', '24h', 100_000_000), 100_000_000 - 86_400_000);
      assert.equal(checkTime('since', '30m', 10_000_000), 10_000_000 - 1_800_000);
      assert.equal(checkTime('since', '2026-11-01T08:00:00Z'), Date.UTC(2026, 10, 1, 8));
    });
  });

  it('reads and sets a connection schedule, keeping the hours when only switching it on', async function () {
    const before = await cs.connectionSettings(onedrive);
    assert.equal(before.scheduleEnabled, false);
    assert.equal(before.schedule.length, 7);
    assert.ok(before.schedule.every((day) => day === '1'.repeat(24)));
    const office = Array.from({ length: 7 }, (_, day) =>
      day === 0 || day === 6 ? '0'.repeat(24) : '0'.repeat(8) + '1'.repeat(10) + '0'.repeat(6),
    );
    const set = await cs.setSchedule(onedrive, { enabled: true, schedule: office });
    assert.deepEqual(set.schedule, office);
    assert.equal(set.scheduleEnabled, true);
    assert.equal(sent('set_schedule_setting')[0].params.schedule_info, office.join(''));
    const off = await cs.setSchedule(onedrive, { enabled: false });
    assert.equal(off.scheduleEnabled, false);
    assert.deepEqual(off.schedule, office);
    await rejects(cs.setSchedule(onedrive, { enabled: 'yes' }), (err) =>
      assert.match(err.message, /^enabled: must be true or false/),
    );
    await rejects(cs.setSchedule(onedrive, { enabled: true, schedule: ['1'.repeat(24)] }), (err) =>
      assert.match(err.message, /^schedule: must have 7 days/),
    );
    await rejects(
      cs.setSchedule(onedrive, { enabled: true, schedule: [...office.slice(0, 6), '2'] }),
      (err) => assert.match(err.message, /^schedule\[6\]: must be 24 characters 0 or 1/),
    );
    // The refused calls sent nothing: only the two good ones reached DSM.
    assert.equal(sent('set_schedule_setting').length, 2);
    await cs.setSchedule(onedrive, { enabled: false, schedule: before.schedule });
  });

  it('reads the cloud account of a connection and the package settings', async function () {
    const property = await cs.property(onedrive);
    assert.equal(property.type, 'od_v1');
    assert.equal(property.typeId, 22);
    assert.ok(property.quotaTotal > 0);
    const config = await cs.config();
    assert.equal(config.adminMode, true);
    assert.equal(config.logCount, 20000);
    assert.equal(config.volumePath, '/volume1');
    assert.equal(config.raw.admin_mode, 'enable');
  });
});

describe('CloudSync with two connections of one name', function () {
  it('refuses a name two connections answer to, asking for the id, and pauses nothing', async function () {
    const sim = await startSimulator({ port: 0 });
    const client = new DsmClient({ url: sim.url, username: demo.username, password: demo.password });
    try {
      fs.mkdirSync(path.join(sim.dataDir, 'home', 'b'), { recursive: true });
      sim.control.addCloudSyncConnection({ localPath: '/home/b', type: 'db', taskName: 'dropbox' });
      const cs = new CloudSync(client);
      // "Dropbox" matches connection 1 exactly: no doubt. "DROPBOX" matches both ignoring case.
      assert.deepEqual((await cs.pause('Dropbox')).connections, [{ id: 1, name: 'Dropbox' }]);
      await cs.resume('all');
      sim.control.resetCounters();
      await rejects(cs.pause('DROPBOX'), (err) => {
        assert.match(err.message, /^connection: "DROPBOX" names 2 connections \(ids 1, 2\)/);
        assert.match(err.hint, /Use the id/);
      });
      assert.equal(sim.control.counters().methods['SYNO.CloudSync.pause'] ?? 0, 0);
    } finally {
      await client.close();
      await sim.close();
    }
  });
});

describe('CloudSync when the package is missing', function () {
  for (const how of ['at start', 'after discovery']) {
    it(`says "Cloud Sync is not installed" (${how}), not an auth error`, async function () {
      const sim = await startSimulator({ port: 0, cloudSync: how !== 'at start' });
      const client = new DsmClient({ url: sim.url, username: demo.username, password: demo.password });
      try {
        const cs = new CloudSync(client);
        if (how !== 'at start') {
          await cs.connections();
          sim.control.setCloudSyncInstalled(false);
        }
        for (const call of [
          () => cs.connections(),
          () => cs.pause(),
          () => cs.resume(1),
          () => cs.logs('Dropbox'),
          () => cs.config(),
          () => cs.recentChanges(),
        ]) {
          await rejects(call(), (err) => {
            assert.equal(err.code, 102);
            assert.equal(err.kind, 'dsm');
            assert.match(err.message, /Cloud Sync is not installed or is stopped/);
            assert.match(err.hint, /Package Center/);
          });
        }
        assert.equal(sim.control.counters().loginFailures, 0);
      } finally {
        await client.close();
        await sim.close();
      }
    });
  }
});

describe('CloudSync state mapping', function () {
  const { toConnection, toOverview, toTask } = require('../dist/dsm/api/cloud-sync');
  const base = { id: 3, task_name: 'Dropbox', link_status: 1, status: 'uptodate', error: 0 };

  it('maps DSM status, error fields, link and the package pause flag to one state', function () {
    assert.equal(toConnection(base).state, 'ok');
    assert.equal(toConnection({ ...base, status: 'syncing' }).state, 'syncing');
    assert.equal(toConnection({ ...base, status: 'pause' }).state, 'paused');
    assert.equal(toOverview({ is_pause: true, conn: [base] }).connections[0].state, 'paused');
    assert.equal(toConnection({ ...base, error: -12 }).error, 'error -12');
    assert.equal(toConnection({ ...base, error: 0, error_type: 'auth' }).state, 'error');
    assert.equal(toConnection({ ...base, status: 'pause', error_desc: 'Quota' }).state, 'error');
    const unlinked = toConnection({ ...base, link_status: 2 });
    assert.deepEqual([unlinked.state, unlinked.linked], ['attention', false]);
    const odd = toConnection({ ...base, status: 'insufficient_space_local' });
    assert.deepEqual([odd.state, odd.status], ['attention', 'insufficient_space_local']);
    assert.equal(
      toTask({ sess_id: 4, sync_status: 'syncing', sync_direction: 'ONLY_DOWNLOAD' }).direction,
      'download',
    );
    assert.equal(
      toTask({ sess_id: 4, sync_status: 'uptodate', sync_direction: 'SOMETHING' }).direction,
      'SOMETHING',
    );
  });
});
