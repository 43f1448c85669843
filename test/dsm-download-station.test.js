'use strict';
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { DsmClient, DownloadStation, DsmError } = require('../dist');
const { startSimulator, demo } = require('./support/sim');
const { makeTorrent } = require('./support/torrent');

const V1_CREATE = 'SYNO.DownloadStation.Task.create';
const DS2_CREATE = 'SYNO.DownloadStation2.Task.create';
/** Far enough on the simulator clock for any task to be done (1 s waiting, 10 s download, 1 s finishing). */
const ALL_DONE_MS = 15_000;
const HASH = '0123456789abcdef0123456789abcdef01234567';

/** The base32 spelling of a hex info hash (BEP 9 allows both in magnet links). */
function base32(hex) {
  const bits = [...hex].map((c) => parseInt(c, 16).toString(2).padStart(4, '0')).join('');
  return bits
    .match(/.{5}/g)
    .map((b) => 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'[parseInt(b, 2)])
    .join('');
}

async function rejects(promise, check) {
  await assert.rejects(promise, (err) => {
    assert.ok(err instanceof DsmError, String(err));
    check(err);
    return true;
  });
}

for (const profile of ['dsm7', 'dsm6']) {
  describe(`DownloadStation client against the simulator (${profile})`, function () {
    let sim;
    let client;
    let ds;
    const onDisk = (dsmPath) => path.join(sim.dataDir, ...dsmPath.split('/').filter(Boolean));
    const creates = () => sim.control.counters().methods[V1_CREATE] ?? 0;

    before(async () => {
      sim = await startSimulator({ port: 0, profile });
    });
    after(async () => sim.close());
    beforeEach(async () => {
      client = new DsmClient({ url: sim.url, username: demo.username, password: demo.password });
      ds = new DownloadStation(client);
      await ds.delete('all');
      sim.control.clearFaults();
      sim.control.resetCounters();
      sim.control.clearRequestLog();
    });
    afterEach(async () => client.close());

    it('creates a URL task into /share/dir or share/dir alike and follows it to finished, file in place', async function () {
      const first = await ds.create('https://example.com/iso/first.iso', {
        destination: '/downloads/iso',
        createFolder: true,
      });
      const second = await ds.create('https://example.com/iso/second.iso', { destination: 'downloads/iso' });
      assert.equal(first.created.length, 1);
      assert.equal(second.created.length, 1);
      const waiting = await ds.get([first.created[0], second.created[0]]);
      assert.deepEqual(
        waiting.map((t) => [t.destination, t.type, t.status]),
        [
          ['downloads/iso', 'https', 'waiting'],
          ['downloads/iso', 'https', 'waiting'],
        ],
      );
      sim.control.advanceClock(5_000);
      const [downloading] = await ds.get(first.created[0]);
      assert.equal(downloading.status, 'downloading');
      assert.ok(downloading.progress > 0 && downloading.progress < 100, String(downloading.progress));
      assert.ok(downloading.speedDownload > 0);
      assert.ok(downloading.eta > 0);
      assert.equal(typeof downloading.downloaded, 'number');
      sim.control.advanceClock(ALL_DONE_MS);
      const [done] = await ds.get(first.created[0]);
      assert.equal(done.status, 'finished');
      assert.equal(done.progress, 100);
      assert.equal(done.error, null);
      assert.equal(done.uri, 'https://example.com/iso/first.iso');
      assert.ok(done.completedAt > done.createdAt, 'times in ms');
      assert.equal(done.raw.id, done.id);
      assert.equal(fs.statSync(onDisk('/downloads/iso/first.iso')).size, done.size);
      assert.ok(fs.existsSync(onDisk('/downloads/iso/second.iso')));
    });

    it('sends a comma inside a URL as %2C in the v1 uri list, one task per link', async function () {
      const result = await ds.create(['https://example.com/a,b.iso', 'https://example.com/c.iso']);
      assert.equal(result.created.length, 2);
      const create = sim.control
        .requestLog()
        .find((e) => e.api === 'SYNO.DownloadStation.Task' && e.method === 'create');
      assert.equal(create.params.uri, 'https://example.com/a%2Cb.iso,https://example.com/c.iso');
      const titles = (await ds.list()).map((t) => t.title).sort();
      assert.deepEqual(titles, ['a,b.iso', 'c.iso']);
    });

    it('creates a magnet task; the same torrent as a base32 magnet is a duplicate', async function () {
      const magnet = `magnet:?xt=urn:btih:${HASH}&dn=ubuntu.iso`;
      const result = await ds.create(magnet);
      assert.equal(result.created.length, 1);
      const [task] = await ds.get(result.created);
      assert.equal(task.type, 'bt');
      const again = await ds.create(`magnet:?xt=urn:btih:${base32(HASH)}&dn=other-name`);
      assert.deepEqual(again, {
        created: [],
        skipped: [{ uri: `magnet:?xt=urn:btih:${base32(HASH)}&dn=other-name`, id: task.id }],
      });
      assert.equal(creates(), 1);
    });

    it('skips duplicates across two runs of the same links (normalized URLs); skipDuplicates false creates again', async function () {
      const feed = ['https://example.com/show/e01.mkv', 'https://example.com/show/e02.mkv'];
      const first = await ds.create(feed, { destination: 'downloads' });
      assert.equal(first.created.length, 2);
      const spelledOtherwise = ['HTTPS://Example.COM:443/show/e01.mkv#x', 'https://example.com/show/e02.mkv'];
      const second = await ds.create(spelledOtherwise, { destination: 'downloads' });
      assert.deepEqual(second.created, []);
      assert.deepEqual(second.skipped.map((s) => s.id).sort(), [...first.created].sort());
      assert.equal(creates(), 1, 'the second run sent no create');
      const forced = await ds.create(feed[0], { skipDuplicates: false });
      assert.equal(forced.created.length, 1);
      assert.equal((await ds.list()).length, 3);
    });

    it('pauses, resumes, moves and deletes tasks (with their files)', async function () {
      const { created } = await ds.create(
        ['https://example.com/p/one.bin', 'https://example.com/p/two.bin'],
        {
          destination: 'downloads',
        },
      );
      sim.control.advanceClock(2_000);
      const paused = await ds.pause(created);
      assert.deepEqual(paused.done.sort(), [...created].sort());
      assert.deepEqual((await ds.list({ status: 'paused' })).map((t) => t.id).sort(), [...created].sort());
      const moved = await ds.editDestination(created[0], '/video/incoming', { createFolder: true });
      assert.deepEqual(moved.done, [created[0]]);
      assert.equal((await ds.get(created[0]))[0].destination, 'video/incoming');
      await ds.resume(created);
      assert.deepEqual((await ds.list({ status: ['paused'] })).length, 0);
      sim.control.advanceClock(ALL_DONE_MS);
      assert.ok(fs.existsSync(onDisk('/video/incoming/one.bin')));
      assert.ok(fs.existsSync(onDisk('/downloads/two.bin')));
      const kept = await ds.delete(created[1]);
      assert.deepEqual(kept, { done: [created[1]], failed: [], filesDeleted: [] });
      assert.ok(fs.existsSync(onDisk('/downloads/two.bin')), 'a plain delete keeps the file');
      const gone = await ds.delete(created[0], { withFiles: true });
      assert.deepEqual(gone.filesDeleted, ['/video/incoming/one.bin']);
      assert.ok(!fs.existsSync(onDisk('/video/incoming/one.bin')));
      assert.deepEqual(await ds.list(), []);
    });

    it('reports statistics, info and config', async function () {
      await ds.create('https://example.com/s/speed.bin');
      sim.control.advanceClock(3_000);
      const stats = await ds.statistics();
      assert.ok(stats.speedDownload > 0);
      assert.equal(typeof stats.raw, 'object');
      const info = await ds.info();
      assert.equal(typeof info.version_string, 'string');
      const config = await ds.config();
      assert.equal(config.default_destination, 'downloads');
    });

    it('never sends a create twice after a reset: DSM may have made the task', async function () {
      sim.control.injectFault({
        api: 'SYNO.DownloadStation.Task',
        method: 'create',
        reset: true,
        when: 'after',
      });
      await rejects(ds.create('https://example.com/r/reset.bin'), (err) => {
        assert.equal(err.kind, 'network');
        assert.equal(err.code, 'ECONNRESET');
      });
      assert.equal(creates(), 1, 'one create reached the simulator, none was re-sent');
      const tasks = await ds.list();
      assert.equal(tasks.length, 1, 'DSM made the task before the reset');
      const again = await ds.create('https://example.com/r/reset.bin');
      assert.deepEqual(again.skipped, [{ uri: 'https://example.com/r/reset.bin', id: tasks[0].id }]);
      assert.equal(creates(), 1);
    });

    it('sends a create once more after a session error only (DSM did nothing)', async function () {
      sim.control.injectFault({ api: 'SYNO.DownloadStation.Task', method: 'create', code: 106 });
      const result = await ds.create('https://example.com/r/session.bin');
      assert.equal(result.created.length, 1);
      assert.equal(creates(), 2);
      assert.equal((await ds.list()).length, 1);
    });

    it('refuses 23 bad inputs naming the field, creating and changing nothing', async function () {
      const [existing] = (await ds.create('https://example.com/b/existing.bin')).created;
      sim.control.resetCounters();
      const cases = [
        [() => ds.create(''), /^uri: is empty/],
        [() => ds.create('   '), /^uri: is empty/],
        [() => ds.create('not a url'), /^uri: "not a url" is not a link/],
        [() => ds.create('file:///etc/passwd'), /^uri: "file:" links are not supported/],
        [() => ds.create('javascript:alert(1)'), /^uri: "javascript:" links are not supported/],
        [() => ds.create(['https://example.com/ok.bin', 'smb://nas/x']), /^uri\[1\]: "smb:" links/],
        [() => ds.create([]), /^uri: is an empty list/],
        [() => ds.create(42), /^uri: must be a link/],
        [() => ds.create('magnet:?dn=nohash'), /^uri: is a magnet link without a BitTorrent info hash/],
        [() => ds.create(Buffer.from('this is not a torrent')), /^torrent: is not a \.torrent file/],
        [() => ds.create(Buffer.from('d3:foo3:bare')), /^torrent: is not a \.torrent file \(no valid "info"/],
        [
          () => ds.create('https://example.com/x', { destination: '/' }),
          /^destination: "\/" is in no shared folder/,
        ],
        [() => ds.create('https://example.com/x', { destination: 'a/../b' }), /^destination: /],
        [
          () => ds.create('https://example.com/x', { destination: '/volume1/downloads' }),
          /^destination: .* volume path/,
        ],
        [() => ds.create('https://example.com/x', { destination: 7 }), /^destination: must be a string/],
        [
          () => ds.create('https://example.com/x', { fileIndexes: [0] }),
          /^fileIndexes: are only for \.torrent/,
        ],
        [
          () => ds.create('https://example.com/x', { destination: 'nosuchshare/dir', createFolder: true }),
          /^destination: "nosuchshare\/dir" is in no shared folder/,
        ],
        [() => ds.list({ status: 'done' }), /^status: "done" is not a task status/],
        [() => ds.list({ status: ['paused', 3] }), /^status: a number is not a task status/],
        [() => ds.pause('dbid_999'), /^id: no task "dbid_999"/],
        [() => ds.delete([existing, 'dbid_999']), /^id: no task "dbid_999"/],
        [() => ds.editDestination('dbid_999', 'downloads'), /^id: no task "dbid_999"/],
        [() => ds.get({ nope: 1 }), /^id: an object is not a task id/],
      ];
      for (const [call, message] of cases) {
        await rejects(call(), (err) => {
          assert.equal(err.kind, 'input', `${message}: ${err.message}`);
          assert.match(err.reason, message);
        });
      }
      const counters = sim.control.counters().methods;
      for (const method of ['create', 'pause', 'resume', 'delete', 'edit'])
        assert.equal(counters[`SYNO.DownloadStation.Task.${method}`], undefined, method);
      assert.equal(counters['SYNO.FileStation.CreateFolder.create'], undefined);
      assert.equal((await ds.list()).length, 1);
    });

    it('names the destination when DSM refuses it (403), nothing created', async function () {
      await rejects(ds.create('https://example.com/x.bin', { destination: 'downloads/missing' }), (err) => {
        assert.equal(err.code, 403);
        assert.match(err.message, /destination: "downloads\/missing": Destination does not exist/);
        assert.match(err.hint, /create the folder if missing/);
      });
      assert.deepEqual(await ds.list(), []);
    });

    it('creates a task from a .torrent through DS2, follows it to seeding with its file, skips it the second time', async function () {
      const torrent = await makeTorrent({
        name: `movie-${profile}.mkv`,
        files: [{ path: [`movie-${profile}.mkv`], length: 50_000 }],
      });
      const result = await ds.create(torrent.bytes, { destination: '/downloads/movies', createFolder: true });
      assert.equal(result.created.length, 1);
      // A multipart body: the simulator takes it only with file=["torrent"] naming the part sent after the fields.
      assert.equal(sim.control.counters().methods[DS2_CREATE], 1);
      const sent = sim.control
        .requestLog()
        .find((e) => e.api === 'SYNO.DownloadStation2.Task' && e.method === 'create');
      assert.match(sent.headers['content-type'], /^multipart\/form-data/);
      assert.deepEqual(
        [sent.params.type, sent.params.file, sent.params.destination, sent.params.create_list, sent.version],
        ['"file"', '["torrent"]', '"downloads/movies"', 'false', 2],
      );
      assert.equal(sent.params._sid, '***', 'the sid went in the query, masked in the log');
      const [task] = await ds.get(result.created);
      assert.deepEqual([task.type, task.title, task.size], ['bt', torrent.name, torrent.size]);
      sim.control.advanceClock(ALL_DONE_MS);
      const [done] = await ds.get(result.created);
      assert.equal(done.status, 'seeding');
      assert.equal(fs.statSync(onDisk(`/downloads/movies/${torrent.name}`)).size, torrent.size);
      const again = await ds.create(torrent.bytes, { destination: 'downloads/movies' });
      assert.deepEqual(again, { created: [], skipped: [{ uri: `${torrent.name}.torrent`, id: task.id }] });
      assert.equal(sim.control.counters().methods[DS2_CREATE], 1);
    });

    it('downloads only the chosen files of a torrent (DS2 file selection)', async function () {
      const torrent = await makeTorrent({
        name: `Season ${profile}`,
        files: [
          { path: ['e01.mkv'], length: 30_000 },
          { path: ['e02.mkv'], length: 20_000 },
          { path: ['extras', 'sample.mkv'], length: 1_000 },
        ],
      });
      const result = await ds.create(torrent.bytes, { destination: 'downloads', fileIndexes: [1, 2] });
      assert.equal(result.created.length, 1);
      const log = sim.control.requestLog();
      const sent = log.find((e) => e.api === 'SYNO.DownloadStation2.Task' && e.method === 'create');
      assert.deepEqual(
        [sent.params.type, sent.params.file, sent.params.destination, sent.params.create_list],
        ['"file"', '["torrent"]', '"downloads"', 'true'],
      );
      const download = log.find(
        (e) => e.api === 'SYNO.DownloadStation2.Task.List.Polling' && e.method === 'download',
      );
      assert.deepEqual(JSON.parse(download.params.file_indexes), [1, 2]);
      assert.equal(download.params.destination, '"downloads"');
      const [task] = await ds.get(result.created);
      assert.equal(task.size, 21_000);
      sim.control.advanceClock(ALL_DONE_MS);
      const folder = `/downloads/Season ${profile}`;
      assert.ok(!fs.existsSync(onDisk(`${folder}/e01.mkv`)), 'an unselected file is not downloaded');
      assert.ok(fs.existsSync(onDisk(`${folder}/e02.mkv`)));
      assert.ok(fs.existsSync(onDisk(`${folder}/extras/sample.mkv`)));
      await rejects(ds.create(torrent.bytes, { fileIndexes: [3], skipDuplicates: false }), (err) => {
        assert.match(err.reason, /^fileIndexes\[0\]: 3 is not a file of this torrent \(it has 3: 0-2\)/);
      });
    });

    it('reads DS2 numeric statuses and numeric error details from DSM as names', async function () {
      const { created } = await ds.create(['https://example.com/n/1.bin', 'https://example.com/n/2.bin']);
      await ds.pause(created[1]);
      const { toDownloadTask } = require('../dist/dsm/api/download-station');
      const ds2List = async () =>
        (
          await client.call('SYNO.DownloadStation2.Task', 'list', { additional: ['detail', 'transfer'] })
        ).task.map(toDownloadTask);
      let tasks = await ds2List();
      assert.deepEqual(
        tasks.map((t) => [t.raw.status, t.status]),
        [
          [1, 'waiting'],
          [3, 'paused'],
        ],
      );
      sim.control.failDownloadTask(created[0], 7);
      sim.control.advanceClock(ALL_DONE_MS);
      tasks = await ds2List();
      assert.equal(typeof tasks[0].raw.status, 'number');
      assert.deepEqual([tasks[0].status, tasks[0].error], ['error', 7]);
      assert.deepEqual([tasks[1].raw.status, tasks[1].status], [3, 'paused']);
      await ds.resume(created[1]);
      sim.control.advanceClock(ALL_DONE_MS);
      assert.deepEqual((await ds2List()).map((t) => [t.raw.status, t.status])[1], [5, 'finished']);
    });
  });
}

for (const profile of ['dsm7', 'dsm6']) {
  describe(`DownloadStation client on a DSM with DownloadStation2 only (${profile})`, function () {
    let sim;
    let client;
    let ds;
    const onDisk = (dsmPath) => path.join(sim.dataDir, ...dsmPath.split('/').filter(Boolean));

    before(async () => {
      sim = await startSimulator({ port: 0, profile, downloadStationApis: 'ds2-only' });
    });
    after(async () => sim.close());
    beforeEach(() => {
      client = new DsmClient({ url: sim.url, username: demo.username, password: demo.password });
      ds = new DownloadStation(client);
      sim.control.resetCounters();
      sim.control.clearRequestLog();
    });
    afterEach(async () => client.close());

    it('creates links with JSON-encoded DS2 values, lists, pauses, resumes, moves and deletes through DS2', async function () {
      const links = ['https://example.com/ds2/a,b.iso', `magnet:?xt=urn:btih:${HASH}&dn=ds2`];
      const result = await ds.create(links, { destination: '/downloads' });
      assert.equal(result.created.length, 2);
      const create = sim.control
        .requestLog()
        .find((e) => e.api === 'SYNO.DownloadStation2.Task' && e.method === 'create');
      assert.equal(create.params.type, '"url"');
      assert.equal(create.params.create_list, 'false');
      assert.equal(create.params.destination, '"downloads"');
      assert.deepEqual(JSON.parse(create.params.url), links);
      const tasks = await ds.list();
      assert.deepEqual(
        tasks.map((t) => [t.status, typeof t.raw.status]),
        [
          ['waiting', 'number'],
          ['waiting', 'number'],
        ],
      );
      assert.deepEqual((await ds.create(links[0])).skipped, [{ uri: links[0], id: result.created[0] }]);
      assert.deepEqual((await ds.pause(result.created)).done.sort(), [...result.created].sort());
      assert.equal((await ds.list({ status: 'paused' })).length, 2);
      await ds.editDestination(result.created[0], 'video/ds2', { createFolder: true });
      await ds.resume('all');
      sim.control.advanceClock(ALL_DONE_MS);
      const [done] = await ds.get(result.created[0]);
      assert.deepEqual([done.status, done.destination, done.progress], ['finished', 'video/ds2', 100]);
      assert.ok(fs.existsSync(onDisk('/video/ds2/a,b.iso')));
      const deleted = await ds.delete('all', { withFiles: true });
      assert.equal(deleted.done.length, 2);
      assert.ok(!fs.existsSync(onDisk('/video/ds2/a,b.iso')));
      const log = sim.control.requestLog();
      assert.deepEqual(
        log.filter((e) => e.api?.startsWith('SYNO.DownloadStation.')).map((e) => `${e.api}.${e.method}`),
        [],
        'no v1 call',
      );
      assert.ok(log.every((e) => e.errorCode === undefined));
    });

    it('never sends a DS2 create twice after a reset: the repeat is skipped', async function () {
      sim.control.injectFault({
        api: 'SYNO.DownloadStation2.Task',
        method: 'create',
        reset: true,
        when: 'after',
      });
      const link = 'https://example.com/ds2/reset.bin';
      await rejects(ds.create(link, { destination: 'downloads' }), (err) => {
        assert.equal(err.code, 'ECONNRESET');
      });
      const created = () => sim.control.counters().methods['SYNO.DownloadStation2.Task.create'];
      assert.equal(created(), 1);
      const [task] = await ds.list();
      assert.deepEqual((await ds.create(link, { destination: 'downloads' })).skipped, [
        { uri: link, id: task.id },
      ]);
      assert.equal(created(), 1);
      await ds.delete('all');
    });

    it('reports statistics and config through DS2; info says this NAS lacks it, not "not installed"', async function () {
      const stats = await ds.statistics();
      assert.equal(typeof stats.speedDownload, 'number');
      const config = await ds.config();
      assert.equal(config.default_destination, 'downloads');
      await rejects(ds.info(), (err) => {
        assert.equal(err.code, 'ENOTSUPPORTED');
        assert.match(err.message, /SYNO\.DownloadStation\.Info/);
        assert.doesNotMatch(err.message, /not installed/);
      });
      assert.equal(
        sim.control.requestLog().filter((e) => e.errorCode !== undefined).length,
        0,
        'no call DSM refused',
      );
    });
  });
}

for (const apis of ['ds2-task-v1', 'v1-only']) {
  describe(`DownloadStation client on a DSM without DownloadStation2 Task v2 (${apis})`, function () {
    let sim;
    let client;

    before(async () => {
      sim = await startSimulator({ port: 0, downloadStationApis: apis });
    });
    after(async () => sim.close());
    beforeEach(() => {
      client = new DsmClient({ url: sim.url, username: demo.username, password: demo.password });
      sim.control.resetCounters();
    });
    afterEach(async () => client.close());

    it('refuses a .torrent with a clear error, sending nothing but discovery', async function () {
      const ds = new DownloadStation(client);
      const torrent = await makeTorrent();
      await rejects(ds.create(torrent.bytes, { destination: 'downloads' }), (err) => {
        assert.equal(err.code, 'ENOTSUPPORTED');
        assert.match(err.message, /SYNO\.DownloadStation2\.Task version 2/);
        assert.match(err.hint, /magnet link/);
      });
      const methods = Object.keys(sim.control.counters().methods);
      assert.deepEqual(
        methods.filter((m) => m !== 'SYNO.API.Info.query'),
        [],
        'nothing but discovery was sent',
      );
    });

    it('creates links through v1 all the same', async function () {
      const ds = new DownloadStation(client);
      const { created } = await ds.create(`https://example.com/${apis}.bin`);
      assert.equal(created.length, 1);
      assert.equal(sim.control.counters().methods['SYNO.DownloadStation.Task.create'], 1);
      await ds.delete(created);
    });
  });
}

describe('DownloadStation client: accounts and packages', function () {
  let sim;
  afterEach(async () => sim?.close());

  it('reports 406 clearly when the account has no default destination and none is given', async function () {
    sim = await startSimulator({ port: 0, users: [{ username: 'nodest', password: 'pw' }] });
    const client = new DsmClient({ url: sim.url, username: 'nodest', password: 'pw' });
    try {
      const ds = new DownloadStation(client);
      await rejects(ds.create('https://example.com/406.bin'), (err) => {
        assert.equal(err.code, 406);
        assert.equal(err.kind, 'dsm');
        assert.match(err.message, /No default destination/);
        assert.match(err.hint, /give a destination/);
      });
      assert.deepEqual(await ds.list(), []);
    } finally {
      await client.close();
    }
  });

  it('reports 406 before a DS2 create without destination when the account has no default (DS2 would take it and wait forever)', async function () {
    sim = await startSimulator({ port: 0, users: [{ username: 'nodest', password: 'pw' }] });
    const torrent = await makeTorrent();
    for (const [apis, source] of [
      ['both', torrent.bytes],
      ['ds2-only', 'https://example.com/406-ds2.bin'],
    ]) {
      sim.control.setDownloadStationApis(apis);
      const client = new DsmClient({ url: sim.url, username: 'nodest', password: 'pw' });
      try {
        const ds = new DownloadStation(client);
        await rejects(ds.create(source), (err) => {
          assert.equal(err.code, 406, apis);
          assert.match(err.message, /No default destination/);
          assert.match(err.hint, /give a destination/i);
        });
        assert.deepEqual(await ds.list(), [], apis);
        assert.equal(sim.control.counters().methods['SYNO.DownloadStation2.Task.create'], undefined, apis);
        const given = await ds.create(source, { destination: 'downloads' });
        assert.equal(given.created.length, 1, 'with a destination it is created');
        await ds.delete('all');
        sim.control.resetCounters();
      } finally {
        await client.close();
      }
    }
  });

  for (const how of ['at start', 'after discovery']) {
    it(`says "not installed or stopped" when Download Station is missing (${how}), not an auth error`, async function () {
      sim = await startSimulator({ port: 0, downloadStation: how !== 'at start' });
      const client = new DsmClient({ url: sim.url, username: demo.username, password: demo.password });
      try {
        const ds = new DownloadStation(client);
        if (how !== 'at start') {
          await ds.list();
          sim.control.setDownloadStationInstalled(false);
        }
        for (const call of [
          () => ds.list(),
          () => ds.create('https://example.com/a.bin'),
          () => ds.statistics(),
        ]) {
          await rejects(call(), (err) => {
            assert.equal(err.code, 102);
            assert.equal(err.kind, 'dsm');
            assert.match(err.message, /Download Station is not installed or is stopped/);
            assert.match(err.hint, /Package Center/);
          });
        }
        assert.equal(sim.control.counters().loginFailures, 0);
      } finally {
        await client.close();
      }
    });
  }
});

describe('DownloadStation task shape and torrent reading', function () {
  const { toDownloadTask, readTorrent } = require('../dist/dsm/api/download-station');

  it('maps DS2 numeric statuses to names and flags unknown ones, keeping the raw task', function () {
    const names = [
      [1, 'waiting'],
      [2, 'downloading'],
      [3, 'paused'],
      [5, 'finished'],
      [8, 'seeding'],
      [15, 'captcha_needed'],
      ['downloading', 'downloading'],
      ['5', 'finished'],
    ];
    for (const [raw, name] of names) {
      const task = toDownloadTask({ id: 'dbid_1', status: raw });
      assert.equal(task.status, name, String(raw));
      assert.equal(task.statusUnknown, false, String(raw));
    }
    const odd = toDownloadTask({ id: 'dbid_2', status: 42 });
    assert.deepEqual([odd.status, odd.statusUnknown, odd.raw.status], ['42', true, 42]);
    const oddText = toDownloadTask({ id: 'dbid_3', status: 'teleporting' });
    assert.deepEqual([oddText.status, oddText.statusUnknown], ['teleporting', true]);
  });

  it('reads a real DS2 list entry (Prowlarr #1812) and numeric error details', function () {
    const seeding = toDownloadTask({
      id: 'dbid_3',
      size: 3442075843,
      status: 8,
      type: 'bt',
      title: 'x',
      additional: {
        detail: {
          completed_time: 1700000000,
          create_time: 1699990000,
          destination: 'torrents',
          uri: 'a.torrent',
        },
        transfer: {
          size_downloaded: '3442075843',
          size_uploaded: '10',
          speed_download: 0,
          speed_upload: '5',
        },
      },
    });
    assert.equal(seeding.status, 'seeding');
    assert.equal(seeding.progress, 100);
    assert.equal(seeding.downloaded, 3442075843);
    assert.equal(seeding.uploaded, 10);
    assert.equal(seeding.speedUpload, 5);
    assert.equal(seeding.completedAt, 1700000000 * 1000);
    assert.equal(seeding.destination, 'torrents');
    const failedNumeric = toDownloadTask({ id: 'dbid_4', status: 101, status_extra: { error_detail: 3 } });
    assert.deepEqual(
      [failedNumeric.status, failedNumeric.error, failedNumeric.statusUnknown],
      ['error', 3, true],
    );
    const failedV1 = toDownloadTask({
      id: 'dbid_5',
      status: 'error',
      status_extra: { error_detail: 'broken_link' },
    });
    assert.deepEqual(
      [failedV1.status, failedV1.error, failedV1.statusUnknown],
      ['error', 'broken_link', false],
    );
    const halfway = toDownloadTask({
      id: 'dbid_6',
      status: 2,
      size: '1000',
      additional: { transfer: { size_downloaded: '250', speed_download: '50' } },
    });
    assert.deepEqual([halfway.size, halfway.progress, halfway.eta, halfway.error], [1000, 25, 15, null]);
  });

  it('reads the info hash, name and size of single- and multi-file torrents', async function () {
    const single = await makeTorrent();
    assert.deepEqual(
      { ...(await readTorrent('torrent', single.bytes)), files: undefined },
      { infoHash: single.infoHash, name: single.name, size: single.size, files: undefined },
    );
    const multi = await makeTorrent({
      name: 'Season 1',
      files: [
        { path: ['e01.mkv'], length: 1000 },
        { path: ['sub', 'e01.srt'], length: 10 },
      ],
    });
    const read = await readTorrent('torrent', multi.bytes);
    assert.equal(read.infoHash, multi.infoHash);
    assert.deepEqual(read.files, [
      { path: 'Season 1/e01.mkv', size: 1000 },
      { path: 'Season 1/sub/e01.srt', size: 10 },
    ]);
    assert.equal(read.size, 1010);
  });
});
