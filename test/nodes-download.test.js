'use strict';
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { DsmClient, DownloadStation } = require('../dist');
const { helper, dsmNode, fileNodes, downloadNodes, nodeFlow, nextMessage } = require('./support/node-red');
const { useSimulator, demo } = require('./support/sim');
const { makeTorrent } = require('./support/torrent');

const creds = { dsm: { username: demo.username, password: demo.password } };
const ALL_DONE_MS = 15_000;

describe('Download Station nodes', function () {
  const ref = useSimulator({});
  const onDisk = (dsmPath) => path.join(ref.sim.dataDir, ...dsmPath.split('/').filter(Boolean));
  let client;
  let ds;

  async function load(node, credentials = {}) {
    await helper.load([dsmNode, ...fileNodes, ...downloadNodes], nodeFlow(ref.sim, node), {
      ...creds,
      ...credentials,
    });
    return { n1: helper.getNode('n1'), out: helper.getNode('out'), caught: helper.getNode('caught') };
  }
  const creates = () => ref.sim.control.counters().methods['SYNO.DownloadStation.Task.create'] ?? 0;

  before(() => {
    client = new DsmClient({ url: ref.sim.url, username: demo.username, password: demo.password });
    ds = new DownloadStation(client);
  });
  after(() => client.close());
  beforeEach(async () => {
    await ds.delete('all');
    ref.sim.control.clearFaults();
    ref.sim.control.resetCounters();
    ref.sim.control.clearRequestLog();
  });
  afterEach(() => helper.unload());

  describe('synology-download-create', function () {
    const createNode = (extra = {}) => ({
      type: 'synology-download-create',
      destination: 'downloads/{{topic}}',
      destinationType: 'str',
      createFolder: true,
      ...extra,
    });

    it('creates from msg.payload into a mustache destination, then skips the same link', async function () {
      const { n1, out } = await load(createNode());
      let got = nextMessage(out);
      n1.receive({ payload: 'https://example.com/tv/show-e01.mkv', topic: 'tv' });
      const first = await got;
      assert.equal(first.topic, 'tv');
      assert.equal(first.payload.created.length, 1);
      assert.deepEqual(first.payload.skipped, []);
      const [task] = await ds.get(first.payload.created);
      assert.equal(task.destination, 'downloads/tv');
      got = nextMessage(out);
      n1.receive({ payload: ['https://example.com/tv/show-e01.mkv'], topic: 'tv' });
      const second = await got;
      assert.deepEqual(second.payload, {
        created: [],
        skipped: [{ uri: 'https://example.com/tv/show-e01.mkv', id: task.id }],
      });
      assert.equal(creates(), 1);
      ref.sim.control.advanceClock(ALL_DONE_MS);
      assert.ok(fs.existsSync(onDisk('/downloads/tv/show-e01.mkv')));
    });

    it('takes feedparser articles: the enclosure url (torrent first), else the link', async function () {
      const { n1, out } = await load(
        createNode({ uri: 'article', uriType: 'msg', destination: 'downloads' }),
      );
      const got = nextMessage(out);
      n1.receive({
        topic: 'https://example.com/page',
        article: {
          title: 'Episode 2',
          link: 'https://example.com/page',
          enclosures: [
            { url: 'https://example.com/e02.nfo', type: 'text/plain' },
            { url: 'https://example.com/e02.torrent-link', type: 'application/x-bittorrent' },
          ],
        },
      });
      const msg = await got;
      assert.equal(msg.payload.created.length, 1);
      const [task] = await ds.get(msg.payload.created);
      assert.equal(task.uri, 'https://example.com/e02.torrent-link');
      const again = nextMessage(out);
      n1.receive({ article: { title: 'Episode 3', link: 'https://example.com/e03.mkv' } });
      const [next] = await ds.get((await again).payload.created);
      assert.equal(next.uri, 'https://example.com/e03.mkv');
    });

    it('takes the archive password from msg.password and removes it from the msg', async function () {
      const { n1, out } = await load(createNode({ destination: '' }));
      const got = nextMessage(out);
      n1.receive({ payload: 'https://example.com/zip/a.rar', password: 'archive-secret' });
      const msg = await got;
      assert.equal('password' in msg, false);
      assert.equal(msg.payload.created.length, 1);
      const create = ref.sim.control
        .requestLog()
        .find((e) => e.api === 'SYNO.DownloadStation.Task' && e.method === 'create');
      assert.equal(create.params.unzip_password, 'archive-secret', 'DSM got it');
      assert.equal(create.httpMethod, 'POST', 'in a body, not in the URL');
      const [task] = await ds.get(msg.payload.created);
      assert.equal(task.raw.additional.detail.unzip_password, '***', 'listings do not carry it');
      assert.ok(!JSON.stringify(await ds.list()).includes('archive-secret'));
    });

    it('refuses bad input through done(err) naming the field, nothing created', async function () {
      const { n1, caught } = await load(createNode());
      const torrentLike = Buffer.from('not a torrent at all');
      const cases = [
        [{ payload: '' }, /uri: is empty/],
        [{ payload: 'just words' }, /uri: "just words" is not a link/],
        [{ payload: 'file:///etc/passwd' }, /uri: "file:" links are not supported/],
        [{ payload: torrentLike }, /uri: is not a \.torrent file/],
        [{ payload: { title: 'no link' } }, /uri: must be a link/],
        [{ payload: { link: '' } }, /uri: is a feed article without a link/],
        [{ payload: 'https://example.com/x', topic: { a: 1 } }, /destination: \{\{topic\}\} is an object/],
        [
          { payload: 'https://example.com/x', topic: '../x' },
          /destination: "downloads\/..\/x" is in no shared folder/,
        ],
        [{ payload: 'https://example.com/x', password: 5 }, /msg.password: must be a string/],
      ];
      for (const [msg, message] of cases) {
        const got = nextMessage(caught);
        n1.receive(msg);
        const error = (await got).error;
        assert.match(error.message, message);
        assert.equal(error.source.id, 'n1');
      }
      assert.equal(creates(), 0);
      assert.deepEqual(await ds.list(), []);
    });

    it('refuses a destination in no shared folder when it would create it', async function () {
      const { n1, caught } = await load(createNode({ destination: 'nosuchshare/{{topic}}' }));
      const got = nextMessage(caught);
      n1.receive({ payload: 'https://example.com/x', topic: 'tv' });
      assert.match((await got).error.message, /destination: "nosuchshare\/tv" is in no shared folder/);
      assert.equal(creates(), 0);
    });

    it('creates from a .torrent Buffer with chosen files, named by msg.filename; the repeat is skipped', async function () {
      const torrent = await makeTorrent({
        name: 'Album',
        files: [
          { path: ['01.flac'], length: 3000 },
          { path: ['02.flac'], length: 2000 },
        ],
      });
      const { n1, out } = await load(createNode({ fileIndexes: 'indexes', fileIndexesType: 'msg' }));
      let got = nextMessage(out);
      n1.receive({ payload: torrent.bytes, filename: 'album.torrent', topic: 'music', indexes: [1] });
      const first = await got;
      assert.equal(first.payload.created.length, 1);
      const [task] = await ds.get(first.payload.created);
      assert.deepEqual(
        [task.type, task.title, task.size, task.destination],
        ['bt', 'Album', 2000, 'downloads/music'],
      );
      got = nextMessage(out);
      n1.receive({ payload: torrent.bytes, filename: 'album.torrent', topic: 'music', indexes: [1] });
      assert.deepEqual((await got).payload, {
        created: [],
        skipped: [{ uri: 'album.torrent', id: task.id }],
      });
    });
  });

  describe('synology-download-task', function () {
    const taskNode = (extra = {}) => ({ type: 'synology-download-task', operation: 'list', ...extra });
    const send = async (n1, out, msg) => {
      const got = nextMessage(out);
      n1.receive(msg);
      return got;
    };

    it('lists tasks with a status filter, as one msg or one per task', async function () {
      const { created } = await ds.create(['https://example.com/l/1.bin', 'https://example.com/l/2.bin']);
      await ds.pause(created[0]);
      const { n1, out } = await load(taskNode({ status: 'paused' }));
      const listed = await send(n1, out, {});
      assert.deepEqual(
        listed.payload.map((t) => [t.id, t.status]),
        [[created[0], 'paused']],
      );
      await helper.unload();
      const each = await load(taskNode({ output: 'each' }));
      const msgs = [];
      each.out.on('input', (m) => msgs.push(m));
      const last = new Promise((resolve) => each.out.on('input', (m) => m.parts.index === 1 && resolve()));
      each.n1.receive({ topic: 'all' });
      await last;
      assert.deepEqual(msgs.map((m) => m.payload.id).sort(), [...created].sort());
      assert.ok(msgs.every((m) => m.parts.count === 2 && m.topic === 'all'));
    });

    it('pauses, resumes, edits and deletes the tasks given by id, list output or "all"', async function () {
      const { created } = await ds.create(['https://example.com/a/1.bin', 'https://example.com/a/2.bin']);
      const { n1, out } = await load(taskNode({ operation: 'msg' }));
      const tasks = await ds.list();
      let msg = await send(n1, out, { operation: 'pause', payload: tasks });
      assert.deepEqual(msg.payload.done.sort(), [...created].sort());
      assert.equal((await ds.list({ status: 'paused' })).length, 2);
      msg = await send(n1, out, { operation: 'resume', payload: 'all' });
      assert.equal(msg.payload.done.length, 2);
      await helper.unload();
      const edit = await load(
        taskNode({ operation: 'edit', destination: 'video/{{topic}}', createFolder: true }),
      );
      msg = await send(edit.n1, edit.out, { payload: created[0], topic: 'moved' });
      assert.deepEqual(msg.payload, { done: [created[0]], failed: [] });
      assert.equal((await ds.get(created[0]))[0].destination, 'video/moved');
      await helper.unload();
      ref.sim.control.advanceClock(ALL_DONE_MS);
      const del = await load(taskNode({ operation: 'delete', withFiles: true }));
      msg = await send(del.n1, del.out, { payload: [created[0]] });
      assert.deepEqual(msg.payload.filesDeleted, ['/video/moved/1.bin']);
      assert.ok(!fs.existsSync(onDisk('/video/moved/1.bin')));
      assert.deepEqual(
        (await ds.list()).map((t) => t.id),
        [created[1]],
      );
    });

    it('says a partial refusal in yellow, with the refused tasks and their codes in the payload', async function () {
      const { created } = await ds.create(['https://example.com/p/1.bin', 'https://example.com/p/2.bin']);
      ref.sim.control.finishDownloadTask(created[0]);
      const { n1, out } = await load(taskNode({ operation: 'pause' }));
      const msg = await send(n1, out, { payload: created });
      assert.deepEqual(msg.payload.done, [created[1]]);
      assert.deepEqual(
        msg.payload.failed.map((f) => [f.id, typeof f.code, typeof f.reason]),
        [[created[0], 'number', 'string']],
      );
      const statuses = n1.status
        .getCalls()
        .filter((call) => call.thisValue === n1)
        .map((call) => call.args[0]);
      assert.deepEqual(statuses.at(-1), { fill: 'yellow', shape: 'dot', text: 'pause: 1 ok, 1 refused' });
    });

    it('reports statistics, info and config', async function () {
      const { n1, out } = await load(taskNode({ operation: 'msg' }));
      assert.equal(typeof (await send(n1, out, { operation: 'statistics' })).payload.speedDownload, 'number');
      assert.equal(typeof (await send(n1, out, { operation: 'info' })).payload.version_string, 'string');
      assert.equal((await send(n1, out, { operation: 'config' })).payload.default_destination, 'downloads');
    });

    it('refuses an unknown id, a bad status filter and a bad operation naming the field, nothing changed', async function () {
      const { created } = await ds.create('https://example.com/bad/1.bin');
      const { n1, caught } = await load(taskNode({ operation: 'msg', status: '{{payload}}' }));
      const cases = [
        [{ operation: 'pause', payload: [created[0], 'dbid_999'] }, /ids: no task "dbid_999"/],
        [{ operation: 'delete', payload: { id: 5 } }, /ids: an object is not a task id/],
        [{ operation: 'delete', payload: [] }, /ids: is an empty list/],
        [{ operation: 'list', payload: 'done' }, /status: "done" is not a task status/],
        [{ operation: 'edit', payload: created[0] }, /destination: is empty/],
        [{ operation: 'teleport' }, /operation: "teleport" is not one of/],
      ];
      for (const [msg, message] of cases) {
        const got = nextMessage(caught);
        n1.receive(msg);
        assert.match((await got).error.message, message);
      }
      const [task] = await ds.get(created);
      assert.equal(task.status, 'waiting');
      const counters = ref.sim.control.counters().methods;
      for (const method of ['pause', 'resume', 'delete', 'edit'])
        assert.equal(counters[`SYNO.DownloadStation.Task.${method}`], undefined, method);
    });

    it('says "not installed or stopped" when Download Station is missing', async function () {
      ref.sim.control.setDownloadStationInstalled(false);
      try {
        const { n1, caught } = await load(taskNode());
        const got = nextMessage(caught);
        n1.receive({});
        const { error } = await got;
        assert.equal(error.code, 102);
        assert.match(error.message, /Download Station is not installed or is stopped/);
      } finally {
        ref.sim.control.setDownloadStationInstalled(true);
      }
    });
  });
});

describe('Download Station nodes on a DSM with DownloadStation2 only', function () {
  const ref = useSimulator({ downloadStationApis: 'ds2-only' });
  let client;
  let ds;

  async function load(node) {
    await helper.load([dsmNode, ...downloadNodes], nodeFlow(ref.sim, node), creds);
    return { n1: helper.getNode('n1'), out: helper.getNode('out'), caught: helper.getNode('caught') };
  }
  const send = async (n1, out, msg) => {
    const got = nextMessage(out);
    n1.receive(msg);
    return got;
  };
  const refused = () => ref.sim.control.requestLog().filter((e) => e.errorCode !== undefined);

  before(() => {
    client = new DsmClient({ url: ref.sim.url, username: demo.username, password: demo.password });
    ds = new DownloadStation(client);
  });
  after(() => client.close());
  beforeEach(async () => {
    await ds.delete('all');
    ref.sim.control.resetCounters();
    ref.sim.control.clearRequestLog();
  });
  afterEach(() => helper.unload());

  it('creates by URL, lists and pauses through DownloadStation2', async function () {
    const create = await load({
      type: 'synology-download-create',
      destination: 'downloads/{{topic}}',
      destinationType: 'str',
      createFolder: true,
    });
    const created = await send(create.n1, create.out, {
      payload: 'https://example.com/ds2/node.iso',
      topic: 'tv',
    });
    assert.equal(created.payload.created.length, 1);
    const [id] = created.payload.created;
    await helper.unload();

    const task = await load({ type: 'synology-download-task', operation: 'msg' });
    const listed = await send(task.n1, task.out, { operation: 'list' });
    assert.deepEqual(
      listed.payload.map((t) => [t.id, t.status, t.destination, typeof t.raw.status]),
      [[id, 'waiting', 'downloads/tv', 'number']],
    );
    const paused = await send(task.n1, task.out, { operation: 'pause', payload: id });
    assert.deepEqual(paused.payload, { done: [id], failed: [] });
    assert.equal((await send(task.n1, task.out, { operation: 'list' })).payload[0].status, 'paused');
    const config = await send(task.n1, task.out, { operation: 'config' });
    assert.equal(config.payload.default_destination, 'downloads');

    const methods = Object.keys(ref.sim.control.counters().methods);
    assert.ok(methods.includes('SYNO.DownloadStation2.Task.create'));
    assert.ok(methods.includes('SYNO.DownloadStation2.Task.pause'));
    assert.deepEqual(
      methods.filter((m) => m.startsWith('SYNO.DownloadStation.')),
      [],
      'no v1 call',
    );
    assert.deepEqual(refused(), []);
  });

  it('refuses a .torrent on a DSM without DownloadStation2 through done(err), saying what it needs', async function () {
    ref.sim.control.setDownloadStationApis('v1-only');
    try {
      const { n1, caught } = await load({
        type: 'synology-download-create',
        destination: 'downloads',
        destinationType: 'str',
      });
      const torrent = await makeTorrent();
      const got = nextMessage(caught);
      n1.receive({ payload: torrent.bytes, filename: 'x.torrent' });
      const { error } = await got;
      assert.equal(error.source.id, 'n1');
      assert.equal(error.code, 'ENOTSUPPORTED');
      assert.match(error.message, /SYNO\.DownloadStation2\.Task version 2, which \.torrent files need/);
      assert.match(error.message, /give a magnet link instead/);
      const methods = Object.keys(ref.sim.control.counters().methods);
      assert.deepEqual(
        methods.filter((m) => m !== 'SYNO.API.Info.query' && !m.startsWith('SYNO.API.Auth')),
        [],
        'nothing sent to Download Station',
      );
      const v1Client = new DsmClient({ url: ref.sim.url, username: demo.username, password: demo.password });
      try {
        assert.deepEqual(await new DownloadStation(v1Client).list(), []);
      } finally {
        await v1Client.close();
      }
    } finally {
      ref.sim.control.setDownloadStationApis('ds2-only');
    }
  });
});
