'use strict';

const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { startSimulator } = require('..');

const INFO_CAPTURE = require('./fixtures/captures/dsm_6__download_station__const_6_download_station_info.json');
const STAT_CAPTURE = require('./fixtures/captures/dsm_6__download_station__const_6_download_station_stat.json');
const TASK_CAPTURE = require('./fixtures/captures/dsm_6__download_station__const_6_download_station_task.json');

const CAPTURED_TASK = TASK_CAPTURE.DSM_6_DOWNLOAD_STATION_TASK_LIST.data.tasks[0];
const CAPTURED_ERROR_TASK = TASK_CAPTURE.DSM_6_DOWNLOAD_STATION_TASK_LIST.data.tasks.find(
  (task) => task.status === 'error',
);
const DURATION_MS = 10_000;
/** Far enough on the simulator clock for any task to be done (waiting + download + finishing). */
const ALL_DONE_MS = DURATION_MS + 5_000;

const PROFILES = {
  dsm7: { authPath: 'entry.cgi', authVersion: '7' },
  dsm6: { authPath: 'auth.cgi', authVersion: '6' },
};

const sorted = (object) => Object.keys(object).sort();

async function login(sim, account = 'demo', password = 'synology') {
  const { authPath, authVersion } = PROFILES[sim.profile];
  const url = new URL(`/webapi/${authPath}`, sim.url);
  url.search = new URLSearchParams({
    api: 'SYNO.API.Auth',
    version: authVersion,
    method: 'login',
    account,
    passwd: password,
    format: 'sid',
    enable_syno_token: 'yes',
  }).toString();
  const body = await (await fetch(url)).json();
  assert.equal(body.success, true, JSON.stringify(body));
  return { sid: body.data.sid, synotoken: body.data.synotoken };
}

/** A v1 Download Station call (GET, or POST form with `post: true`). */
async function v1(sim, auth, api, method, params = {}, { version = 1, post = false } = {}) {
  const cgi = { Task: 'task.cgi', Info: 'info.cgi', Statistic: 'statistic.cgi' }[api];
  const url = new URL(`/webapi/DownloadStation/${cgi}`, sim.url);
  const form = new URLSearchParams({
    api: `SYNO.DownloadStation.${api}`,
    version: String(version),
    method,
    ...params,
    _sid: auth.sid,
  });
  const response = post ? await fetch(url, { method: 'POST', body: form }) : await fetch(`${url}?${form}`);
  return response.json();
}

function ok(body) {
  assert.equal(body.success, true, JSON.stringify(body));
  return body.data;
}

function failsWith(body, code) {
  assert.equal(body.success, false, JSON.stringify(body));
  assert.equal(body.error.code, code, JSON.stringify(body));
}

async function v1Tasks(sim, auth, additional = 'detail,transfer,file') {
  return ok(await v1(sim, auth, 'Task', 'list', { additional })).tasks;
}

async function fileStationNames(sim, auth, folder) {
  const url = new URL('/webapi/entry.cgi', sim.url);
  url.search = new URLSearchParams({
    api: 'SYNO.FileStation.List',
    version: '2',
    method: 'list',
    folder_path: folder,
    additional: '["size"]',
    _sid: auth.sid,
  }).toString();
  const data = ok(await (await fetch(url)).json());
  return Object.fromEntries(data.files.map((file) => [file.name, file.additional.size]));
}

for (const profile of Object.keys(PROFILES)) {
  describe(`Download Station v1 (${profile})`, function () {
    let sim;
    let auth;

    beforeEach(async function () {
      sim = await startSimulator({ profile, readOnlyShares: ['photo'] });
      auth = await login(sim);
    });

    afterEach(async function () {
      await sim.close();
    });

    it('answers Info getinfo, getconfig and Statistic getinfo with the captured keys', async function () {
      const info = ok(await v1(sim, auth, 'Info', 'getinfo', {}, { version: 2 }));
      assert.deepEqual(sorted(info), sorted(INFO_CAPTURE.DSM_6_DOWNLOAD_STATION_INFO_INFO.data));
      const config = ok(await v1(sim, auth, 'Info', 'getconfig', {}, { version: 2 }));
      assert.deepEqual(sorted(config), sorted(INFO_CAPTURE.DSM_6_DOWNLOAD_STATION_INFO_CONFIG.data));
      assert.equal(config.default_destination, 'downloads');
      const stat = ok(await v1(sim, auth, 'Statistic', 'getinfo'));
      assert.deepEqual(sorted(stat), sorted(STAT_CAPTURE.DSM_6_DOWNLOAD_STATION_STAT_INFO.data));
    });

    it('follows a URL task from waiting to finished over the simulator clock; File Station sees its file', async function () {
      ok(
        await v1(
          sim,
          auth,
          'Task',
          'create',
          { uri: 'https://example.com/files/report%20final.pdf' },
          { version: 3, post: true },
        ),
      );
      let [task] = await v1Tasks(sim, auth);
      assert.deepEqual(
        { type: task.type, title: task.title, status: task.status, username: task.username },
        { type: 'https', title: 'report final.pdf', status: 'waiting', username: 'demo' },
      );
      assert.match(task.id, /^dbid_\d+$/);
      assert.deepEqual(sorted(task.additional.detail), sorted(CAPTURED_TASK.additional.detail));
      assert.equal(task.additional.detail.destination, 'downloads');
      assert.equal(task.additional.file, undefined, 'file lists are for bt tasks');
      assert.equal(task.status_extra, undefined);

      sim.control.advanceClock(1000 + DURATION_MS / 2);
      [task] = await v1Tasks(sim, auth);
      assert.equal(task.status, 'downloading');
      const downloaded = Number(task.additional.transfer.size_downloaded);
      assert.equal(
        typeof task.additional.transfer.size_downloaded,
        'string',
        'v1 sends byte counts as strings',
      );
      assert.ok(downloaded > 0 && downloaded < task.size, `${downloaded} of ${task.size}`);
      assert.ok(task.additional.transfer.speed_download > 0);
      const stat = ok(await v1(sim, auth, 'Statistic', 'getinfo'));
      assert.equal(stat.speed_download, task.additional.transfer.speed_download);
      assert.equal((await fileStationNames(sim, auth, '/downloads'))['report final.pdf'], undefined);

      sim.control.advanceClock(ALL_DONE_MS);
      [task] = await v1Tasks(sim, auth);
      assert.equal(task.status, 'finished');
      assert.equal(task.additional.transfer.size_downloaded, String(task.size));
      assert.ok(task.additional.detail.completed_time >= task.additional.detail.started_time);
      assert.equal((await fileStationNames(sim, auth, '/downloads'))['report final.pdf'], task.size);
      assert.equal(fs.statSync(path.join(sim.dataDir, 'downloads', 'report final.pdf')).size, task.size);
    });

    it('creates one task per comma-separated URI, into the given share-relative destination', async function () {
      ok(
        await v1(sim, auth, 'Task', 'create', {
          uri: 'http://example.com/a.iso,ftp://example.com/pub/b.zip,magnet:?xt=urn:btih:0123456789abcdef0123456789abcdef01234567&dn=Big%20Show&xl=4096',
          destination: 'video/',
        }),
      );
      const tasks = await v1Tasks(sim, auth);
      assert.deepEqual(
        tasks.map((task) => [task.type, task.title, task.additional.detail.destination]),
        [
          ['http', 'a.iso', 'video'],
          ['ftp', 'b.zip', 'video'],
          ['bt', 'Big Show', 'video'],
        ],
      );
      assert.equal(tasks[2].size, 4096);
      assert.deepEqual(
        tasks[2].additional.file.map((file) => file.filename),
        ['Big Show'],
      );
      sim.control.advanceClock(ALL_DONE_MS);
      const done = await v1Tasks(sim, auth);
      assert.deepEqual(
        done.map((task) => task.status),
        ['finished', 'finished', 'seeding'],
      );
      assert.deepEqual(sorted(await fileStationNames(sim, auth, '/video')), [
        'Big Show',
        'README.txt',
        'a.iso',
        'b.zip',
      ]);
    });

    it('ends a URL on a .invalid host in error with error_detail broken_link, as captured', async function () {
      ok(await v1(sim, auth, 'Task', 'create', { uri: 'https://files.example.invalid/x.bin' }));
      sim.control.advanceClock(ALL_DONE_MS);
      const [task] = await v1Tasks(sim, auth, 'detail');
      assert.equal(task.status, 'error');
      assert.deepEqual(task.status_extra, { error_detail: 'broken_link' });
      assert.deepEqual(sorted(task.status_extra), sorted(CAPTURED_ERROR_TASK.status_extra));
      assert.equal(fs.existsSync(path.join(sim.dataDir, 'downloads', 'x.bin')), false);
    });

    it('refuses missing (403), volume-absolute (403) and read-only (402) destinations', async function () {
      const create = (destination) =>
        v1(sim, auth, 'Task', 'create', { uri: 'http://example.com/a', destination });
      failsWith(await create('nowhere'), 403);
      failsWith(await create('downloads/missing/sub'), 403);
      failsWith(await create('/volume1/downloads'), 403);
      failsWith(await create('/downloads'), 403);
      failsWith(await create('photo'), 402);
      assert.deepEqual(await v1Tasks(sim, auth), []);
    });

    it('answers 101 to a .torrent sent to the v1 API (Download Station >= 3.8.16)', async function () {
      const form = new FormData();
      form.append('api', 'SYNO.DownloadStation.Task');
      form.append('version', '3');
      form.append('method', 'create');
      form.append('destination', 'downloads');
      form.append('file', new Blob([Buffer.from('d4:infod4:name1:xee')]), 'x.torrent');
      const url = new URL(`/webapi/DownloadStation/task.cgi?_sid=${auth.sid}`, sim.url);
      failsWith(await (await fetch(url, { method: 'POST', body: form })).json(), 101);
      const withApiInQuery = new URL('/webapi/DownloadStation/task.cgi', sim.url);
      withApiInQuery.search = `api=SYNO.DownloadStation.Task&version=3&method=create&_sid=${auth.sid}`;
      failsWith(await (await fetch(withApiInQuery, { method: 'POST', body: form })).json(), 101);
      assert.deepEqual(await v1Tasks(sim, auth), []);
    });

    it('pauses, resumes, edits and deletes tasks, answering [{id, error}] with 404 for unknown ids', async function () {
      ok(
        await v1(sim, auth, 'Task', 'create', {
          uri: 'http://example.com/one.bin,http://example.com/two.bin',
        }),
      );
      const [one, two] = await v1Tasks(sim, auth);
      sim.control.advanceClock(1000 + DURATION_MS / 2);
      assert.deepEqual(ok(await v1(sim, auth, 'Task', 'pause', { id: `${one.id},dbid_999` })), [
        { id: one.id, error: 0 },
        { id: 'dbid_999', error: 404 },
      ]);
      const pausedAt = (await v1Tasks(sim, auth))[0];
      assert.equal(pausedAt.status, 'paused');
      sim.control.advanceClock(ALL_DONE_MS);
      let [paused, other] = await v1Tasks(sim, auth);
      assert.equal(paused.status, 'paused');
      assert.equal(paused.additional.transfer.size_downloaded, pausedAt.additional.transfer.size_downloaded);
      assert.equal(other.status, 'finished');
      assert.deepEqual(ok(await v1(sim, auth, 'Task', 'pause', { id: two.id })), [
        { id: two.id, error: 405 },
      ]);

      assert.deepEqual(
        ok(await v1(sim, auth, 'Task', 'edit', { id: one.id, destination: 'video' }, { version: 2 })),
        [{ id: one.id, error: 0 }],
      );
      failsWith(
        await v1(sim, auth, 'Task', 'edit', { id: one.id, destination: 'nowhere' }, { version: 2 }),
        403,
      );
      assert.deepEqual(ok(await v1(sim, auth, 'Task', 'resume', { id: one.id })), [{ id: one.id, error: 0 }]);
      assert.equal((await v1Tasks(sim, auth))[0].status, 'waiting');
      sim.control.advanceClock(ALL_DONE_MS);
      [paused] = await v1Tasks(sim, auth);
      assert.equal(paused.status, 'finished');
      assert.equal(paused.additional.detail.destination, 'video');
      assert.ok(fs.existsSync(path.join(sim.dataDir, 'video', 'one.bin')));

      assert.deepEqual(
        ok(await v1(sim, auth, 'Task', 'delete', { id: `${one.id},${two.id}`, force_complete: 'false' })),
        [
          { id: one.id, error: 0 },
          { id: two.id, error: 0 },
        ],
      );
      assert.deepEqual(await v1Tasks(sim, auth), []);
      assert.ok(fs.existsSync(path.join(sim.dataDir, 'video', 'one.bin')), 'a finished file stays');
      failsWith(await v1(sim, auth, 'Task', 'getinfo', { id: one.id }), 404);
    });

    it('getinfo answers the tasks asked for, with the additional parts asked for', async function () {
      ok(await v1(sim, auth, 'Task', 'create', { uri: 'http://example.com/a,http://example.com/b' }));
      const [, second] = await v1Tasks(sim, auth);
      const { tasks } = ok(await v1(sim, auth, 'Task', 'getinfo', { id: second.id, additional: 'transfer' }));
      assert.deepEqual(
        tasks.map((task) => task.id),
        [second.id],
      );
      assert.deepEqual(Object.keys(tasks[0].additional), ['transfer']);
      const page = ok(await v1(sim, auth, 'Task', 'list', { offset: '1', limit: '5' }));
      assert.deepEqual(
        { total: page.total, offset: page.offset, ids: page.tasks.map((task) => task.id) },
        {
          total: 2,
          offset: 1,
          ids: [second.id],
        },
      );
      assert.equal(page.tasks[0].additional, undefined);
    });

    it('shows each account only its own tasks', async function () {
      ok(await v1(sim, auth, 'Task', 'create', { uri: 'http://example.com/mine' }));
      const url = new URL(`/webapi/${PROFILES[profile].authPath}`, sim.url);
      url.search = new URLSearchParams({
        api: 'SYNO.API.Auth',
        version: PROFILES[profile].authVersion,
        method: 'login',
        account: 'otp-user',
        passwd: 'otp-pass',
        otp_code: sim.control.totpCode('otp-user'),
        format: 'sid',
      }).toString();
      const other = { sid: (await (await fetch(url)).json()).data.sid };
      assert.deepEqual(await v1Tasks(sim, other), []);
      const [mine] = await v1Tasks(sim, auth);
      assert.deepEqual(ok(await v1(sim, other, 'Task', 'delete', { id: mine.id })), [
        { id: mine.id, error: 404 },
      ]);
    });

    it('lets the control surface finish or fail a task now', async function () {
      ok(
        await v1(sim, auth, 'Task', 'create', {
          uri: 'http://example.com/now.bin,http://example.com/never.bin',
        }),
      );
      const [first, second] = await v1Tasks(sim, auth);
      sim.control.finishDownloadTask(first.id);
      await postControl(sim, '/sim/download-station/fail', { id: second.id, errorDetail: 'disk_full' });
      const [finished, failed] = await v1Tasks(sim, auth);
      assert.equal(finished.status, 'finished');
      assert.ok(fs.existsSync(path.join(sim.dataDir, 'downloads', 'now.bin')));
      assert.deepEqual([failed.status, failed.status_extra], ['error', { error_detail: 'disk_full' }]);
      assert.throws(() => sim.control.finishDownloadTask('dbid_999'), RangeError);
    });

    it('counts creates, so a test can prove a create was sent once after a reset connection', async function () {
      sim.control.injectFault({
        api: 'SYNO.DownloadStation.Task',
        method: 'create',
        reset: true,
        when: 'after',
      });
      await assert.rejects(v1(sim, auth, 'Task', 'create', { uri: 'http://example.com/once' }));
      assert.equal(sim.control.counters().methods['SYNO.DownloadStation.Task.create'], 1);
      assert.equal((await v1Tasks(sim, auth)).length, 1, 'the create was performed before the reset');
    });
  });
}

describe('Download Station default destinations', function () {
  let sim;

  before(async function () {
    sim = await startSimulator({
      users: [
        { username: 'demo', password: 'synology', downloadDestination: 'downloads' },
        { username: 'fresh', password: 'fresh-pass' },
      ],
    });
  });

  after(async function () {
    await sim.close();
  });

  it('answers 406 to a create without destination for an account that has no default', async function () {
    const auth = await login(sim, 'fresh', 'fresh-pass');
    failsWith(await v1(sim, auth, 'Task', 'create', { uri: 'http://example.com/a' }), 406);
    assert.equal(ok(await v1(sim, auth, 'Info', 'getconfig')).default_destination, '');
    ok(await v1(sim, auth, 'Task', 'create', { uri: 'http://example.com/a', destination: 'home' }));
    failsWith(await v1(sim, auth, 'Info', 'setserverconfig', { default_destination: 'nowhere' }), 403);
    ok(await v1(sim, auth, 'Info', 'setserverconfig', { default_destination: 'video' }));
    assert.equal(ok(await v1(sim, auth, 'Info', 'getconfig')).default_destination, 'video');
    ok(await v1(sim, auth, 'Task', 'create', { uri: 'http://example.com/b' }));
    const tasks = await v1Tasks(sim, auth);
    assert.deepEqual(
      tasks.map((task) => task.additional.detail.destination),
      ['home', 'video'],
    );
  });
});

describe('Download Station not installed', function () {
  it('is missing from API.Info and answers 102, until the control surface installs it', async function () {
    const sim = await startSimulator({ downloadStation: false });
    try {
      const auth = await login(sim);
      const apis = async () => {
        const url = new URL('/webapi/query.cgi?api=SYNO.API.Info&version=1&method=query&query=all', sim.url);
        return Object.keys((await (await fetch(url)).json()).data).filter((api) =>
          api.startsWith('SYNO.DownloadStation'),
        );
      };
      assert.deepEqual(await apis(), []);
      failsWith(await v1(sim, auth, 'Task', 'list'), 102);
      await postControl(sim, '/sim/download-station', { installed: true });
      assert.ok((await apis()).includes('SYNO.DownloadStation.Task'));
      ok(await v1(sim, auth, 'Task', 'list'));
      sim.control.setDownloadStationInstalled(false);
      failsWith(await v1(sim, auth, 'Info', 'getinfo'), 102);
    } finally {
      await sim.close();
    }
  });
});

async function postControl(sim, pathname, body) {
  const response = await fetch(new URL(pathname, sim.url), { method: 'POST', body: JSON.stringify(body) });
  assert.equal(response.status, 200, await response.clone().text());
  return response.json();
}

const DS2_LIST_SCHEMA = require('./fixtures/captures/SYNO.DownloadStation2.Task-list.json');
const DS2_STATISTIC_SCHEMA = require('./fixtures/captures/SYNO.DownloadStation2.Task.Statistic-get.json');
const DS2_LOCATION_SCHEMA = require('./fixtures/captures/SYNO.DownloadStation2.Settings.Location-get.json');

const j = (value) => JSON.stringify(value);

/** A DownloadStation2 call to entry.cgi; values are sent as given (the caller JSON-encodes them or not). */
async function ds2(sim, auth, api, method, params = {}, { version = 2, token = true } = {}) {
  const url = new URL('/webapi/entry.cgi', sim.url);
  const form = new URLSearchParams({
    api: `SYNO.DownloadStation2.${api}`,
    version: String(version),
    method,
    ...params,
    _sid: auth.sid,
  });
  const headers = token ? { 'X-SYNO-TOKEN': auth.synotoken } : {};
  return (await fetch(url, { method: 'POST', body: form, headers })).json();
}

async function ds2Tasks(sim, auth, additional = ['detail', 'transfer', 'file']) {
  const data = ok(await ds2(sim, auth, 'Task', 'list', { additional: j(additional) }));
  assert.deepEqual(sorted(data), [...DS2_LIST_SCHEMA.required].sort());
  return data.task;
}

/** Bencodes strings, integers, Buffers, arrays and objects (keys sorted, BEP 3). */
function bencode(value) {
  if (typeof value === 'number') return Buffer.from(`i${value}e`);
  if (typeof value === 'string' || Buffer.isBuffer(value)) {
    const bytes = Buffer.from(value);
    return Buffer.concat([Buffer.from(`${bytes.length}:`), bytes]);
  }
  if (Array.isArray(value)) return Buffer.concat([Buffer.from('l'), ...value.map(bencode), Buffer.from('e')]);
  const keys = Object.keys(value).sort();
  return Buffer.concat([
    Buffer.from('d'),
    ...keys.flatMap((key) => [bencode(key), bencode(value[key])]),
    Buffer.from('e'),
  ]);
}

function torrentOf(info) {
  const data = bencode({ announce: 'http://tracker.example.invalid/announce', info });
  return { data, infoHash: require('node:crypto').createHash('sha1').update(bencode(info)).digest('hex') };
}

const MULTI_FILE_INFO = {
  name: 'Season 1',
  'piece length': 262144,
  pieces: Buffer.alloc(20),
  files: [
    { length: 1000, path: ['e01.mkv'] },
    { length: 2000, path: ['extras', 'sample.mkv'] },
    { length: 30, path: ['info.nfo'] },
  ],
};

/** The DSM UI's torrent create (khoazero's capture): every field in the body, in this order, the torrent last. */
function torrentForm(
  torrent,
  { partName = 'torrent', fileField = [partName], destination = 'downloads', createList = false } = {},
) {
  const form = new FormData();
  form.append('api', 'SYNO.DownloadStation2.Task');
  form.append('method', 'create');
  form.append('version', '2');
  form.append('type', j('file'));
  form.append('file', j(fileField));
  form.append('destination', j(destination));
  form.append('create_list', j(createList));
  form.append('mtime', String(Date.now()));
  form.append('size', String(torrent.length));
  form.append(partName, new Blob([torrent], { type: 'application/x-bittorrent' }), 'season.torrent');
  return form;
}

async function postTorrent(sim, auth, form) {
  const url = new URL(`/webapi/entry.cgi?_sid=${auth.sid}`, sim.url);
  return (
    await fetch(url, { method: 'POST', body: form, headers: { 'X-SYNO-TOKEN': auth.synotoken } })
  ).json();
}

for (const profile of Object.keys(PROFILES)) {
  describe(`Download Station DS2 (${profile})`, function () {
    let sim;
    let auth;

    beforeEach(async function () {
      sim = await startSimulator({ profile });
      auth = await login(sim);
    });

    afterEach(async function () {
      await sim.close();
    });

    it('creates a URL task from JSON-encoded values and lists it under "task" with numeric statuses', async function () {
      const created = ok(
        await ds2(sim, auth, 'Task', 'create', {
          type: j('url'),
          url: j(['https://example.com/dl/movie.mkv']),
          destination: j(''),
          create_list: j(false),
        }),
      );
      assert.deepEqual(created.list_id, []);
      assert.match(created.task_id[0], /^dbid_\d+$/);
      let [task] = await ds2Tasks(sim, auth);
      assert.deepEqual(
        [task.id, task.type, task.title, task.status],
        [created.task_id[0], 'https', 'movie.mkv', 1],
      );
      assert.equal(task.additional.detail.destination, 'downloads');
      assert.equal(typeof task.additional.transfer.size_downloaded, 'number');
      sim.control.advanceClock(1000 + DURATION_MS / 2);
      [task] = await ds2Tasks(sim, auth);
      assert.equal(task.status, 2);
      const stat = ok(await ds2(sim, auth, 'Task.Statistic', 'get', {}, { version: 1 }));
      assert.deepEqual(sorted(stat), [...DS2_STATISTIC_SCHEMA.required].sort());
      assert.equal(stat.download_rate, task.additional.transfer.speed_download);
      sim.control.advanceClock(ALL_DONE_MS);
      [task] = await ds2Tasks(sim, auth);
      assert.equal(task.status, 5);
      assert.equal(fs.statSync(path.join(sim.dataDir, 'downloads', 'movie.mkv')).size, task.size);
      const { tasks } = ok(
        await ds2(sim, auth, 'Task', 'get', { id: j([task.id]), additional: j(['detail']) }),
      );
      assert.deepEqual(
        [tasks[0].id, tasks[0].status, Object.keys(tasks[0].additional)],
        [task.id, 5, ['detail']],
      );
    });

    it('answers 120 with errors {name, reason} to bare (not JSON-encoded) values and missing ones', async function () {
      const bare = await ds2(sim, auth, 'Task', 'create', {
        type: 'url',
        url: 'https://example.com/a',
        destination: '""',
        create_list: 'false',
      });
      assert.deepEqual(bare, {
        success: false,
        error: { code: 120, errors: { name: 'type', reason: 'type' } },
      });
      const bareUrl = await ds2(sim, auth, 'Task', 'create', {
        type: j('url'),
        url: 'https://example.com/a',
        destination: j(''),
        create_list: j(false),
      });
      assert.deepEqual(bareUrl.error, { code: 120, errors: { name: 'url', reason: 'type' } });
      const missing = await ds2(sim, auth, 'Task', 'create', {
        type: j('url'),
        destination: j(''),
        url: j(['https://example.com/a']),
      });
      assert.deepEqual(missing.error, { code: 120, errors: { name: 'create_list', reason: 'required' } });
      const bareDestination = await ds2(sim, auth, 'Task', 'edit', {
        id: j(['dbid_1']),
        destination: 'video',
      });
      assert.deepEqual(bareDestination.error.errors, { name: 'destination', reason: 'type' });
      assert.deepEqual(await ds2Tasks(sim, auth), []);
      // DSM takes one bare word as list's additional (Prowlarr), not a bare comma list.
      ok(await ds2(sim, auth, 'Task', 'list', { additional: 'detail' }));
      assert.equal((await ds2(sim, auth, 'Task', 'list', { additional: 'detail,transfer' })).error.code, 120);
    });

    it(
      profile === 'dsm7'
        ? 'refuses a create without the SynoToken (119, DSM >= 7.1.1)'
        : 'takes a create without SynoToken (DSM 6.2.2)',
      async function () {
        const params = {
          type: j('url'),
          url: j(['http://example.com/x']),
          destination: j(''),
          create_list: j(false),
        };
        const answer = await ds2(sim, auth, 'Task', 'create', params, { token: false });
        if (profile === 'dsm7') failsWith(answer, 119);
        else ok(answer);
        const withQueryToken = await ds2(
          sim,
          auth,
          'Task',
          'create',
          { ...params, SynoToken: auth.synotoken },
          { token: false },
        );
        ok(withQueryToken);
        ok(await ds2(sim, auth, 'Task', 'list'));
      },
    );

    it('creates a torrent task from the captured multipart order; its folder of files appears when done', async function () {
      const torrent = torrentOf(MULTI_FILE_INFO);
      const created = ok(await postTorrent(sim, auth, torrentForm(torrent.data)));
      let [task] = await ds2Tasks(sim, auth);
      assert.equal(task.id, created.task_id[0]);
      assert.deepEqual([task.type, task.title, task.size, task.status], ['bt', 'Season 1', 3030, 1]);
      assert.deepEqual(
        task.additional.file.map((file) => [file.index, file.filename, file.size]),
        [
          [0, 'e01.mkv', 1000],
          [1, 'extras/sample.mkv', 2000],
          [2, 'info.nfo', 30],
        ],
      );
      assert.equal(task.additional.detail.uri, 'season.torrent');
      sim.control.advanceClock(ALL_DONE_MS);
      [task] = await ds2Tasks(sim, auth);
      assert.equal(task.status, 8, 'a finished torrent seeds');
      const folder = path.join(sim.dataDir, 'downloads', 'Season 1');
      assert.equal(fs.statSync(path.join(folder, 'extras', 'sample.mkv')).size, 2000);
      assert.deepEqual(fs.readdirSync(folder).sort(), ['e01.mkv', 'extras', 'info.nfo']);
      const v1View = (await v1Tasks(sim, auth))[0];
      assert.equal(v1View.status, 'seeding');
    });

    it('logs the text fields of a torrent create sent in the body, api and _sid in the query', async function () {
      const torrent = torrentOf(MULTI_FILE_INFO);
      const form = new FormData();
      form.append('type', j('file'));
      form.append('file', j(['torrent']));
      form.append('destination', j('downloads'));
      form.append('create_list', j(false));
      form.append(
        'torrent',
        new Blob([torrent.data], { type: 'application/x-bittorrent' }),
        'season.torrent',
      );
      const url = new URL('/webapi/entry.cgi', sim.url);
      url.search = new URLSearchParams({
        api: 'SYNO.DownloadStation2.Task',
        version: '2',
        method: 'create',
        _sid: auth.sid,
      });
      const sent = await fetch(url, {
        method: 'POST',
        body: form,
        headers: { 'X-SYNO-TOKEN': auth.synotoken },
      });
      ok(await sent.json());
      const entry = sim.control.requestLog().at(-1);
      assert.deepEqual(entry.params, {
        api: 'SYNO.DownloadStation2.Task',
        version: '2',
        method: 'create',
        _sid: '***',
        type: '"file"',
        file: '["torrent"]',
        destination: '"downloads"',
        create_list: 'false',
      });
    });

    it('computes the info hash: a magnet of a torrent already added ends in torrent_duplicate', async function () {
      const torrent = torrentOf(MULTI_FILE_INFO);
      ok(await postTorrent(sim, auth, torrentForm(torrent.data)));
      ok(
        await ds2(sim, auth, 'Task', 'create', {
          type: j('url'),
          url: j([
            `magnet:?xt=urn:btih:${torrent.infoHash.toUpperCase()}&dn=again`,
            'magnet:?xt=urn:btih:' + 'f'.repeat(40),
          ]),
          destination: j(''),
          create_list: j(false),
        }),
      );
      sim.control.advanceClock(ALL_DONE_MS);
      const tasks = await ds2Tasks(sim, auth);
      assert.deepEqual(
        tasks.map((task) => [task.title, task.status_extra?.error_detail]),
        [
          ['Season 1', undefined],
          ['again', 'torrent_duplicate'],
          ['f'.repeat(40), undefined],
        ],
      );
    });

    it('names the torrent part with file=[...] (Prowlarr "fileData"); a missing part is 120 condition', async function () {
      const torrent = torrentOf({
        name: 'one.iso',
        length: 5000,
        'piece length': 16384,
        pieces: Buffer.alloc(20),
      });
      ok(await postTorrent(sim, auth, torrentForm(torrent.data, { partName: 'fileData' })));
      const [task] = await ds2Tasks(sim, auth);
      assert.deepEqual([task.title, task.size], ['one.iso', 5000]);
      const missing = await postTorrent(
        sim,
        auth,
        torrentForm(torrent.data, { partName: 'torrent', fileField: ['other'] }),
      );
      assert.deepEqual(missing.error, { code: 120, errors: { name: 'file', reason: 'condition' } });
      failsWith(await postTorrent(sim, auth, torrentForm(Buffer.from('<html>not a torrent</html>'))), 400);
      assert.equal((await ds2Tasks(sim, auth)).length, 1);
    });

    it('reads only the fields before the torrent part, as DSM does', async function () {
      const torrent = torrentOf({
        name: 'late.iso',
        length: 10,
        'piece length': 16384,
        pieces: Buffer.alloc(20),
      });
      const form = new FormData();
      form.append('api', 'SYNO.DownloadStation2.Task');
      form.append('method', 'create');
      form.append('version', '2');
      form.append('type', j('file'));
      form.append('destination', j('downloads'));
      form.append('create_list', j(false));
      form.append('torrent', new Blob([torrent.data]), 'late.torrent');
      form.append('file', j(['torrent']));
      assert.deepEqual((await postTorrent(sim, auth, form)).error, {
        code: 120,
        errors: { name: 'file', reason: 'required' },
      });
    });

    it('lets the user choose files: create_list, Task.List get, Task.List.Polling download and status', async function () {
      const torrent = torrentOf(MULTI_FILE_INFO);
      const created = ok(await postTorrent(sim, auth, torrentForm(torrent.data, { createList: true })));
      assert.deepEqual(created.task_id, []);
      const [listId] = created.list_id;
      const listed = ok(await ds2(sim, auth, 'Task.List', 'get', { list_id: j(listId) }));
      assert.deepEqual(listed, {
        files: [
          { index: 0, name: 'e01.mkv', size: 1000 },
          { index: 1, name: 'extras/sample.mkv', size: 2000 },
          { index: 2, name: 'info.nfo', size: 30 },
        ],
        size: 3030,
        title: 'Season 1',
        type: 'bt',
      });
      assert.deepEqual(await ds2Tasks(sim, auth), []);
      const { task_id: handle } = ok(
        await ds2(sim, auth, 'Task.List.Polling', 'download', {
          list_id: j(listId),
          destination: j('video'),
          create_subfolder: j(false),
          file_indexes: j([0, 2]),
        }),
      );
      assert.match(handle, /^demo\/SYNODLTaskListDownload/);
      const status = ok(await ds2(sim, auth, 'Task.List.Polling', 'download_status', { task_id: j(handle) }));
      assert.equal(status.finish, true);
      const [task] = await ds2Tasks(sim, auth);
      assert.deepEqual(status.task_id, [task.id]);
      assert.equal(task.size, 1030);
      assert.deepEqual(
        task.additional.file.map((file) => file.wanted),
        [true, false, true],
      );
      sim.control.advanceClock(ALL_DONE_MS);
      assert.ok(fs.existsSync(path.join(sim.dataDir, 'video', 'e01.mkv')));
      assert.ok(fs.existsSync(path.join(sim.dataDir, 'video', 'info.nfo')));
      assert.equal(fs.existsSync(path.join(sim.dataDir, 'video', 'extras')), false);
      assert.equal((await ds2(sim, auth, 'Task.List', 'get', { list_id: j(listId) })).error.code, 120);
    });

    it('pauses, resumes, edits and deletes, reporting failures in failed_task', async function () {
      const { task_id: ids } = ok(
        await ds2(sim, auth, 'Task', 'create', {
          type: j('url'),
          url: j([
            'http://example.com/a.bin',
            'magnet:?xt=urn:btih:0123456789abcdef0123456789abcdef01234567&dn=M',
          ]),
          destination: j('downloads'),
          create_list: j(false),
        }),
      );
      assert.deepEqual(ok(await ds2(sim, auth, 'Task', 'pause', { id: j([ids[0], 'dbid_999']) })), {
        failed_task: [{ id: 'dbid_999', error: 404 }],
      });
      assert.deepEqual(
        (await ds2Tasks(sim, auth)).map((task) => task.status),
        [3, 1],
      );
      assert.deepEqual(
        ok(await ds2(sim, auth, 'Task', 'edit', { id: j([ids[0]]), destination: j('home') })),
        {
          failed_task: [],
        },
      );
      failsWith(await ds2(sim, auth, 'Task', 'edit', { id: j([ids[0]]), destination: j('nowhere') }), 403);
      ok(await ds2(sim, auth, 'Task', 'resume', { id: j([ids[0]]) }));
      sim.control.advanceClock(ALL_DONE_MS);
      assert.deepEqual(
        (await ds2Tasks(sim, auth)).map((task) => task.status),
        [5, 8],
      );
      assert.ok(fs.existsSync(path.join(sim.dataDir, 'home', 'a.bin')));
      assert.deepEqual(ok(await ds2(sim, auth, 'Task', 'delete', { id: j(ids), force_complete: j(false) })), {
        failed_task: [],
      });
      assert.deepEqual(await ds2Tasks(sim, auth), []);
    });

    it('bulk-deletes by condition in version 2 only (N4S4 clear_finished_tasks: status=[5])', async function () {
      const create = (url) =>
        ds2(sim, auth, 'Task', 'create', {
          type: j('url'),
          url: j([url]),
          destination: j(''),
          create_list: j(false),
        });
      const {
        task_id: [done],
      } = ok(await create('http://example.com/done'));
      sim.control.finishDownloadTask(done);
      ok(await create('http://example.com/running'));
      failsWith(await ds2(sim, auth, 'Task', 'delete_condition', { status: j([5]) }, { version: 1 }), 103);
      ok(await ds2(sim, auth, 'Task', 'delete_condition', { status: j([5]) }));
      assert.deepEqual(
        (await ds2Tasks(sim, auth)).map((task) => task.title),
        ['running'],
      );
      ok(await ds2(sim, auth, 'Task', 'pause_condition', { type: j(['http']) }));
      assert.deepEqual(
        (await ds2Tasks(sim, auth)).map((task) => task.status),
        [3],
      );
      ok(await ds2(sim, auth, 'Task', 'resume_condition', { type: j(['bt']), type_inverse: j(true) }));
      assert.deepEqual(
        (await ds2Tasks(sim, auth)).map((task) => task.status),
        [1],
      );
    });

    it('shows failures only in status_extra.error_detail, numeric when DSM sends a number', async function () {
      const { task_id: ids } = ok(
        await ds2(sim, auth, 'Task', 'create', {
          type: j('url'),
          url: j(['https://dead.example.invalid/x', 'https://example.com/y']),
          destination: j(''),
          create_list: j(false),
        }),
      );
      sim.control.failDownloadTask(ids[1], 123);
      sim.control.advanceClock(ALL_DONE_MS);
      const tasks = await ds2Tasks(sim, auth);
      assert.deepEqual(
        tasks.map((task) => [task.status_extra, typeof task.status]),
        [
          [{ error_detail: 'broken_link' }, 'number'],
          [{ error_detail: 123 }, 'number'],
        ],
      );
      assert.ok(
        tasks.every((task) => ![1, 2, 3, 4, 5, 8].includes(task.status)),
        'no success status',
      );
    });

    it('answers Settings.Location get/set with the schema keys', async function () {
      const location = ok(await ds2(sim, auth, 'Settings.Location', 'get', {}, { version: 1 }));
      assert.deepEqual(sorted(location), [...DS2_LOCATION_SCHEMA.required].sort());
      assert.equal(location.default_destination, 'downloads');
      ok(
        await ds2(sim, auth, 'Settings.Location', 'set', { default_destination: j('video') }, { version: 1 }),
      );
      assert.equal(ok(await v1(sim, auth, 'Info', 'getconfig')).default_destination, 'video');
    });
  });
}

describe('Download Station DS2 without a default destination', function () {
  it('takes a create with destination "" and leaves the task waiting forever, as DSM', async function () {
    const sim = await startSimulator({
      profile: 'dsm6',
      users: [{ username: 'fresh', password: 'fresh-pass' }],
    });
    try {
      const auth = await login(sim, 'fresh', 'fresh-pass');
      ok(
        await ds2(sim, auth, 'Task', 'create', {
          type: j('url'),
          url: j(['http://example.com/a']),
          destination: j(''),
          create_list: j(false),
        }),
      );
      sim.control.advanceClock(10 * ALL_DONE_MS);
      const [task] = await ds2Tasks(sim, auth);
      assert.deepEqual([task.status, task.additional.detail.destination], [1, '']);
      assert.equal(
        (await ds2(sim, auth, 'Settings.Location', 'get', {}, { version: 1 })).data.default_destination,
        '',
      );
      failsWith(await ds2(sim, auth, 'Task', 'list', {}, { version: 3 }), 104);
    } finally {
      await sim.close();
    }
  });

  it('DS2 APIs vanish with Download Station (102)', async function () {
    const sim = await startSimulator({ downloadStation: false });
    try {
      const auth = await login(sim);
      failsWith(await ds2(sim, auth, 'Task', 'list'), 102);
    } finally {
      await sim.close();
    }
  });
});

/** The Download Station APIs API.Info lists, with their maxVersion. */
async function downloadStationApis(sim) {
  const url = new URL('/webapi/query.cgi?api=SYNO.API.Info&version=1&method=query&query=all', sim.url);
  const { data } = await (await fetch(url)).json();
  return Object.fromEntries(
    Object.entries(data)
      .filter(([api]) => api.startsWith('SYNO.DownloadStation'))
      .map(([api, entry]) => [api, entry.maxVersion]),
  );
}

const V1_APIS = ['SYNO.DownloadStation.Info', 'SYNO.DownloadStation.Statistic', 'SYNO.DownloadStation.Task'];
const DS2_APIS = [
  'SYNO.DownloadStation2.Settings.Location',
  'SYNO.DownloadStation2.Task',
  'SYNO.DownloadStation2.Task.List',
  'SYNO.DownloadStation2.Task.List.Polling',
  'SYNO.DownloadStation2.Task.Statistic',
];
const URL_CREATE = {
  type: j('url'),
  url: j(['http://example.com/set.bin']),
  destination: j(''),
  create_list: j(false),
};

for (const profile of Object.keys(PROFILES)) {
  describe(`Download Station API sets: downloadStationApis (${profile})`, function () {
    let sim;
    afterEach(async () => sim?.close());

    it('ds2-only: no v1 API in API.Info, v1 calls answer 102, DownloadStation2 works', async function () {
      sim = await startSimulator({ profile, downloadStationApis: 'ds2-only' });
      const auth = await login(sim);
      assert.deepEqual(Object.keys(await downloadStationApis(sim)).sort(), DS2_APIS);
      failsWith(await v1(sim, auth, 'Task', 'list'), 102);
      failsWith(
        await v1(sim, auth, 'Task', 'create', { uri: 'http://example.com/v1.bin' }, { post: true }),
        102,
      );
      failsWith(await v1(sim, auth, 'Info', 'getconfig'), 102);
      failsWith(await v1(sim, auth, 'Statistic', 'getinfo'), 102);
      const created = ok(await ds2(sim, auth, 'Task', 'create', URL_CREATE));
      assert.equal(created.task_id.length, 1);
      assert.deepEqual(
        (await ds2Tasks(sim, auth)).map((task) => task.id),
        created.task_id,
      );
      assert.equal(sim.control.counters().methods['SYNO.DownloadStation.Task.create'], undefined);
    });

    it('v1-only: no DownloadStation2 API in API.Info, DS2 calls answer 102, v1 works', async function () {
      sim = await startSimulator({ profile, downloadStationApis: 'v1-only' });
      const auth = await login(sim);
      assert.deepEqual(Object.keys(await downloadStationApis(sim)).sort(), V1_APIS);
      failsWith(await ds2(sim, auth, 'Task', 'list'), 102);
      failsWith(await ds2(sim, auth, 'Task', 'create', URL_CREATE), 102);
      failsWith(await ds2(sim, auth, 'Settings.Location', 'get', {}, { version: 1 }), 102);
      ok(await v1(sim, auth, 'Task', 'create', { uri: 'http://example.com/v1.bin' }, { post: true }));
      assert.equal((await v1Tasks(sim, auth)).length, 1);
    });

    it('ds2-task-v1: DownloadStation2.Task advertised up to version 1; version 2 (torrents) answers 104', async function () {
      sim = await startSimulator({ profile, downloadStationApis: 'ds2-task-v1' });
      const auth = await login(sim);
      const apis = await downloadStationApis(sim);
      assert.deepEqual(Object.keys(apis).sort(), [...V1_APIS, ...DS2_APIS].sort());
      assert.equal(apis['SYNO.DownloadStation2.Task'], 1);
      assert.equal(apis['SYNO.DownloadStation2.Task.List'], 2, 'only Task is held back');
      failsWith(await ds2(sim, auth, 'Task', 'list'), 104);
      failsWith(await ds2(sim, auth, 'Task', 'create', URL_CREATE), 104);
      failsWith(await postTorrent(sim, auth, torrentForm(torrentOf(MULTI_FILE_INFO).data)), 104);
      ok(await ds2(sim, auth, 'Task', 'list', {}, { version: 1 }));
      ok(await v1(sim, auth, 'Task', 'create', { uri: 'http://example.com/v1.bin' }, { post: true }));
      assert.equal((await v1Tasks(sim, auth)).length, 1);
      assert.equal(sim.control.counters().methods['SYNO.DownloadStation2.Task.create'], undefined);
    });

    it('switches at run time through sim.control and POST /sim/download-station; tasks stay', async function () {
      sim = await startSimulator({ profile });
      const auth = await login(sim);
      assert.deepEqual(Object.keys(await downloadStationApis(sim)).sort(), [...V1_APIS, ...DS2_APIS].sort());
      ok(await v1(sim, auth, 'Task', 'create', { uri: 'http://example.com/kept.bin' }, { post: true }));
      await postControl(sim, '/sim/download-station', { apis: 'ds2-only' });
      assert.deepEqual(Object.keys(await downloadStationApis(sim)).sort(), DS2_APIS);
      assert.equal((await ds2Tasks(sim, auth)).length, 1, 'the v1 task is there through DS2');
      await postControl(sim, '/sim/download-station', { installed: false, apis: 'v1-only' });
      assert.deepEqual(await downloadStationApis(sim), {});
      await postControl(sim, '/sim/download-station', { installed: true });
      assert.deepEqual(Object.keys(await downloadStationApis(sim)).sort(), V1_APIS);
      sim.control.setDownloadStationApis('ds2-task-v1');
      assert.equal((await downloadStationApis(sim))['SYNO.DownloadStation2.Task'], 1);
      sim.control.setDownloadStationApis('both');
      assert.equal((await downloadStationApis(sim))['SYNO.DownloadStation2.Task'], 2);
    });

    it('refuses unknown API sets: at start, in sim.control and over HTTP (400, nothing changed)', async function () {
      await assert.rejects(
        startSimulator({ profile, downloadStationApis: 'ds3' }),
        /downloadStationApis must be one of both, ds2-only, v1-only, ds2-task-v1/,
      );
      sim = await startSimulator({ profile });
      assert.throws(() => sim.control.setDownloadStationApis('none'), RangeError);
      for (const body of [
        { apis: 'none', installed: false },
        { apis: 5 },
        {},
        { installed: 'no', apis: 'v1-only' },
      ]) {
        const response = await fetch(new URL('/sim/download-station', sim.url), {
          method: 'POST',
          body: JSON.stringify(body),
        });
        assert.equal(response.status, 400, JSON.stringify(body));
        assert.match((await response.json()).error, /apis|installed/);
      }
      assert.equal(Object.keys(await downloadStationApis(sim)).length, V1_APIS.length + DS2_APIS.length);
    });
  });
}

describe('bin/synology-dsm-sim.js --download-station-apis', function () {
  const bin = path.join(__dirname, '..', 'bin', 'synology-dsm-sim.js');
  const { spawn } = require('node:child_process');

  it('passes the API set through and documents it; an unknown one exits 2 saying the choices', async function () {
    const child = spawn(process.execPath, [bin, '--port', '0', '--download-station-apis', 'ds2-only'], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const exited = new Promise((resolve) => child.once('exit', resolve));
    try {
      const url = await new Promise((resolve, reject) => {
        let text = '';
        child.stdout.setEncoding('utf8');
        child.stdout.on('data', (chunk) => {
          text += chunk;
          const match = /listening on (http:\/\/[^ ]+)/.exec(text);
          if (match) resolve(match[1]);
        });
        child.once('exit', () => reject(new Error(`bin exited early: ${text}`)));
      });
      assert.deepEqual(Object.keys(await downloadStationApis({ url })).sort(), DS2_APIS);
    } finally {
      child.kill('SIGTERM');
    }
    assert.equal(await exited, 0);

    const run = (args) =>
      new Promise((resolve) => {
        const proc = spawn(process.execPath, [bin, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
        let output = '';
        proc.stdout.on('data', (chunk) => (output += chunk));
        proc.stderr.on('data', (chunk) => (output += chunk));
        proc.once('exit', (code) => resolve({ code, output }));
      });
    const bad = await run(['--port', '0', '--download-station-apis', 'ds3']);
    assert.equal(bad.code, 2);
    assert.match(bad.output, /--download-station-apis is one of both, ds2-only, v1-only, ds2-task-v1/);
    const help = await run(['--help']);
    assert.match(help.output, /--download-station-apis both\|ds2-only\|v1-only\|ds2-task-v1/);
  });
});
