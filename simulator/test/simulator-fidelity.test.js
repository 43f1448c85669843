'use strict';

// Issue 7, "Answers as real DSM gives them": where public clients written against real NASes disagreed with the
// simulator, the public record says how DSM answers. One block per item of the issue.

const assert = require('node:assert/strict');
const crypto = require('node:crypto');
const fs = require('node:fs');
const http = require('node:http');
const path = require('node:path');
const { startSimulator } = require('..');

const json = (value) => JSON.stringify(value);

/** A request to /webapi/<cgi>: GET with the params in the query, or POST with them urlencoded in the body. */
async function webapi(sim, cgi, params, { post = false, headers = {} } = {}) {
  const url = new URL(`/webapi/${cgi}`, sim.url);
  const encoded = new URLSearchParams(params).toString();
  if (!post) url.search = encoded;
  const response = await fetch(url, {
    method: post ? 'POST' : 'GET',
    headers: post ? { 'Content-Type': 'application/x-www-form-urlencoded', ...headers } : headers,
    body: post ? encoded : undefined,
  });
  const bytes = Buffer.from(await response.arrayBuffer());
  const type = response.headers.get('content-type') ?? '';
  const body = /json|text\/plain/.test(type) ? JSON.parse(bytes.toString('utf8')) : undefined;
  return { status: response.status, headers: response.headers, body, bytes };
}

async function login(sim, cgi = sim.profile === 'dsm6' ? 'auth.cgi' : 'entry.cgi', version = 6) {
  const { body } = await webapi(sim, cgi, {
    api: 'SYNO.API.Auth',
    version: String(version),
    method: 'login',
    account: 'demo',
    passwd: 'synology',
    format: 'sid',
  });
  assert.equal(body.success, true, json(body));
  return body.data.sid;
}

function fileStation(sim, sid, api, method, version, params = {}) {
  return webapi(sim, 'entry.cgi', {
    api: `SYNO.FileStation.${api}`,
    version: String(version),
    method,
    _sid: sid,
    ...params,
  });
}

function seed(sim, files) {
  for (const [relative, content] of Object.entries(files)) {
    const target = path.join(sim.dataDir, relative);
    if (content === null) fs.mkdirSync(target, { recursive: true });
    else {
      fs.mkdirSync(path.dirname(target), { recursive: true });
      fs.writeFileSync(target, content);
    }
  }
}

describe('DSM simulator answers as real DSM gives them (issue 7)', function () {
  let sim;
  let sid;

  before(async function () {
    sim = await startSimulator({ readOnlyShares: ['video'] });
    sid = await login(sim);
  });

  after(async function () {
    await sim.close();
  });

  describe('1. booleans in any case', function () {
    // Home Assistant calls list_share with onlywritable=True at every setup and deletes with recursive=True
    // (Python's str(True)); DSM takes them.
    it('takes True/False/TRUE as booleans and still answers 120 to a word that is none', async function () {
      const shares = async (onlywritable) =>
        (await fileStation(sim, sid, 'List', 'list_share', 2, { onlywritable })).body;
      const writable = await shares('True');
      assert.equal(writable.success, true, json(writable));
      assert.ok(!writable.data.shares.some((share) => share.name === 'video'));
      assert.ok((await shares('FALSE')).data.shares.some((share) => share.name === 'video'));
      assert.equal((await shares('maybe')).error.code, 120);
    });

    it('deletes a folder with its content with recursive=True', async function () {
      seed(sim, { 'home/tree/sub/f.txt': 'x' });
      const { body } = await fileStation(sim, sid, 'Delete', 'delete', 2, {
        path: json(['/home/tree']),
        recursive: 'True',
      });
      assert.equal(body.success, true, json(body));
      assert.equal(fs.existsSync(path.join(sim.dataDir, 'home/tree')), false);
    });
  });

  describe('2. DSM 7 still answers auth.cgi', function () {
    // N4S4/synology-api#74: on DSM 7 a login at auth.cgi with version 2 answers 103; with version 3 it works.
    // N4S4's auth.py logs in at auth.cgi with version 7 by default.
    it('answers 103 to Auth version 2 at auth.cgi, logs in with versions 3 and 7 there', async function () {
      const attempt = (version) =>
        webapi(sim, 'auth.cgi', {
          api: 'SYNO.API.Auth',
          version: String(version),
          method: 'login',
          account: 'demo',
          passwd: 'synology',
          format: 'sid',
        });
      const old = await attempt(2);
      assert.equal(old.status, 200);
      assert.deepEqual(old.body, { success: false, error: { code: 103 } });
      for (const version of [3, 7]) {
        const { body } = await attempt(version);
        assert.equal(body.success, true, `version ${version}`);
        const listed = await fileStation(sim, body.data.sid, 'List', 'list_share', 2);
        assert.equal(listed.body.success, true);
      }
    });
  });

  describe('3. entry.cgi/<API> URLs, SYNO.API.Auth.UIConfig and ik_message', function () {
    it('serves entry.cgi/SYNO.API.Auth.UIConfig as N4S4 posts it, with the _SSID cookie', async function () {
      // N4S4/synology-api auth.py get_ik_message: POST entry.cgi/SYNO.API.Auth.UIConfig, read cookie _SSID.
      const { status, headers, body } = await webapi(
        sim,
        'entry.cgi/SYNO.API.Auth.UIConfig',
        { api: 'SYNO.API.Auth.UIConfig', method: 'get', version: '1' },
        { post: true },
      );
      assert.equal(status, 200);
      assert.equal(body.success, true);
      const cookie = headers.getSetCookie().find((line) => line.startsWith('_SSID='));
      assert.ok(cookie, 'an _SSID cookie');
      const ssid = /^_SSID=([^;]+)/.exec(cookie)[1];
      assert.match(ssid, /^[A-Za-z0-9_-]+$/);
      assert.equal(Buffer.from(ssid, 'base64url').length, 32, 'an X25519 public key');
    });

    it('takes the API name from the path when the params leave it out', async function () {
      const { body } = await webapi(sim, 'entry.cgi/SYNO.API.Info', { version: '1', method: 'query' });
      assert.equal(body.success, true);
      assert.ok(body.data['SYNO.API.Auth.UIConfig']);
      const wrong = await webapi(sim, 'entry.cgi/SYNO.Nothing.Here', { version: '1', method: 'query' });
      assert.equal(wrong.body.error.code, 102);
    });

    it('answers a v7 login with a non-empty ik_message, as DSM 7.2 does', async function () {
      const { body } = await webapi(sim, 'entry.cgi', {
        api: 'SYNO.API.Auth',
        version: '7',
        method: 'login',
        account: 'demo',
        passwd: 'synology',
        format: 'sid',
      });
      assert.match(body.data.ik_message, /^[A-Za-z0-9_-]{64}$/);
      assert.equal(Buffer.from(body.data.ik_message, 'base64url').length, 48);
    });
  });

  describe('5. chunked uploads on DSM 7.2', function () {
    // home-assistant/core#138607: aiohttp uploads without Content-Length; "can't reproduce with dsm 7.2".
    it('stores a chunked upload (no Content-Length)', async function () {
      const answer = await chunkedUpload(sim, sid, '/home', 'chunked.txt', 'sent in chunks');
      assert.equal(answer.success, true, json(answer));
      assert.equal(fs.readFileSync(path.join(sim.dataDir, 'home/chunked.txt'), 'utf8'), 'sent in chunks');
    });
  });

  describe('6. Download mode=serve', function () {
    // N4S4/synology-api filestation.py get_file sends mode=serve to read a file into memory.
    it('serves the file like mode=open: its bytes, its MIME type, no attachment', async function () {
      seed(sim, { 'photo/pic.png': 'not really a png' });
      const served = await fileStation(sim, sid, 'Download', 'download', 2, {
        path: json(['/photo/pic.png']),
        mode: 'serve',
      });
      const opened = await fileStation(sim, sid, 'Download', 'download', 2, {
        path: json(['/photo/pic.png']),
        mode: 'open',
      });
      assert.equal(served.status, 200);
      assert.equal(served.bytes.toString('utf8'), 'not really a png');
      assert.equal(served.headers.get('content-type'), opened.headers.get('content-type'));
      assert.equal(served.headers.get('content-type'), 'image/png');
      assert.equal(served.headers.get('content-disposition'), null);
      const missing = await fileStation(sim, sid, 'Download', 'download', 2, {
        path: json(['/photo/none.png']),
        mode: '"serve"',
      });
      assert.equal(missing.status, 404, 'errors come with HTTP 404 as with open');
    });
  });

  describe('7. Favorite, VirtualFolder, CheckPermission, Thumb (File Station guide)', function () {
    it('Favorite: add, list with status, edit, delete, clear_broken, replace_all, codes 800 and 801', async function () {
      seed(sim, { 'home/fav/a/': null, 'home/fav/b/': null, 'home/fav/gone/': null });
      const fav = (method, params = {}) => fileStation(sim, sid, 'Favorite', method, 2, params);
      assert.equal((await fav('add', { path: '"/home/fav/a"', name: '"A"' })).body.success, true);
      assert.equal((await fav('add', { path: '"/home/fav/gone"', name: '"Gone"' })).body.success, true);
      assert.equal((await fav('add', { path: '"/home/fav/b"', name: '"B"', index: '0' })).body.success, true);
      assert.equal((await fav('add', { path: '"/home/fav/a"', name: '"A2"' })).body.error.code, 800);
      assert.equal((await fav('add', { path: '"/home/fav/gone"', name: '"A"' })).body.error.code, 800);
      assert.equal((await fav('add', { path: '"/photo"', name: '"A"' })).body.error.code, 801);
      assert.equal((await fav('add', { path: '"/home/none"', name: '"N"' })).body.error.code, 408);
      fs.rmSync(path.join(sim.dataDir, 'home/fav/gone'), { recursive: true });

      const listed = (await fav('list', { additional: json(['real_path']) })).body.data;
      assert.equal(listed.total, 3);
      assert.deepEqual(
        listed.favorites.map((f) => [f.name, f.path, f.status, f.isdir]),
        [
          ['B', '/home/fav/b', 'valid', true],
          ['A', '/home/fav/a', 'valid', true],
          ['Gone', '/home/fav/gone', 'broken', false],
        ],
      );
      assert.equal(listed.favorites[0].additional.real_path, '/volume1/home/fav/b');
      const broken = (await fav('list', { status_filter: 'broken' })).body.data;
      assert.deepEqual(
        broken.favorites.map((f) => f.name),
        ['Gone'],
      );

      assert.equal((await fav('edit', { path: '"/home/fav/a"', name: '"Renamed"' })).body.success, true);
      assert.equal((await fav('clear_broken')).body.success, true);
      assert.equal((await fav('delete', { path: '"/home/fav/b"' })).body.success, true);
      assert.deepEqual(
        (await fav('list')).body.data.favorites.map((f) => f.name),
        ['Renamed'],
      );
      const replaced = await fav('replace_all', {
        path: json(['/photo', '/home/fav/b']),
        name: json(['Photos', 'Bee']),
      });
      assert.equal(replaced.body.success, true);
      assert.deepEqual(
        (await fav('list')).body.data.favorites.map((f) => `${f.name}=${f.path}`),
        ['Photos=/photo', 'Bee=/home/fav/b'],
      );
      assert.equal(
        (await fav('replace_all', { path: json(['/photo']), name: json([]) })).body.error.code,
        120,
      );
      const other = await login(sim, 'entry.cgi', 6);
      const otherList = await fileStation(sim, other, 'Favorite', 'list', 2);
      assert.equal(otherList.body.data.total, 2, 'favorites belong to the account, not to the session');
    });

    it('VirtualFolder: lists no mount points of a known type, 120 for an unknown one', async function () {
      const cifs = await fileStation(sim, sid, 'VirtualFolder', 'list', 2, { type: '"cifs"' });
      assert.deepEqual(cifs.body, { success: true, data: { folders: [], offset: 0, total: 0 } });
      const nfs = await fileStation(sim, sid, 'VirtualFolder', 'list', 2, { type: 'NFS' });
      assert.equal(nfs.body.success, true);
      const bad = await fileStation(sim, sid, 'VirtualFolder', 'list', 2, { type: 'smb' });
      assert.equal(bad.body.error.code, 120);
      const missing = await fileStation(sim, sid, 'VirtualFolder', 'list', 2);
      assert.equal(missing.body.error.code, 114);
    });

    it('CheckPermission write: success, or the code the write would meet (408, 411, 414)', async function () {
      seed(sim, { 'home/perm/there.txt': 'x' });
      const check = (params) => fileStation(sim, sid, 'CheckPermission', 'write', 3, params);
      const okNew = await check({ path: '"/home/perm"', filename: '"new.txt"', create_only: 'true' });
      assert.deepEqual(okNew.body, { success: true });
      assert.equal((await check({ path: '"/home/perm"', filename: '"there.txt"' })).body.error.code, 414);
      const overwrite = await check({ path: '"/home/perm"', filename: '"there.txt"', overwrite: 'true' });
      assert.equal(overwrite.body.success, true);
      assert.equal((await check({ path: '"/video"', filename: '"x.txt"' })).body.error.code, 411);
      assert.equal((await check({ path: '"/home/nope"', filename: '"x.txt"' })).body.error.code, 408);
      assert.equal((await check({ path: '"/home/perm"' })).body.error.code, 114);
    });

    it('Thumb get: a PNG whose size follows size and rotate; HTTP 404 for no image', async function () {
      seed(sim, { 'photo/cat.JPG': 'jpeg bytes', 'photo/notes.txt': 'text' });
      const thumb = (params) => fileStation(sim, sid, 'Thumb', 'get', 2, params);
      const small = await thumb({ path: '"/photo/cat.JPG"' });
      assert.equal(small.status, 200);
      assert.equal(small.headers.get('content-type'), 'image/png');
      assert.deepEqual(pngSize(small.bytes), [120, 90]);
      const large = await thumb({ path: '"/photo/cat.JPG"', size: '"large"', rotate: '1' });
      assert.deepEqual(pngSize(large.bytes), [600, 800]);
      const again = await thumb({ path: '"/photo/cat.JPG"' });
      assert.deepEqual(again.bytes, small.bytes, 'the same picture for the same file');
      for (const params of [
        { path: '"/photo/notes.txt"' },
        { path: '"/photo/none.jpg"' },
        { path: '"/photo"' },
        { path: '"/photo/cat.JPG"', size: '"huge"' },
      ]) {
        assert.equal((await thumb(params)).status, 404, json(params));
      }
    });
  });
});

describe('DSM simulator issue 7 on the dsm6 profile', function () {
  let sim;

  before(async function () {
    sim = await startSimulator({ profile: 'dsm6' });
  });

  after(async function () {
    await sim.close();
  });

  it('5. keeps 1800 for an upload without Content-Length (the File Station guide, DSM 5/6)', async function () {
    const sid = await login(sim);
    const answer = await chunkedUpload(sim, sid, '/home', 'chunked.txt', 'sent in chunks');
    assert.deepEqual(answer, { success: false, error: { code: 1800 } });
    assert.equal(fs.existsSync(path.join(sim.dataDir, 'home/chunked.txt')), false);
  });

  it('3. has no SYNO.API.Auth.UIConfig (not in the DSM 6.2.2 capture) and answers v6 logins without ik_message', async function () {
    const ui = await webapi(sim, 'entry.cgi/SYNO.API.Auth.UIConfig', { version: '1', method: 'get' });
    assert.equal(ui.body.error.code, 102);
    const { body } = await webapi(sim, 'auth.cgi', {
      api: 'SYNO.API.Auth',
      version: '6',
      method: 'login',
      account: 'demo',
      passwd: 'synology',
      format: 'sid',
    });
    assert.equal(body.data.ik_message, undefined);
  });
});

for (const { profile, cgis } of [
  { profile: 'dsm6', cgis: ['encryption.cgi'] },
  { profile: 'dsm7', cgis: ['entry.cgi', 'encryption.cgi'] },
]) {
  describe(`4. SYNO.API.Encryption on ${profile}`, function () {
    let sim;

    before(async function () {
      sim = await startSimulator({ profile });
    });

    after(async function () {
      await sim.close();
    });

    for (const cgi of cgis) {
      it(`gives the RSA key at ${cgi}; a login sealed as N4S4 seals it (RSA + AES) works`, async function () {
        const info = await encryptionInfo(sim, cgi);
        const authCgi = profile === 'dsm6' ? 'auth.cgi' : 'entry.cgi';
        const sealed = sealLikeN4S4(info, {
          account: 'demo',
          passwd: 'synology',
          session: 'webui',
          format: 'sid',
        });
        const { body } = await webapi(
          sim,
          authCgi,
          { api: 'SYNO.API.Auth', version: '6', method: 'login', ...sealed },
          { post: true },
        );
        assert.equal(body.success, true, json(body));
        const listed = await fileStation(sim, body.data.sid, 'List', 'list_share', 2);
        assert.equal(listed.body.success, true);
        const log = sim.control
          .requestLog()
          .filter((entry) => entry.api === 'SYNO.API.Auth')
          .at(-1);
        assert.equal(log.params.account, 'demo', 'the simulator read the sealed params');
        assert.equal(log.params[info.cipherkey], undefined);
      });
    }

    it('reads an RSA-only sealed login and refuses a sealed wrong password with 400', async function () {
      const info = await encryptionInfo(sim, cgis[0]);
      const authCgi = profile === 'dsm6' ? 'auth.cgi' : 'entry.cgi';
      const params = new URLSearchParams({ account: 'demo', passwd: 'synology', format: 'sid' });
      params.set(info.ciphertoken, String(info.server_time));
      const rsaOnly = crypto
        .publicEncrypt(
          { key: publicKeyOf(info), padding: crypto.constants.RSA_PKCS1_PADDING },
          Buffer.from(params.toString()),
        )
        .toString('base64');
      const ok = await webapi(
        sim,
        authCgi,
        { api: 'SYNO.API.Auth', version: '6', method: 'login', [info.cipherkey]: rsaOnly },
        { post: true },
      );
      assert.equal(ok.body.success, true, json(ok.body));
      const wrong = sealLikeN4S4(info, { account: 'demo', passwd: 'nope', format: 'sid' });
      const refused = await webapi(
        sim,
        authCgi,
        { api: 'SYNO.API.Auth', version: '6', method: 'login', ...wrong },
        { post: true },
      );
      assert.deepEqual(refused.body, { success: false, error: { code: 400 } });
    });
  });
}

async function encryptionInfo(sim, cgi) {
  // N4S4/synology-api auth.py _get_enc_info: getinfo, version 1, format=module, at encryption.cgi.
  const { body } = await webapi(sim, cgi, {
    api: 'SYNO.API.Encryption',
    version: '1',
    method: 'getinfo',
    format: 'module',
  });
  assert.equal(body.success, true, json(body));
  const info = body.data;
  assert.deepEqual(Object.keys(info).sort(), ['cipherkey', 'ciphertoken', 'public_key', 'server_time']);
  assert.equal(info.cipherkey, '__cIpHeRtExT');
  assert.match(info.public_key, /^[0-9a-f]{1024}$/, 'a 4096-bit modulus in hex');
  assert.ok(Math.abs(info.server_time - Date.now() / 1000) < 60);
  return info;
}

function publicKeyOf(info) {
  const n = Buffer.from(info.public_key, 'hex').toString('base64url');
  return crypto.createPublicKey({ key: { kty: 'RSA', n, e: 'AQAB' }, format: 'jwk' });
}

/**
 * What N4S4/synology-api's encrypt_params sends: a random 501-character passphrase RSA-encrypted (PKCS#1 v1.5,
 * exponent 10001), the urlencoded params plus the token AES-256-CBC encrypted in OpenSSL's salted format.
 */
function sealLikeN4S4(info, params) {
  const passphrase = Buffer.from(crypto.randomBytes(501).toString('base64').slice(0, 501));
  const text = new URLSearchParams({ ...params, [info.ciphertoken]: String(info.server_time) }).toString();
  const salt = crypto.randomBytes(8);
  let derived = Buffer.alloc(0);
  let block = Buffer.alloc(0);
  while (derived.length < 48) {
    block = crypto
      .createHash('md5')
      .update(Buffer.concat([block, passphrase, salt]))
      .digest();
    derived = Buffer.concat([derived, block]);
  }
  const cipher = crypto.createCipheriv('aes-256-cbc', derived.subarray(0, 32), derived.subarray(32, 48));
  const aes = Buffer.concat([Buffer.from('Salted__'), salt, cipher.update(text), cipher.final()]);
  const rsa = crypto.publicEncrypt(
    { key: publicKeyOf(info), padding: crypto.constants.RSA_PKCS1_PADDING },
    passphrase,
  );
  return { [info.cipherkey]: json({ rsa: rsa.toString('base64'), aes: aes.toString('base64') }) };
}

/** A multipart upload sent with Transfer-Encoding: chunked (no Content-Length), as aiohttp sends a stream. */
function chunkedUpload(sim, sid, folder, name, content) {
  const boundary = `----fidelity${crypto.randomBytes(6).toString('hex')}`;
  const url = new URL('/webapi/entry.cgi', sim.url);
  url.search = new URLSearchParams({
    api: 'SYNO.FileStation.Upload',
    version: '2',
    method: 'upload',
    _sid: sid,
  }).toString();
  const parts = [
    `--${boundary}\r\nContent-Disposition: form-data; name="path"\r\n\r\n${folder}\r\n`,
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\n`,
    'Content-Type: application/octet-stream\r\n\r\n',
    content,
    `\r\n--${boundary}--\r\n`,
  ];
  return new Promise((resolve, reject) => {
    const req = http.request(url, {
      method: 'POST',
      headers: {
        'Content-Type': `multipart/form-data; boundary=${boundary}`,
        'Transfer-Encoding': 'chunked',
      },
    });
    req.on('response', (res) => {
      const chunks = [];
      res.on('data', (chunk) => chunks.push(chunk));
      res.on('end', () => resolve(JSON.parse(Buffer.concat(chunks).toString('utf8'))));
    });
    req.on('error', reject);
    for (const part of parts) req.write(part);
    req.end();
  });
}

/** Width and height from a PNG's IHDR, after checking the signature. */
function pngSize(bytes) {
  assert.deepEqual([...bytes.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  assert.equal(bytes.subarray(12, 16).toString('latin1'), 'IHDR');
  return [bytes.readUInt32BE(16), bytes.readUInt32BE(20)];
}
