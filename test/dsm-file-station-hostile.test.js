'use strict';
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { PassThrough, Readable } = require('node:stream');
const { DsmClient, FileStation } = require('../dist');
const { useSimulator, demo } = require('./support/sim');

/** A stream that sends `chunks` chunks of 64 KiB, then fails with `message`. */
function failingStream(chunks, message) {
  let sent = 0;
  return new Readable({
    read() {
      if (sent++ < chunks) this.push(Buffer.alloc(64 * 1024, 1));
      else this.destroy(new Error(message));
    },
  });
}

describe('File Station client: hostile options and failing upload sources', function () {
  const ref = useSimulator();
  let client;
  let files;
  let tmp;
  const onDisk = (dsmPath) => path.join(ref.sim.dataDir, ...dsmPath.split('/').filter(Boolean));
  const listing = (dsmPath) => (fs.existsSync(onDisk(dsmPath)) ? fs.readdirSync(onDisk(dsmPath)) : []);
  /** The folder's entries once the simulator has dropped the temp file of an upload cut off (it does so on its own time). */
  const leftIn = async (dsmPath) => {
    for (let i = 0; i < 100 && listing(dsmPath).some((n) => n.startsWith('.synosim-upload-')); i++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    return listing(dsmPath);
  };

  beforeEach(() => {
    client = new DsmClient({ url: ref.sim.url, username: demo.username, password: demo.password });
    files = new FileStation(client);
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'synoflow-fs-hostile-'));
    ref.sim.control.clearFaults();
    ref.sim.control.resetCounters();
    ref.sim.control.clearRequestLog();
  });
  afterEach(async () => {
    await client.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  describe('an upload source that fails is reported as a source failure, not as the network', function () {
    it('a stream that errors after some bytes: kind source, its message in the reason, no file left', async function () {
      await assert.rejects(
        files.upload(failingStream(3, 'disk on fire'), {
          folder: '/home/src-fail',
          name: 'half.bin',
          size: 1_000_000,
        }),
        (err) => {
          assert.equal(err.kind, 'source', err.message);
          assert.match(err.reason, /^upload source failed: disk on fire/);
          return true;
        },
      );
      assert.deepEqual(await leftIn('/home/src-fail'), []);
      // The connection is fine: the next upload works.
      await files.upload('ok', { folder: '/home/src-fail', name: 'after.txt' });
      assert.deepEqual(await leftIn('/home/src-fail'), ['after.txt']);
    });

    it('a stream that fails before the upload reads it (during the login): kind source, no crash', async function () {
      const body = new PassThrough();
      ref.sim.control.injectFault({ api: 'SYNO.API.Auth', method: 'login', delayMs: 300 });
      const uploading = files.upload(body, { folder: '/home/src-early', name: 'e.bin', size: 10 });
      body.destroy(new Error('camera gone'));
      await assert.rejects(uploading, (err) => {
        assert.equal(err.kind, 'source', err.message);
        assert.match(err.reason, /^upload source failed: camera gone/);
        return true;
      });
      assert.deepEqual(await leftIn('/home/src-early'), []);
    });

    it('a stream closed midway without an error: kind source, not a wait for bytes that never come', async function () {
      const body = new PassThrough();
      const uploading = files.upload(body, { folder: '/home/src-closed', name: 'c.bin', size: 1_000_000 });
      body.write(Buffer.alloc(100_000), () => setImmediate(() => body.destroy()));
      await assert.rejects(uploading, (err) => {
        assert.equal(err.kind, 'source', err.message);
        assert.match(err.reason, /^upload source failed: it was closed before its end/);
        return true;
      });
      assert.deepEqual(await leftIn('/home/src-closed'), []);
    });

    it('a local file that disappears before it is read: kind source with ENOENT', async function () {
      const local = path.join(tmp, 'vanishing.bin');
      fs.writeFileSync(local, Buffer.alloc(100_000, 2));
      // The login comes between the file check and the read: the file goes away while DSM "thinks".
      ref.sim.control.injectFault({ api: 'SYNO.API.Auth', method: 'login', delayMs: 1500 });
      const uploading = files.upload({ file: local }, { folder: '/home/src-gone', name: 'v.bin' });
      const loginSeen = () => ref.sim.control.requestLog().some((r) => r.method === 'login');
      while (!loginSeen()) await new Promise((resolve) => setTimeout(resolve, 10));
      fs.rmSync(local);
      await assert.rejects(uploading, (err) => {
        assert.equal(err.kind, 'source', err.message);
        assert.match(err.reason, /^upload source failed: ENOENT/);
        return true;
      });
      assert.deepEqual(await leftIn('/home/src-gone'), []);
    });

    it('a local file that shrinks while it is uploaded: kind source, naming the file', async function () {
      const local = path.join(tmp, 'rotated.log');
      fs.writeFileSync(local, Buffer.alloc(1024));
      fs.truncateSync(local, 20_000_000);
      let truncated = false;
      await assert.rejects(
        files.upload(
          { file: local },
          {
            folder: '/home/src-shrink',
            name: 'rotated.log',
            onProgress: () => {
              if (!truncated) fs.truncateSync(local, 10);
              truncated = true;
            },
          },
        ),
        (err) => {
          assert.equal(err.kind, 'source', err.message);
          assert.match(err.reason, /^upload source failed: .*rotated\.log.* changed while it was read/);
          return true;
        },
      );
      assert.deepEqual(await leftIn('/home/src-shrink'), []);
    });

    it('a local path that is a folder is refused before anything is sent', async function () {
      await assert.rejects(files.upload({ file: tmp }, { folder: '/home', name: 'dir' }), (err) => {
        assert.equal(err.kind, 'input');
        assert.match(err.reason, /^file: .* is not a file/);
        return true;
      });
      assert.deepEqual(ref.sim.control.counters().requests, {});
    });
  });

  describe('options of the wrong type are refused naming the option, before anything is sent', function () {
    const stream = () => Readable.from([Buffer.from('abc')]);
    const cases = [
      ['list', () => files.list('/home', { pattern: 5 }), /^pattern: must be a string or a list of strings/],
      ['list', () => files.list('/home', { pattern: ['*.txt', 5] }), /^pattern: must be a string or a list/],
      ['list', () => files.list('/home', 5), /^options: must be an object/],
      ['list', () => files.list('/home', { filetype: 'files' }), /^filetype: .*file, dir, all/],
      ['list', () => files.list('/home', { sortBy: 'date' }), /^sortBy: /],
      ['list', () => files.list('/home', { sortDirection: 'up' }), /^sortDirection: /],
      ['list', () => files.list('/home', { limit: '10' }), /^limit: /],
      ['list', () => files.list('/home', { offset: -1 }), /^offset: /],
      ['list', () => files.list('/home', { additional: 'size' }), /^additional: must be a list of strings/],
      ['list', () => files.list('/home', { pageSize: 0 }), /^pageSize: /],
      ['listShares', () => files.listShares({ sortBy: 5 }), /^sortBy: /],
      ['search', () => files.search('/home', { recursive: 'no' }), /^recursive: must be true or false/],
      ['search', () => files.search('/home', { extension: 5 }), /^extension: must be a string or a list/],
      ['search', () => files.search('/home', { sizeFrom: '10MB' }), /^sizeFrom: must be a whole number/],
      ['search', () => files.search('/home', { mtimeTo: 'yesterday' }), /^mtimeTo: must be a number/],
      ['search', () => files.search('/home', { onProgress: 'log' }), /^onProgress: must be a function/],
      ['search', () => files.search('/home', { timeoutMs: -5 }), /^timeoutMs: must be a number/],
      ['createFolder', () => files.createFolder('/home/x', { createParents: 'no' }), /^createParents: /],
      ['rename', () => files.rename('/home/x', { name: 'y' }), /^name: must be a string/],
      [
        'copy',
        () => files.copy('/home/x', '/photo', { overwrite: 'yes' }),
        /^overwrite: must be true or false/,
      ],
      ['move', () => files.move(['/home/x', 7], '/photo'), /^path\[1\]: must be a string/],
      ['delete', () => files.delete('/home/x', { recursive: 'false' }), /^recursive: must be true or false/],
      ['md5', () => files.md5('/home/x', { timeoutMs: 'soon' }), /^timeoutMs: /],
      ['dirSize', () => files.dirSize('/home/x', { onProgress: {} }), /^onProgress: /],
      ['compress', () => files.compress('/home/x', '/home/x.zip', { level: 'max' }), /^level: /],
      ['compress', () => files.compress('/home/x', '/home/x.zip', { password: 1234 }), /^password: /],
      ['extract', () => files.extract('/home/x.zip', '/home', { overwrite: 'true' }), /^overwrite: /],
      ['extract', () => files.extract('/home/x.zip', '/home', { keepDirs: 1 }), /^keepDirs: /],
      [
        'extract',
        () => files.extract('/home/x.zip', '/home', { createSubfolder: 'no' }),
        /^createSubfolder: /,
      ],
      ['extract', () => files.extract('/home/x.zip', '/home', { password: {} }), /^password: /],
      ['share', () => files.createShareLinks('/home/x', { password: 5 }), /^password: must be a string/],
      ['share', () => files.createShareLinks('/home/x', { expires: {} }), /^expires: must be a date/],
      ['archiveItems', () => files.archiveItems('/home/x.zip', { password: [] }), /^password: /],
      [
        'upload',
        () => files.upload('x', { folder: '/home', name: 'a', createParents: 'no' }),
        /^createParents:/,
      ],
      ['upload', () => files.upload('x', { folder: '/home', name: 'a', mtime: 'yesterday' }), /^mtime: /],
      ['upload', () => files.upload(stream(), { folder: '/home', name: 'a', size: '3' }), /^size: /],
      ['upload', () => files.upload('x', { folder: '/home', name: 'a', onProgress: 5 }), /^onProgress: /],
      [
        'upload',
        () => files.upload('x', { folder: { path: '/home' }, name: 'a' }),
        /^folder: must be a string/,
      ],
      ['upload', () => files.upload('x', { folder: '/home', name: ['a', 'b'] }), /^name: must be a string/],
      ['download', () => files.download('/home/x', { buffer: true }, { timeoutMs: 'x' }), /^timeoutMs: /],
      ['download', () => files.download('/home/x', { buffer: true }, { onProgress: 1 }), /^onProgress: /],
      ['download', () => files.download('/home/x', { file: 5 }), /^file: /],
    ];
    it(`refuses ${cases.length} wrong options across the methods`, async function () {
      for (const [method, run, message] of cases) {
        await assert.rejects(
          Promise.resolve().then(run),
          (err) => {
            assert.equal(err.kind, 'input', `${method}: ${err.message}`);
            assert.match(err.reason, message, method);
            return true;
          },
          `${method} accepted ${message}`,
        );
      }
      assert.deepEqual(ref.sim.control.counters().requests, {});
    });
  });
});
