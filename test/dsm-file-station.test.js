'use strict';
const assert = require('node:assert/strict');
const crypto = require('node:crypto');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { Readable, PassThrough } = require('node:stream');
const { DsmClient, FileStation } = require('../dist');
const { useSimulator, demo } = require('./support/sim');

const ODD_NAMES = [
  'a,b.txt',
  'quote".txt',
  'back\\slash.txt',
  '[x].txt',
  'spaced name.txt',
  'Grüße 日本.txt',
];

describe('File Station client against the simulator', function () {
  const ref = useSimulator({ readOnlyShares: ['video'], taskDurationMs: 400 });
  let client;
  let files;
  let tmp;
  const onDisk = (dsmPath) => path.join(ref.sim.dataDir, ...dsmPath.split('/').filter(Boolean));

  beforeEach(() => {
    client = new DsmClient({ url: ref.sim.url, username: demo.username, password: demo.password });
    files = new FileStation(client);
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'synoflow-fs-'));
    ref.sim.control.clearFaults();
    ref.sim.control.resetCounters();
  });
  afterEach(async () => {
    await client.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('round-trips odd names through upload, list, download, rename, copy and delete', async function () {
    for (const name of ODD_NAMES) {
      const content = `content of ${name}`;
      const up = await files.upload(content, { folder: '/home/odd', name });
      assert.equal(up.path, `/home/odd/${name}`);
      assert.equal(fs.readFileSync(onDisk(up.path), 'utf8'), content, name);
      const listed = await files.list('/home/odd');
      assert.ok(
        listed.some((e) => e.name === name && e.size === Buffer.byteLength(content)),
        name,
      );
      const down = await files.download(up.path, { buffer: true });
      assert.equal(down.buffer.toString('utf8'), content, name);
      const renamed = await files.rename(up.path, `re ${name}`);
      assert.equal(renamed.name, `re ${name}`);
      await files.copy(renamed.path, '/photo');
      assert.ok(fs.existsSync(onDisk(`/photo/re ${name}`)), name);
      await files.delete([renamed.path, `/photo/re ${name}`]);
      assert.ok(!fs.existsSync(onDisk(renamed.path)), name);
    }
  });

  it('lists with entries normalized: ms times, size, DSM fields kept', async function () {
    await files.upload(Buffer.alloc(1234), { folder: '/home/norm', name: 'f.bin', mtime: 1_600_000_000_000 });
    const [entry] = await files.list('/home/norm');
    assert.equal(entry.path, '/home/norm/f.bin');
    assert.equal(entry.isdir, false);
    assert.equal(entry.size, 1234);
    assert.equal(entry.mtime, 1_600_000_000_000);
    assert.equal(typeof entry.additional.time.mtime, 'number');
  });

  it('follows every page of a list and of a search', async function () {
    for (let i = 0; i < 7; i++) await files.upload(`n${i}`, { folder: '/home/pages/sub', name: `f${i}.log` });
    const listed = await files.list('/home/pages/sub', { pageSize: 2 });
    assert.equal(listed.length, 7);
    const found = await files.search('/home/pages', { pattern: '*.log', pageSize: 3 });
    assert.equal(found.length, 7);
    const searchLists = ref.sim.control
      .requestLog()
      .filter((r) => r.api === 'SYNO.FileStation.Search' && r.method === 'list');
    assert.ok(
      searchLists.filter((r) => r.params.offset !== '0').length >= 2,
      'several result pages were read',
    );
    assert.ok(
      ref.sim.control.requestLog().some((r) => r.api === 'SYNO.FileStation.Search' && r.method === 'clean'),
    );
  });

  it('upload overwrite: error by default, true replaces, false skips', async function () {
    await files.upload('one', { folder: '/home/ow', name: 'x.txt' });
    await assert.rejects(files.upload('two', { folder: '/home/ow', name: 'x.txt' }), (err) => {
      assert.equal(err.code, 1805);
      return true;
    });
    assert.equal(fs.readFileSync(onDisk('/home/ow/x.txt'), 'utf8'), 'one');
    const skipped = await files.upload('three', { folder: '/home/ow', name: 'x.txt', overwrite: false });
    assert.equal(skipped.skipped, true);
    assert.equal(fs.readFileSync(onDisk('/home/ow/x.txt'), 'utf8'), 'one');
    await files.upload('four', { folder: '/home/ow', name: 'x.txt', overwrite: true });
    assert.equal(fs.readFileSync(onDisk('/home/ow/x.txt'), 'utf8'), 'four');
  });

  it('overwrite false uploads a new file and only skips an existing one', async function () {
    const fresh = await files.upload('new', { folder: '/home/ow2', name: 'fresh.txt', overwrite: false });
    assert.equal(fresh.skipped, false);
    assert.equal(fs.readFileSync(onDisk('/home/ow2/fresh.txt'), 'utf8'), 'new');
  });

  it('a stream longer or shorter than its size fails naming size, and leaves no file', async function () {
    for (const [chunks, declared, what] of [
      [['12345', '67890'], 4, /more bytes/],
      [['123'], 10, /fewer bytes/],
    ]) {
      const source = Readable.from(chunks.map((c) => Buffer.from(c)));
      await assert.rejects(
        files.upload(source, { folder: '/home/len', name: 'x', size: declared }),
        (err) => {
          assert.equal(err.kind, 'input', err.message);
          assert.match(err.reason, /^size: /);
          assert.match(err.reason, what);
          return true;
        },
      );
    }
    await files.upload('ok', { folder: '/home/len', name: 'after' });
    assert.deepEqual(fs.readdirSync(onDisk('/home/len')), ['after']);
  });

  it('aborted uploads close the local file and destroy the source stream', async function () {
    const local = path.join(tmp, 'big.bin');
    fs.writeFileSync(local, Buffer.alloc(1024));
    fs.truncateSync(local, 200_000_000);
    const openFds = () => fs.readdirSync('/proc/self/fd').length;
    const before = openFds();
    for (let i = 0; i < 5; i++) {
      const controller = new AbortController();
      const upload = files.upload(
        { file: local },
        { folder: '/home/fd', name: `f${i}`, signal: controller.signal },
      );
      setTimeout(() => controller.abort(), 30);
      await assert.rejects(upload, (err) => err.kind === 'aborted');
    }
    const body = new PassThrough();
    const controller = new AbortController();
    const upload = files.upload(body, {
      folder: '/home/fd',
      name: 's',
      size: 1000,
      signal: controller.signal,
    });
    body.write('x');
    setTimeout(() => controller.abort(), 30);
    await assert.rejects(upload, (err) => err.kind === 'aborted');
    // The simulator in this process closes its side of each cut-off upload on its own time: wait for it (bounded).
    const settled = () => body.destroyed && openFds() <= before + 1;
    for (let i = 0; i < 100 && !settled(); i++) await new Promise((resolve) => setTimeout(resolve, 50));
    assert.equal(body.destroyed, true);
    assert.ok(openFds() <= before + 1, `open descriptors: ${before} before, ${openFds()} after`);
  });

  it('uploads from a Buffer, a string, a stream of known length and a local file', async function () {
    const local = path.join(tmp, 'local.bin');
    fs.writeFileSync(local, crypto.randomBytes(300_000));
    await files.upload(Buffer.from('buf'), { folder: '/home/src', name: 'b' });
    await files.upload('str', { folder: '/home/src', name: 's' });
    await files.upload(Readable.from([Buffer.from('str'), Buffer.from('eam')]), {
      folder: '/home/src',
      name: 'r',
      size: 6,
    });
    const progress = [];
    await files.upload(
      { file: local },
      { folder: '/home/src', name: 'l', onProgress: (p) => progress.push(p) },
    );
    assert.equal(fs.readFileSync(onDisk('/home/src/r'), 'utf8'), 'stream');
    assert.ok(fs.readFileSync(onDisk('/home/src/l')).equals(fs.readFileSync(local)));
    assert.equal(progress.at(-1).percent, 100);
    assert.equal(progress.at(-1).total, 300_000);
  });

  it('after a session error re-sends a re-playable upload, and reports it for a stream', async function () {
    await files.upload('warm', { folder: '/home/retry', name: 'warm' });
    ref.sim.control.injectFault({ api: 'SYNO.FileStation.Upload', code: 119 });
    await files.upload('again', { folder: '/home/retry', name: 'a' });
    assert.equal(fs.readFileSync(onDisk('/home/retry/a'), 'utf8'), 'again');
    await files.upload('warm', { folder: '/home/retry', name: 'warm2' });
    ref.sim.control.injectFault({ api: 'SYNO.FileStation.Upload', code: 119 });
    await assert.rejects(
      files.upload(Readable.from([Buffer.from('x')]), { folder: '/home/retry', name: 's', size: 1 }),
      (err) => err.code === 119,
    );
  });

  it('a cancelled upload leaves no partial file on the NAS', async function () {
    const controller = new AbortController();
    const body = new PassThrough();
    const upload = files.upload(body, {
      folder: '/home/cancel',
      name: 'big.bin',
      size: 10_000_000,
      signal: controller.signal,
    });
    body.write(Buffer.alloc(1_000_000));
    await new Promise((resolve) => setTimeout(resolve, 200));
    controller.abort();
    await assert.rejects(upload, (err) => err.kind === 'aborted');
    await new Promise((resolve) => setTimeout(resolve, 200));
    const left = fs.existsSync(onDisk('/home/cancel')) ? fs.readdirSync(onDisk('/home/cancel')) : [];
    assert.deepEqual(left, []);
  });

  it('refuses writes on a read-only share and changes nothing', async function () {
    const before = fs.readdirSync(onDisk('/video'));
    await assert.rejects(files.upload('x', { folder: '/video', name: 'x.txt' }), (err) => err.kind === 'dsm');
    await assert.rejects(files.delete('/video/README.txt'), (err) => err.kind === 'dsm');
    assert.deepEqual(fs.readdirSync(onDisk('/video')), before);
  });

  it('deletes in the background with rising progress', async function () {
    for (let i = 0; i < 5; i++) await files.upload(`d${i}`, { folder: '/home/del', name: `f${i}` });
    const progress = [];
    await files.delete('/home/del', { onProgress: (p) => progress.push(p) });
    assert.ok(progress.length >= 2, `progress msgs: ${progress.length}`);
    assert.ok(progress.every((p) => p.phase === 'delete'));
    assert.equal(progress.at(-1).percent, 100);
    for (let i = 1; i < progress.length; i++) assert.ok(progress[i].percent >= progress[i - 1].percent);
    assert.ok(!fs.existsSync(onDisk('/home/del')));
  });

  it('stops the DSM task when a background operation is aborted', async function () {
    // Several files: the simulator spreads a task's steps over its duration.
    for (let i = 0; i < 5; i++) await files.upload('x', { folder: '/home/stop', name: `x${i}` });
    const controller = new AbortController();
    const copying = files.copy('/home/stop', '/photo', { signal: controller.signal });
    setTimeout(() => controller.abort(), 150);
    await assert.rejects(copying, (err) => err.kind === 'aborted');
    assert.ok(
      ref.sim.control.requestLog().some((r) => r.api === 'SYNO.FileStation.CopyMove' && r.method === 'stop'),
    );
    await new Promise((resolve) => setTimeout(resolve, 600));
    assert.ok(!fs.existsSync(onDisk('/photo/stop/x4')), 'the stopped copy did not finish');
  });

  it('an abort while DSM starts the task still stops it', async function () {
    for (let i = 0; i < 5; i++) await files.upload('x', { folder: '/home/stop2', name: `x${i}` });
    // DSM starts the task, then its answer is slow: the abort comes before the task id.
    ref.sim.control.injectFault({
      api: 'SYNO.FileStation.Delete',
      method: 'start',
      delayMs: 100,
      when: 'after',
    });
    const controller = new AbortController();
    const deleting = files.delete('/home/stop2', { signal: controller.signal });
    setTimeout(() => controller.abort(), 30);
    await assert.rejects(deleting, (err) => err.kind === 'aborted');
    const log = ref.sim.control.requestLog();
    assert.ok(log.some((r) => r.api === 'SYNO.FileStation.Delete' && r.method === 'stop'));
    await new Promise((resolve) => setTimeout(resolve, 600));
    assert.ok(fs.readdirSync(onDisk('/home/stop2')).length > 0, 'the stopped delete did not finish');
  });

  it('computes md5 and dir size, creates folders, compresses and extracts', async function () {
    const data = crypto.randomBytes(5000);
    await files.upload(data, { folder: '/home/ops', name: 'data.bin' });
    assert.equal(await files.md5('/home/ops/data.bin'), crypto.createHash('md5').update(data).digest('hex'));
    const folder = await files.createFolder('/home/ops/new/deeper');
    assert.equal(folder.path, '/home/ops/new/deeper');
    assert.deepEqual(await files.dirSize('/home/ops'), { dirs: 2, files: 1, bytes: 5000 });
    await files.compress('/home/ops/data.bin', '/home/ops/data.zip');
    await files.createFolder('/home/ops/out');
    await files.extract('/home/ops/data.zip', '/home/ops/out');
    assert.ok(fs.readFileSync(onDisk('/home/ops/out/data.bin')).equals(data));
    // extracting again: fails by default, before anything changes; skips or overwrites when asked
    fs.writeFileSync(onDisk('/home/ops/out/data.bin'), 'changed');
    await assert.rejects(files.extract('/home/ops/data.zip', '/home/ops/out'), (err) => {
      assert.equal(err.code, 414);
      assert.match(err.reason, /already exist/);
      return true;
    });
    await files.extract('/home/ops/data.zip', '/home/ops/out', { overwrite: false });
    assert.equal(fs.readFileSync(onDisk('/home/ops/out/data.bin'), 'utf8'), 'changed');
    await files.extract('/home/ops/data.zip', '/home/ops/out', { overwrite: true });
    assert.ok(fs.readFileSync(onDisk('/home/ops/out/data.bin')).equals(data));
  });

  it('downloads to a file, to a stream, into a capped buffer, several paths as a zip', async function () {
    const data = crypto.randomBytes(200_000);
    await files.upload(data, { folder: '/home/dl', name: 'a.bin' });
    await files.upload('b', { folder: '/home/dl', name: 'b.txt' });
    const target = path.join(tmp, 'a.bin');
    const toFile = await files.download('/home/dl/a.bin', { file: target });
    assert.equal(toFile.size, 200_000);
    assert.ok(fs.readFileSync(target).equals(data));
    assert.deepEqual(fs.readdirSync(tmp), ['a.bin']);

    const chunks = [];
    const sink = new PassThrough();
    sink.on('data', (c) => chunks.push(c));
    await files.download('/home/dl/a.bin', { stream: sink });
    assert.ok(Buffer.concat(chunks).equals(data));

    await assert.rejects(files.download('/home/dl/a.bin', { buffer: true, maxBytes: 1000 }), (err) => {
      assert.equal(err.code, 'ETOOLARGE');
      assert.match(err.hint, /local file/);
      return true;
    });

    const zip = await files.download(['/home/dl/a.bin', '/home/dl/b.txt'], { buffer: true });
    assert.equal(zip.zip, true);
    assert.equal(zip.buffer.subarray(0, 2).toString(), 'PK');
  });

  it('a missing file is DSM error 408, and no local file is left', async function () {
    const target = path.join(tmp, 'missing.bin');
    await assert.rejects(files.download('/home/nope.bin', { file: target }), (err) => err.code === 408);
    assert.deepEqual(fs.readdirSync(tmp), []);
  });

  it('reads a byte range, lists an archive and the background tasks', async function () {
    await files.upload('0123456789', { folder: '/home/range', name: 'digits.txt' });
    const part = await files.download(
      '/home/range/digits.txt',
      { buffer: true },
      { range: { start: 2, end: 5 } },
    );
    assert.equal(part.buffer.toString(), '2345');
    await files.compress('/home/range/digits.txt', '/home/range/digits.zip');
    const items = await files.archiveItems('/home/range/digits.zip');
    assert.deepEqual(
      items.map((i) => i.name),
      ['digits.txt'],
    );
    const tasks = await files.backgroundTasks();
    assert.ok(tasks.some((t) => t.api === 'SYNO.FileStation.Compress'));
    await assert.rejects(
      files.download(
        ['/home/range/digits.txt', '/home/range/digits.zip'],
        { buffer: true },
        { range: { start: 1 } },
      ),
      /range: applies to one file only/,
    );
  });

  it('creates and deletes share links', async function () {
    await files.upload('s', { folder: '/home/share', name: 's.txt' });
    const [link] = await files.createShareLinks('/home/share/s.txt', { expires: '2099-01-01' });
    assert.match(link.url, /^http/);
    assert.ok((await files.listShareLinks()).some((l) => l.id === link.id));
    await files.deleteShareLinks(link.id);
    assert.ok(!(await files.listShareLinks()).some((l) => l.id === link.id));
  });

  it('refuses bad input naming the field, before anything is sent', async function () {
    const cases = [
      [() => files.list('home'), /^path: "home" is a relative path/],
      [() => files.list('/'), /^path: "\/" names no shared folder/],
      [() => files.upload('x', { folder: '/home', name: 'a/b' }), /^name:/],
      [() => files.upload('x', { folder: '', name: 'a' }), /^folder: is empty/],
      [
        () => files.upload({ file: path.join(tmp, 'none') }, { folder: '/home', name: 'a' }),
        /^file: .* does not exist/,
      ],
      [() => files.upload({ file: tmp }, { folder: '/home', name: 'a' }), /^file: .* is not a file/],
      // Without size a stream goes chunked on DSM 7 (test/dsm-fidelity.test.js); a wrong size is refused.
      [() => files.upload(Readable.from(['x']), { folder: '/home', name: 'a', size: -1 }), /^size:/],
      [() => files.upload(42, { folder: '/home', name: 'a' }), /^content:/],
      [() => files.delete('/home'), /^path: "\/home" is a shared folder/],
      [() => files.copy('/home/x', 'photo'), /^destination: "photo" is a relative path/],
      [() => files.rename('/home/x', ''), /^name: is empty/],
      [() => files.compress('/home/x', '/home/x.rar'), /^destination: must end in \.zip/],
    ];
    for (const [run, message] of cases) {
      await assert.rejects(run(), (err) => {
        assert.equal(err.kind, 'input', err.message);
        assert.match(err.reason, message);
        return true;
      });
    }
    assert.deepEqual(ref.sim.control.counters().requests, {});
  });
});
