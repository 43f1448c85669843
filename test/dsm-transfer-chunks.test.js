'use strict';
// Transfers at and around the 1 MiB chunk size: uploads read in 1 MiB parts, downloads to a file are gathered
// into 1 MiB writes. Every byte arrives once and in order, whatever the size.
const assert = require('node:assert/strict');
const crypto = require('node:crypto');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { DsmClient, FileStation } = require('../dist');
const { useSimulator, demo } = require('./support/sim');

const MiB = 1 << 20;
// 0: an empty file is a file too (form-data takes a known length of 0 for "unknown").
const SIZES = [0, 1, MiB - 1, MiB, MiB + 1, 3 * MiB + 12345];

describe('File Station transfers around the 1 MiB chunk size', function () {
  const ref = useSimulator();
  let client;
  let files;
  let tmp;
  before(() => {
    client = new DsmClient({ url: ref.sim.url, username: demo.username, password: demo.password });
    files = new FileStation(client);
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'synoflow-chunks-'));
  });
  after(async () => {
    await client.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  for (const size of SIZES) {
    it(`uploads a local file and a Buffer of ${size} bytes and downloads them to a file, byte for byte`, async function () {
      const bytes = crypto.randomBytes(size);
      const local = path.join(tmp, `up-${size}.bin`);
      fs.writeFileSync(local, bytes);
      await files.upload(
        { file: local },
        { folder: '/home/chunks', name: `file-${size}.bin`, overwrite: true },
      );
      await files.upload(bytes, { folder: '/home/chunks', name: `buffer-${size}.bin`, overwrite: true });
      for (const name of [`file-${size}.bin`, `buffer-${size}.bin`]) {
        const onDisk = path.join(ref.sim.dataDir, 'home', 'chunks', name);
        assert.ok(fs.readFileSync(onDisk).equals(bytes), `${name} on the NAS`);
        const target = path.join(tmp, `down-${name}`);
        const progress = [];
        const result = await files.download(
          `/home/chunks/${name}`,
          { file: target },
          {
            onProgress: (p) => progress.push(p.done),
          },
        );
        assert.equal(result.size, size);
        assert.ok(fs.readFileSync(target).equals(bytes), `${name} downloaded`);
        if (size > 0) assert.equal(progress.at(-1), size);
        assert.deepEqual(
          fs.readdirSync(tmp).filter((f) => f.endsWith('.part')),
          [],
        );
      }
    });
  }

  it('uploads an empty string and an empty stream of declared size 0, with progress at 100 %', async function () {
    const { Readable } = require('node:stream');
    const progress = [];
    await files.upload('', {
      folder: '/home/chunks',
      name: 'empty.txt',
      overwrite: true,
      onProgress: (p) => progress.push(p.percent),
    });
    await files.upload(Readable.from([]), {
      folder: '/home/chunks',
      name: 'empty-stream.txt',
      size: 0,
      overwrite: true,
    });
    for (const name of ['empty.txt', 'empty-stream.txt']) {
      assert.equal(fs.statSync(path.join(ref.sim.dataDir, 'home', 'chunks', name)).size, 0, name);
    }
    assert.equal(progress.at(-1), 100);
  });

  it('a download into a missing local folder fails naming the local file, and leaves nothing', async function () {
    await files.upload('x'.repeat(3 * MiB), { folder: '/home/chunks', name: 'three.txt', overwrite: true });
    const target = path.join(tmp, 'missing', 'three.txt');
    await assert.rejects(files.download('/home/chunks/three.txt', { file: target }), (err) => {
      assert.equal(err.kind, 'input', err.message);
      assert.match(err.reason, /cannot write the local file \(ENOENT\)/);
      return true;
    });
    assert.equal(fs.existsSync(path.join(tmp, 'missing')), false);
  });
});
