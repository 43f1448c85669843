'use strict';

// Issue 7: the client against a simulator that answers as real DSMs do (see simulator/test/simulator-fidelity.test.js
// for the DSM behaviour and its public sources). One block per item of the issue.

const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { PassThrough } = require('node:stream');
const { DsmClient, DsmError, FileStation } = require('../dist');
const { startSimulator, demo } = require('./support/sim');

const clientOf = (sim) => new DsmClient({ url: sim.url, username: demo.username, password: demo.password });

/** A stream whose length nobody knows beforehand: pieces written one after another. */
function streamOf(pieces) {
  const stream = new PassThrough();
  (async () => {
    for (const piece of pieces) {
      stream.write(piece);
      await new Promise((resolve) => setImmediate(resolve));
    }
    stream.end();
  })();
  return stream;
}

describe('DSM client copes with DSM as it really answers (issue 7)', function () {
  let sim;
  let client;
  let files;
  const onDisk = (dsmPath) => path.join(sim.dataDir, ...dsmPath.split('/').filter(Boolean));

  before(async function () {
    sim = await startSimulator({ port: 0, readOnlyShares: ['video'] });
  });
  after(async function () {
    await sim.close();
  });
  beforeEach(function () {
    client = clientOf(sim);
    files = new FileStation(client);
    sim.control.clearRequestLog();
  });
  afterEach(async function () {
    await client.close();
  });

  it('1. passes True/False params through to a DSM that takes them in any case', async function () {
    const data = await client.call('SYNO.FileStation.List', 'list_share', { onlywritable: 'True' });
    assert.ok(data.shares.length > 0);
    assert.ok(!data.shares.some((share) => share.name === 'video'));
  });

  it('2. logs in on DSM 7 at the advertised entry.cgi, though auth.cgi answers too', async function () {
    await client.login();
    const logins = sim.control.requestLog().filter((entry) => entry.method === 'login');
    assert.equal(logins.at(-1).path, 'entry.cgi');
    assert.equal(logins.at(-1).version, 7);
    assert.equal(logins.at(-1).errorCode, undefined);
  });

  it('3. logs in although DSM 7.2 answers a non-empty ik_message, and calls SYNO.API.Auth.UIConfig', async function () {
    await client.login();
    assert.equal(client.state, 'connected');
    assert.equal(await client.call('SYNO.API.Auth.UIConfig', 'get'), undefined);
    const shares = await files.listShares();
    assert.ok(shares.some((share) => share.name === 'home'));
  });

  it('5. uploads a stream of unknown length on DSM 7 (chunked, no msg.size needed)', async function () {
    const pieces = ['first piece, ', 'second piece, ', 'last piece'];
    const progress = [];
    const result = await files.upload(streamOf(pieces), {
      folder: '/home/chunked',
      name: 'stream.txt',
      onProgress: (p) => progress.push(p),
    });
    const expected = pieces.join('');
    assert.deepEqual(result, { path: '/home/chunked/stream.txt', size: expected.length, skipped: false });
    assert.equal(fs.readFileSync(onDisk(result.path), 'utf8'), expected);
    const sent = sim.control.requestLog().filter((entry) => entry.api === 'SYNO.FileStation.Upload');
    assert.equal(sent.at(-1).headers['transfer-encoding'], 'chunked');
    assert.deepEqual(progress.at(-1), {
      phase: 'upload',
      done: expected.length,
      total: expected.length,
      percent: 100,
    });
  });

  it('5. still sends Content-Length when the size is known', async function () {
    await files.upload(streamOf(['abc']), { folder: '/home/chunked', name: 'sized.txt', size: 3 });
    const sent = sim.control.requestLog().filter((entry) => entry.api === 'SYNO.FileStation.Upload');
    assert.equal(sent.at(-1).headers['transfer-encoding'], undefined);
    assert.equal(fs.readFileSync(onDisk('/home/chunked/sized.txt'), 'utf8'), 'abc');
  });

  it('6. reads a file DSM serves with mode=serve, as an image viewer would', async function () {
    fs.writeFileSync(onDisk('/photo/served.png'), 'png bytes');
    const answer = await client.request('SYNO.FileStation.Download', 'download', {}, (req) =>
      client.transport.openStream({
        cgiPath: req.resolved.cgiPath,
        api: 'SYNO.FileStation.Download',
        method: 'download',
        query: { ...req.query, path: '["/photo/served.png"]', mode: '"serve"' },
        headers: req.headers,
      }),
    );
    assert.equal(answer.envelope, undefined);
    assert.equal(answer.contentType, 'image/png');
    const chunks = [];
    for await (const chunk of answer.stream) chunks.push(chunk);
    assert.equal(Buffer.concat(chunks).toString('utf8'), 'png bytes');
  });

  describe('7. File Station Favorite, VirtualFolder, CheckPermission, Thumb', function () {
    it('manages favorites: add, list with status, rename, delete, clear broken, replace all', async function () {
      fs.mkdirSync(onDisk('/home/favs/one'), { recursive: true });
      fs.mkdirSync(onDisk('/home/favs/two'), { recursive: true });
      await files.replaceFavorites([]);
      await files.addFavorite('/home/favs/one', 'One');
      await files.addFavorite('/home/favs/two', 'Two', { index: 0 });
      await assert.rejects(files.addFavorite('/home/favs/one', 'Again'), (err) => {
        assert.ok(err instanceof DsmError);
        assert.equal(err.code, 800);
        assert.match(err.message, /already added/);
        return true;
      });
      let listed = await files.favorites();
      assert.deepEqual(
        listed.map((f) => [f.name, f.path, f.status, f.isdir]),
        [
          ['Two', '/home/favs/two', 'valid', true],
          ['One', '/home/favs/one', 'valid', true],
        ],
      );
      assert.equal(listed[0].additional.real_path, '/volume1/home/favs/two');
      fs.rmSync(onDisk('/home/favs/two'), { recursive: true });
      assert.deepEqual(
        (await files.favorites({ status: 'broken' })).map((f) => f.name),
        ['Two'],
      );
      await files.clearBrokenFavorites();
      await files.renameFavorite('/home/favs/one', 'Uno');
      assert.deepEqual(
        (await files.favorites()).map((f) => f.name),
        ['Uno'],
      );
      await files.replaceFavorites([
        { path: '/photo', name: 'Photos' },
        { path: '/home/favs/one', name: 'One, again' },
      ]);
      listed = await files.favorites();
      assert.deepEqual(
        listed.map((f) => `${f.name}=${f.path}`),
        ['Photos=/photo', 'One, again=/home/favs/one'],
      );
      await files.deleteFavorite('/photo');
      assert.equal((await files.favorites()).length, 1);
      await assert.rejects(files.favorites({ status: 'some' }), { kind: 'input' });
    });

    it('lists virtual folders (none mounted) and refuses an unknown type before sending', async function () {
      assert.deepEqual(await files.virtualFolders('cifs'), []);
      assert.deepEqual(await files.virtualFolders('iso'), []);
      await assert.rejects(files.virtualFolders('smb'), { kind: 'input' });
    });

    it('checks write permission: resolves, or rejects with the code the write would meet', async function () {
      fs.writeFileSync(onDisk('/home/exists.txt'), 'x');
      await files.checkWrite('/home', 'new.txt');
      await files.checkWrite('/home', 'exists.txt', { overwrite: true });
      await assert.rejects(files.checkWrite('/home', 'exists.txt'), { kind: 'dsm', code: 414 });
      await assert.rejects(files.checkWrite('/video', 'new.txt'), { kind: 'dsm', code: 411 });
      await assert.rejects(files.checkWrite('/home/none', 'new.txt'), { kind: 'dsm', code: 408 });
    });

    it('gets a thumbnail of an image as a Buffer; a file with none is a clear error', async function () {
      fs.writeFileSync(onDisk('/photo/cat.jpg'), 'jpeg bytes');
      const small = await files.thumbnail('/photo/cat.jpg');
      assert.equal(small.contentType, 'image/png');
      assert.deepEqual([...small.buffer.subarray(1, 4)], [...Buffer.from('PNG')]);
      assert.equal(small.buffer.readUInt32BE(16), 120);
      const turned = await files.thumbnail('/photo/cat.jpg', { size: 'medium', rotate: 1 });
      assert.deepEqual([turned.buffer.readUInt32BE(16), turned.buffer.readUInt32BE(20)], [240, 320]);
      await assert.rejects(files.thumbnail('/photo/README.txt'), (err) => {
        assert.equal(err.code, 'HTTP_404');
        assert.match(err.message, /no thumbnail of \/photo\/README.txt/);
        return true;
      });
      await assert.rejects(files.thumbnail('/photo/cat.jpg', { size: 'huge' }), { kind: 'input' });
    });
  });
});

describe('DSM client on DSM 6 (issue 7)', function () {
  let sim;
  let client;

  before(async function () {
    sim = await startSimulator({ port: 0, profile: 'dsm6' });
  });
  after(async function () {
    await sim.close();
  });
  beforeEach(function () {
    client = clientOf(sim);
  });
  afterEach(async function () {
    await client.close();
  });

  it('4. logs in over plain HTTP where SYNO.API.Encryption is offered: DSM takes unsealed params too', async function () {
    const info = await client.call('SYNO.API.Encryption', 'getinfo');
    assert.equal(info.cipherkey, '__cIpHeRtExT');
    assert.match(info.public_key, /^[0-9a-f]+$/);
    const entry = (await client.apiInfo())['SYNO.API.Encryption'];
    assert.equal(entry.path, 'encryption.cgi');
    const login = sim.control.requestLog().find((e) => e.method === 'login');
    assert.equal(login.path, 'auth.cgi');
    assert.equal(login.httpMethod, 'POST', 'the password goes in the body, not the URL');
    assert.equal(login.errorCode, undefined);
  });

  it('5. refuses a stream of unknown length before sending, naming size (DSM 6 answers 1800)', async function () {
    const files = new FileStation(client);
    await assert.rejects(files.upload(streamOf(['abc']), { folder: '/home', name: 'x.txt' }), (err) => {
      assert.equal(err.kind, 'input');
      assert.match(err.message, /^size: /);
      assert.match(err.hint, /1800/);
      return true;
    });
    const uploads = sim.control.requestLog().filter((e) => e.api === 'SYNO.FileStation.Upload');
    assert.equal(uploads.length, 0);
    const done = await files.upload(streamOf(['abc']), { folder: '/home', name: 'x.txt', size: 3 });
    assert.equal(done.size, 3);
  });
});
