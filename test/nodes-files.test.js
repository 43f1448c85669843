'use strict';
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { PassThrough } = require('node:stream');
const { DsmClient, FileStation } = require('../dist');
const { helper, dsmNode, fileNodes, nodeFlow, nextMessage } = require('./support/node-red');
const { useSimulator, demo } = require('./support/sim');

const DAY = 24 * 3600 * 1000;
const creds = { dsm: { username: demo.username, password: demo.password } };

describe('File Station nodes', function () {
  const ref = useSimulator({ taskDurationMs: 400, readOnlyShares: ['video'] });
  const onDisk = (dsmPath) => path.join(ref.sim.dataDir, ...dsmPath.split('/').filter(Boolean));
  let client;
  let files;
  let tmp;

  /** Loads one node; returns the node and its helper outputs. */
  async function load(node) {
    await helper.load([dsmNode, ...fileNodes], nodeFlow(ref.sim, node), creds);
    return {
      n1: helper.getNode('n1'),
      out: helper.getNode('out'),
      progress: helper.getNode('progress'),
      caught: helper.getNode('caught'),
    };
  }
  const collect = (node) => {
    const msgs = [];
    node.on('input', (m) => msgs.push(m));
    return msgs;
  };

  before(() => {
    client = new DsmClient({ url: ref.sim.url, username: demo.username, password: demo.password });
    files = new FileStation(client);
  });
  after(() => client.close());
  beforeEach(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'synoflow-nodes-'));
    ref.sim.control.clearFaults();
  });
  afterEach(async () => {
    await helper.unload();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  describe('synology-file-list', function () {
    before(async () => {
      const now = Date.now();
      await files.upload(Buffer.alloc(10), {
        folder: '/home/logs',
        name: 'old-small.log',
        mtime: now - 40 * DAY,
      });
      await files.upload(Buffer.alloc(5000), {
        folder: '/home/logs',
        name: 'old-big.log',
        mtime: now - 35 * DAY,
      });
      await files.upload(Buffer.alloc(10), { folder: '/home/logs', name: 'new.log', mtime: now - 1 * DAY });
      await files.upload('x', { folder: '/home/logs/sub', name: 'deep.log', mtime: now - 60 * DAY });
    });

    it('lists a folder with age and size filters, sorted', async function () {
      const { n1, out } = await load({
        type: 'synology-file-list',
        mode: 'list',
        path: '/home/logs',
        pathType: 'str',
        olderThan: '30',
        olderThanType: 'num',
        filetype: 'file',
        sortBy: 'size',
        sortDirection: 'desc',
      });
      const next = nextMessage(out);
      n1.receive({ topic: 'cleanup' });
      const msg = await next;
      assert.equal(msg.topic, 'cleanup');
      assert.deepEqual(
        msg.payload.map((e) => e.name),
        ['old-big.log', 'old-small.log'],
      );
      assert.equal(typeof msg.payload[0].mtime, 'number');
    });

    it('searches recursively with a pattern and sends one msg per entry with parts', async function () {
      const { n1, out } = await load({
        type: 'synology-file-list',
        mode: 'search',
        path: '/home/logs',
        pathType: 'str',
        pattern: '*.log',
        patternType: 'str',
        largerThan: '1KB',
        largerThanType: 'str',
        recursive: true,
        output: 'each',
      });
      const got = collect(out);
      n1.receive({});
      await new Promise((resolve) => setTimeout(resolve, 1500));
      assert.deepEqual(
        got.map((m) => m.payload.name),
        ['old-big.log'],
      );
      assert.equal(got[0].parts.count, 1);

      await helper.unload();
      const all = await load({
        type: 'synology-file-list',
        mode: 'search',
        path: '/home/logs',
        pathType: 'str',
        pattern: '*.log',
        patternType: 'str',
      });
      const next = nextMessage(all.out);
      all.n1.receive({});
      assert.equal((await next).payload.length, 4);
    });

    it('lists the shared folders', async function () {
      const { n1, out } = await load({ type: 'synology-file-list', mode: 'shares' });
      const next = nextMessage(out);
      n1.receive({});
      assert.ok((await next).payload.some((e) => e.path === '/home' && e.isdir));
    });

    it('names the field of bad input: relative path, bad size, bad days', async function () {
      for (const [extra, message] of [
        [{ path: 'home/logs' }, /^path: .*relative/],
        [{ path: '/home/logs', largerThan: 'big', largerThanType: 'str' }, /^largerThan:/],
        [{ path: '/home/logs', olderThan: '-3', olderThanType: 'str' }, /^olderThan:/],
      ]) {
        const { n1, caught } = await load({
          type: 'synology-file-list',
          mode: 'list',
          pathType: 'str',
          ...extra,
        });
        const failed = nextMessage(caught);
        n1.receive({});
        assert.match((await failed).error.cause.reason, message);
        await helper.unload();
      }
    });
  });

  describe('synology-file-upload', function () {
    it('uploads msg.payload to a mustache file name, with progress on output 2', async function () {
      const { n1, out, progress } = await load({
        type: 'synology-file-upload',
        folder: '/photo/snapshots',
        folderType: 'str',
        filename: '{{timestamp}}.jpg',
        filenameType: 'str',
        source: 'payload',
        overwrite: 'error',
      });
      const progressMsgs = collect(progress);
      const next = nextMessage(out);
      n1.receive({ payload: Buffer.alloc(3 * 1024 * 1024, 7), timestamp: '2026-11-23_10-00' });
      const msg = await next;
      assert.deepEqual(msg.payload, {
        path: '/photo/snapshots/2026-11-23_10-00.jpg',
        size: 3 * 1024 * 1024,
        skipped: false,
      });
      assert.equal(fs.statSync(onDisk(msg.payload.path)).size, 3 * 1024 * 1024);
      assert.ok(progressMsgs.length >= 2);
      assert.equal(progressMsgs.at(-1).payload.percent, 100);
      assert.equal(progressMsgs.at(-1).payload.phase, 'upload');
    });

    it('uploads a local file, keeping its name', async function () {
      const local = path.join(tmp, 'report.pdf');
      fs.writeFileSync(local, 'pdf');
      const { n1, out } = await load({
        type: 'synology-file-upload',
        folder: '/home/docs',
        folderType: 'str',
        source: 'file',
        localFile: local,
        localFileType: 'str',
        filename: '',
        filenameType: 'str',
      });
      const next = nextMessage(out);
      n1.receive({});
      assert.equal((await next).payload.path, '/home/docs/report.pdf');
      assert.equal(fs.readFileSync(onDisk('/home/docs/report.pdf'), 'utf8'), 'pdf');
    });

    it('refuses a payload of the wrong type and a missing local file, naming the field', async function () {
      const cases = [
        [{ source: 'payload' }, { payload: { a: 1 }, filename: 'x.json' }, /^payload: is object/],
        [{ source: 'payload' }, { payload: 'x' }, /^filename: is empty/],
        [
          { source: 'file', localFile: path.join(tmp, 'nope'), localFileType: 'str' },
          {},
          /^localFile: .* does not exist/,
        ],
      ];
      for (const [config, input, message] of cases) {
        const { n1, caught } = await load({
          type: 'synology-file-upload',
          folder: '/home/bad',
          folderType: 'str',
          ...config,
        });
        const failed = nextMessage(caught);
        n1.receive(input);
        assert.match((await failed).error.cause.reason, message);
        await helper.unload();
      }
      assert.ok(!fs.existsSync(onDisk('/home/bad')));
    });

    it('msg.cancel stops an upload in flight and leaves no partial file', async function () {
      const { n1, caught } = await load({
        type: 'synology-file-upload',
        folder: '/home/cancelled',
        folderType: 'str',
        filename: 'big.bin',
        filenameType: 'str',
      });
      const body = new PassThrough();
      const failed = nextMessage(caught);
      n1.receive({ payload: body, size: 50_000_000 });
      body.write(Buffer.alloc(2_000_000));
      await new Promise((resolve) => setTimeout(resolve, 200));
      n1.receive({ cancel: true });
      const msg = await failed;
      assert.equal(msg.error.code, 'ABORTED');
      assert.equal(body.destroyed, true);
      // The simulator drops the temp file of the cut-off upload on its own time: wait for it (bounded).
      const left = () =>
        fs.existsSync(onDisk('/home/cancelled')) ? fs.readdirSync(onDisk('/home/cancelled')) : [];
      for (let i = 0; i < 100 && left().length > 0; i++)
        await new Promise((resolve) => setTimeout(resolve, 50));
      assert.deepEqual(left(), []);
    });
  });

  describe('synology-file-download', function () {
    before(async () => {
      await files.upload('hello download', { folder: '/home/dl', name: 'hello.txt' });
    });

    it('downloads into msg.payload as a Buffer', async function () {
      const { n1, out } = await load({
        type: 'synology-file-download',
        path: 'payload',
        pathType: 'msg',
        target: 'buffer',
      });
      const next = nextMessage(out);
      n1.receive({ payload: '/home/dl/hello.txt' });
      const msg = await next;
      assert.ok(Buffer.isBuffer(msg.payload));
      assert.equal(msg.payload.toString(), 'hello download');
      assert.equal(msg.filename, 'hello.txt');
    });

    it('downloads into a local folder, keeping the DSM name', async function () {
      const { n1, out } = await load({
        type: 'synology-file-download',
        path: '/home/dl/hello.txt',
        pathType: 'str',
        target: 'file',
        localPath: tmp,
        localPathType: 'str',
      });
      const next = nextMessage(out);
      n1.receive({});
      const msg = await next;
      assert.equal(msg.payload, path.join(tmp, 'hello.txt'));
      assert.equal(fs.readFileSync(msg.payload, 'utf8'), 'hello download');
    });

    it('writes a DSM name that is unsafe on Windows as a safe local name inside the folder', async function () {
      await files.upload('odd', { folder: '/home/dl', name: 'a\\b*c.txt' });
      const { n1, out } = await load({
        type: 'synology-file-download',
        path: '/home/dl/a\\b*c.txt',
        pathType: 'str',
        target: 'file',
        localPath: tmp,
        localPathType: 'str',
      });
      const next = nextMessage(out);
      n1.receive({});
      assert.equal((await next).payload, path.join(tmp, 'a_b_c.txt'));
      assert.equal(fs.readFileSync(path.join(tmp, 'a_b_c.txt'), 'utf8'), 'odd');
    });

    it('reports a missing file (408) and a missing path, naming the field', async function () {
      let loaded = await load({
        type: 'synology-file-download',
        path: 'payload',
        pathType: 'msg',
        target: 'buffer',
      });
      let failed = nextMessage(loaded.caught);
      loaded.n1.receive({ payload: '/home/dl/none.txt' });
      assert.equal((await failed).error.code, 408);
      failed = nextMessage(loaded.caught);
      loaded.n1.receive({});
      assert.match((await failed).error.cause.reason, /^path:/);
    });
  });

  describe('synology-file-op', function () {
    beforeEach(async () => {
      for (const name of ['a.txt', 'b.txt'])
        await files.upload(name, { folder: '/home/op', name, overwrite: true });
    });

    it('delete is a dry run by default: it reports what exists and deletes nothing', async function () {
      const { n1, out } = await load({ type: 'synology-file-op', operation: 'delete' });
      const next = nextMessage(out);
      n1.receive({
        payload: [{ path: '/home/op/a.txt' }, { path: '/home/op/b.txt' }, { path: '/home/op/gone.txt' }],
      });
      const msg = await next;
      assert.equal(msg.payload.dryRun, true);
      assert.deepEqual(
        msg.payload.wouldDelete.map((e) => e.path),
        ['/home/op/a.txt', '/home/op/b.txt'],
      );
      assert.ok(fs.existsSync(onDisk('/home/op/a.txt')));
    });

    it('an empty list (a cleanup that found nothing) deletes nothing and is no error', async function () {
      const { n1, out } = await load({ type: 'synology-file-op', operation: 'delete', dryRun: false });
      const next = nextMessage(out);
      n1.receive({ payload: [] });
      assert.deepEqual((await next).payload, { dryRun: false, deleted: [], count: 0 });
    });

    it('a redeploy during a delete stops the DSM task', async function () {
      for (let i = 0; i < 5; i++) await files.upload('x', { folder: '/home/redeploy', name: `f${i}` });
      const { n1 } = await load({ type: 'synology-file-op', operation: 'delete', dryRun: false });
      n1.receive({ payload: '/home/redeploy' });
      await new Promise((resolve) => setTimeout(resolve, 150));
      await helper.unload();
      const log = ref.sim.control.requestLog();
      assert.ok(log.some((r) => r.api === 'SYNO.FileStation.Delete' && r.method === 'stop'));
      await new Promise((resolve) => setTimeout(resolve, 600));
      assert.ok(fs.readdirSync(onDisk('/home/redeploy')).length > 0, 'the stopped delete did not finish');
    });

    it('deletes for real with progress msgs', async function () {
      const { n1, out, progress } = await load({
        type: 'synology-file-op',
        operation: 'delete',
        dryRun: false,
      });
      const progressMsgs = collect(progress);
      const next = nextMessage(out);
      n1.receive({ payload: ['/home/op/a.txt', '/home/op/b.txt'] });
      const msg = await next;
      assert.deepEqual(msg.payload, {
        dryRun: false,
        deleted: ['/home/op/a.txt', '/home/op/b.txt'],
        count: 2,
      });
      assert.ok(progressMsgs.length >= 1);
      assert.equal(progressMsgs.at(-1).payload.percent, 100);
      assert.ok(!fs.existsSync(onDisk('/home/op/a.txt')));
    });

    it('runs mkdir, rename, copy, move, info, md5, dirsize, share, compress and extract', async function () {
      const run = async (config, input) => {
        const { n1, out, caught } = await load({ type: 'synology-file-op', ...config });
        const next = Promise.race([
          nextMessage(out),
          nextMessage(caught).then((m) => Promise.reject(new Error(m.error.message))),
        ]);
        n1.receive(input);
        const msg = await next;
        await helper.unload();
        return msg.payload;
      };
      assert.equal(
        (await run({ operation: 'mkdir' }, { payload: '/home/op/dir/sub' })).path,
        '/home/op/dir/sub',
      );
      assert.equal(
        (
          await run(
            { operation: 'rename', newName: 'c.txt', newNameType: 'str' },
            { payload: '/home/op/b.txt' },
          )
        ).name,
        'c.txt',
      );
      await run(
        { operation: 'copy', destination: '/home/op/dir', destinationType: 'str' },
        { payload: '/home/op/a.txt' },
      );
      assert.ok(fs.existsSync(onDisk('/home/op/dir/a.txt')));
      await run(
        { operation: 'move', destination: '/home/op/dir/sub', destinationType: 'str' },
        { payload: '/home/op/c.txt' },
      );
      assert.ok(fs.existsSync(onDisk('/home/op/dir/sub/c.txt')) && !fs.existsSync(onDisk('/home/op/c.txt')));
      assert.equal((await run({ operation: 'info' }, { payload: '/home/op/a.txt' }))[0].size, 5);
      const md5 = require('node:crypto').createHash('md5').update('a.txt').digest('hex');
      assert.equal((await run({ operation: 'md5' }, { payload: '/home/op/a.txt' })).md5, md5);
      assert.equal((await run({ operation: 'dirsize' }, { payload: '/home/op/dir' })).files, 2);
      assert.match((await run({ operation: 'share' }, { payload: '/home/op/a.txt' }))[0].url, /^http/);
      assert.equal(
        (
          await run(
            { operation: 'compress', destination: '/home/op/a.zip', destinationType: 'str' },
            { payload: '/home/op/a.txt' },
          )
        ).path,
        '/home/op/a.zip',
      );
      await run({ operation: 'mkdir' }, { payload: '/home/op/unzipped' });
      await run(
        { operation: 'extract', destination: '/home/op/unzipped', destinationType: 'str' },
        { payload: '/home/op/a.zip' },
      );
      assert.equal(fs.readFileSync(onDisk('/home/op/unzipped/a.txt'), 'utf8'), 'a.txt');
      assert.equal(
        (await run({ operation: 'msg' }, { payload: '/home/op/a.txt', operation: 'md5' })).path,
        '/home/op/a.txt',
      );
    });

    it('refuses bad input naming the field, and changes nothing', async function () {
      const cases = [
        [{ operation: 'delete', dryRun: false }, {}, /^path:/],
        [{ operation: 'delete', dryRun: false }, { payload: 'home/op/a.txt' }, /^path: .*relative/],
        [{ operation: 'delete', dryRun: false }, { payload: '/home' }, /^path: .*shared folder, not/],
        [
          { operation: 'copy', destination: '', destinationType: 'str' },
          { payload: '/home/op/a.txt' },
          /^destination: is empty/,
        ],
        [{ operation: 'rename' }, { payload: '/home/op/a.txt' }, /^newName: is empty/],
        [{ operation: 'msg' }, { payload: '/home/op/a.txt', operation: 'explode' }, /^operation:/],
      ];
      for (const [config, input, message] of cases) {
        const { n1, caught } = await load({ type: 'synology-file-op', ...config });
        const failed = nextMessage(caught);
        n1.receive(input);
        assert.match((await failed).error.cause.reason, message);
        await helper.unload();
      }
      assert.ok(fs.existsSync(onDisk('/home/op/a.txt')) && fs.existsSync(onDisk('/home/op/b.txt')));
    });

    it('a read-only share: the DSM error reaches Catch and the file stays', async function () {
      const { n1, caught } = await load({ type: 'synology-file-op', operation: 'delete', dryRun: false });
      const failed = nextMessage(caught);
      n1.receive({ payload: '/video/README.txt' });
      const msg = await failed;
      assert.equal(typeof msg.error.code, 'number');
      assert.ok(fs.existsSync(onDisk('/video/README.txt')));
    });
  });
});
