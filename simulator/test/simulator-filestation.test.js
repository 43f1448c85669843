'use strict';

const assert = require('node:assert/strict');
const crypto = require('node:crypto');
const fs = require('node:fs');
const http = require('node:http');
const path = require('node:path');
const zipjs = require('@zip.js/zip.js');
const { unzipSync } = require('fflate');
const { startSimulator } = require('..');

const LIST_CAPTURE = require('./fixtures/captures/dsm_7__file_station__const_7_file_station.json');
const SHARING_LIST_SCHEMA = require('./fixtures/captures/SYNO.FileStation.Sharing-list.json');
const TASK_LIST_SCHEMA = require('./fixtures/captures/SYNO.FileStation.BackgroundTask-list.json');
const { demoSid: login } = require('./support/login');

const VERSIONS = {
  'SYNO.FileStation.List': 2,
  'SYNO.FileStation.Search': 2,
  'SYNO.FileStation.DirSize': 2,
  'SYNO.FileStation.MD5': 2,
  'SYNO.FileStation.Upload': 2,
  'SYNO.FileStation.Download': 2,
  'SYNO.FileStation.Sharing': 3,
  'SYNO.FileStation.CreateFolder': 2,
  'SYNO.FileStation.Rename': 2,
  'SYNO.FileStation.CopyMove': 3,
  'SYNO.FileStation.Delete': 2,
  'SYNO.FileStation.Extract': 2,
  'SYNO.FileStation.Compress': 3,
  'SYNO.FileStation.BackgroundTask': 3,
};

const ODD_NAMES = [
  'a,b.txt',
  'quote".txt',
  'back\\slash.txt',
  '[x].txt',
  'spaced name.txt',
  'Grüße 日本.txt',
];

const json = (value) => JSON.stringify(value);

zipjs.configure({ useWebWorkers: false });

/** A zip made elsewhere (as 7-Zip or WinZip would make it); a null content is a folder. */
async function makeZip(files, options) {
  const writer = new zipjs.ZipWriter(new zipjs.Uint8ArrayWriter(), options);
  for (const [name, content] of Object.entries(files)) {
    await writer.add(name, content === null ? null : new zipjs.TextReader(content), {
      directory: content === null,
    });
  }
  return Buffer.from(await writer.close());
}

async function zipEntries(bytes) {
  return new zipjs.ZipReader(new zipjs.Uint8ArrayReader(new Uint8Array(bytes))).getEntries();
}

/** A GET to entry.cgi over real HTTP (DSM JSON answer expected). */
async function call(sim, sid, api, method, params = {}, { version, headers = {} } = {}) {
  const url = new URL('/webapi/entry.cgi', sim.url);
  url.search = new URLSearchParams({
    api: `SYNO.FileStation.${api}`,
    version: String(version ?? VERSIONS[`SYNO.FileStation.${api}`]),
    method,
    ...params,
    _sid: sid,
  }).toString();
  const response = await fetch(url, { headers });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: JSON.parse(text) };
}

function ok(response) {
  assert.equal(response.body.success, true, JSON.stringify(response.body));
  return response.body.data;
}

function failure(response) {
  assert.equal(response.body.success, false, JSON.stringify(response.body));
  return response.body.error;
}

/** Polls a task's status until it is finished or failed; answers every status seen. */
async function untilFinished(sim, sid, api, taskid, { interval = 25, timeout = 10000 } = {}) {
  const seen = [];
  const deadline = Date.now() + timeout;
  for (;;) {
    const response = await call(sim, sid, api, api === 'Search' ? 'list' : 'status', {
      taskid: json(taskid),
      limit: -1,
    });
    seen.push(response.body);
    if (!response.body.success || response.body.data.finished) return seen;
    if (Date.now() > deadline) throw new Error(`${api} task ${taskid} did not finish`);
    await new Promise((resolve) => setTimeout(resolve, interval));
  }
}

/** Quoted-string escaping of a multipart filename: `\` and `"` are backslash-escaped, UTF-8 stays raw. */
function quotedFilename(name) {
  return `filename="${name.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

function multipartHead(boundary, fields, disposition) {
  let text = '';
  for (const [name, value] of Object.entries(fields)) {
    text += `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`;
  }
  text += `--${boundary}\r\nContent-Disposition: form-data; name="file"; ${disposition}\r\n`;
  text += 'Content-Type: application/octet-stream\r\n\r\n';
  return Buffer.from(text, 'utf8');
}

/**
 * A multipart upload over node:http, as DSM wants it: api/version/method/_sid in the query string, text
 * fields first, the file part last. Answers { status, headers, body }.
 */
function upload(sim, options) {
  const {
    sid,
    fields = {},
    name,
    content = Buffer.from(''),
    disposition = quotedFilename(name),
    version = 2,
    chunked = false,
    query = {},
  } = options;
  const boundary = `----synosim${crypto.randomBytes(8).toString('hex')}`;
  const body = Buffer.concat([
    multipartHead(boundary, fields, disposition),
    content,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  const url = new URL('/webapi/entry.cgi', sim.url);
  url.search = new URLSearchParams({
    api: 'SYNO.FileStation.Upload',
    version: String(version),
    method: 'upload',
    ...(sid ? { _sid: sid } : {}),
    ...query,
  }).toString();
  const headers = { 'Content-Type': `multipart/form-data; boundary=${boundary}` };
  if (!chunked) headers['Content-Length'] = body.length;
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: 'POST', headers }, (res) => {
      const chunks = [];
      res.on('data', (chunk) => chunks.push(chunk));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        resolve({ status: res.statusCode, headers: res.headers, body: JSON.parse(text) });
      });
    });
    req.on('error', reject);
    if (chunked) {
      req.write(body.subarray(0, 10));
      req.end(body.subarray(10));
    } else {
      req.end(body);
    }
  });
}

async function download(sim, sid, params, headers = {}) {
  const url = new URL('/webapi/entry.cgi', sim.url);
  url.search = new URLSearchParams({
    api: 'SYNO.FileStation.Download',
    version: '2',
    method: 'download',
    _sid: sid,
    ...params,
  }).toString();
  const response = await fetch(url, { headers });
  return {
    status: response.status,
    headers: response.headers,
    bytes: Buffer.from(await response.arrayBuffer()),
  };
}

function attachmentName(headers) {
  const match = /filename\*=UTF-8''([^;]+)/.exec(headers.get('content-disposition') ?? '');
  return match ? decodeURIComponent(match[1]) : undefined;
}

function md5(data) {
  return crypto.createHash('md5').update(data).digest('hex');
}

function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

describe('DSM simulator File Station', function () {
  let sim;
  let sid;
  let data;

  /** Writes files under the data dir: { 'home/a.txt': 'text', 'home/dir/': null } */
  function seed(files) {
    for (const [relative, content] of Object.entries(files)) {
      const target = path.join(data, relative);
      if (content === null) fs.mkdirSync(target, { recursive: true });
      else {
        fs.mkdirSync(path.dirname(target), { recursive: true });
        fs.writeFileSync(target, content);
      }
    }
  }

  const onDisk = (relative) => path.join(data, relative);
  const read = (relative) => fs.readFileSync(onDisk(relative), 'utf8');
  const exists = (relative) => fs.existsSync(onDisk(relative));

  beforeEach(async function () {
    sim = await startSimulator({ readOnlyShares: ['photo'], taskDurationMs: 150 });
    sid = await login(sim);
    data = sim.dataDir;
  });

  afterEach(async function () {
    await sim.close();
  });

  describe('parameters', function () {
    it('takes path lists as a JSON array, a JSON string, a bare path or an escaped comma list', async function () {
      seed({ 'home/a,b.txt': 'x', 'home/back\\slash.txt': 'y', 'home/plain.txt': 'z' });
      const names = async (pathParam) =>
        ok(await call(sim, sid, 'List', 'getinfo', { path: pathParam })).files.map((file) => file.name);
      assert.deepEqual(await names(json(['/home/a,b.txt', '/home/plain.txt'])), ['a,b.txt', 'plain.txt']);
      assert.deepEqual(await names(json('/home/a,b.txt')), ['a,b.txt']);
      assert.deepEqual(await names('/home/plain.txt'), ['plain.txt']);
      assert.deepEqual(await names('/home/a\\,b.txt,/home/back\\\\slash.txt,/home/plain.txt'), [
        'a,b.txt',
        'back\\slash.txt',
        'plain.txt',
      ]);
    });

    it('accepts booleans as true/false, "true"/"false" and JSON, and 120 for anything else', async function () {
      seed({ 'home/dir/': null, 'home/f.txt': 'x' });
      for (const onlywritable of ['true', '"true"']) {
        const { shares } = ok(await call(sim, sid, 'List', 'list_share', { onlywritable }));
        assert.ok(!shares.some((share) => share.name === 'photo'));
      }
      assert.equal(failure(await call(sim, sid, 'List', 'list_share', { onlywritable: 'maybe' })).code, 120);
    });
  });

  describe('SYNO.FileStation.List', function () {
    it('list_share answers the captured DSM 7 shape with additional, RO shares marked', async function () {
      const captured = LIST_CAPTURE.DSM_7_FILE_STATION_FOLDERS.data.shares[0];
      const { shares, total, offset } = ok(
        await call(sim, sid, 'List', 'list_share', {
          additional: json([
            'real_path',
            'owner',
            'time',
            'perm',
            'mount_point_type',
            'sync_share',
            'volume_status',
          ]),
        }),
      );
      assert.equal(total, 4);
      assert.equal(offset, 0);
      assert.deepEqual(Object.keys(shares[0]), Object.keys(captured));
      assert.deepEqual(Object.keys(shares[0].additional), Object.keys(captured.additional));
      assert.deepEqual(
        Object.keys(shares[0].additional.perm).sort(),
        Object.keys(captured.additional.perm).sort(),
      );
      assert.deepEqual(Object.keys(shares[0].additional.time), Object.keys(captured.additional.time));
      const photo = shares.find((share) => share.name === 'photo');
      assert.equal(photo.additional.perm.share_right, 'RO');
      assert.equal(photo.additional.perm.is_share_readonly, true);
      assert.equal(photo.additional.real_path, '/volume1/photo');
      assert.equal(shares.find((share) => share.name === 'home').additional.perm.share_right, 'RW');
      assert.equal(photo.additional.owner.user, 'demo');
      assert.equal(typeof photo.additional.volume_status.freespace, 'number');
    });

    it('list_share sorts, pages and filters writable shares', async function () {
      const desc = ok(await call(sim, sid, 'List', 'list_share', { sort_direction: 'desc', limit: 2 }));
      assert.deepEqual(
        desc.shares.map((share) => share.name),
        ['video', 'photo'],
      );
      const writable = ok(await call(sim, sid, 'List', 'list_share', { onlywritable: true }));
      assert.deepEqual(
        writable.shares.map((share) => share.name),
        ['downloads', 'home', 'video'],
      );
      assert.equal(writable.total, 3);
    });

    it('list answers the captured shape with every additional field', async function () {
      seed({ 'home/docs/': null, 'home/report.pdf': 'pdf!' });
      const captured = LIST_CAPTURE.DSM_7_FILE_STATION_FILES.data.files[1];
      const listing = ok(
        await call(sim, sid, 'List', 'list', {
          folder_path: json('/home'),
          additional: json(['real_path', 'size', 'owner', 'time', 'perm', 'mount_point_type', 'type']),
        }),
      );
      assert.deepEqual(Object.keys(listing), ['files', 'offset', 'total']);
      assert.equal(listing.total, 3);
      const [folder, ...files] = listing.files;
      assert.equal(folder.name, 'docs');
      assert.equal(folder.isdir, true);
      assert.equal(folder.additional.type, '');
      const report = files.find((file) => file.name === 'report.pdf');
      assert.deepEqual(Object.keys(report), Object.keys(captured));
      assert.deepEqual(Object.keys(report.additional), Object.keys(captured.additional));
      assert.deepEqual(Object.keys(report.additional.perm), Object.keys(captured.additional.perm));
      assert.deepEqual(Object.keys(report.additional.time), Object.keys(captured.additional.time));
      assert.equal(report.path, '/home/report.pdf');
      assert.equal(report.additional.size, 4);
      assert.equal(report.additional.type, 'PDF');
      assert.equal(report.additional.real_path, '/volume1/home/report.pdf');
      const mtime = Math.floor(fs.statSync(onDisk('home/report.pdf')).mtimeMs / 1000);
      assert.equal(report.additional.time.mtime, mtime);
      assert.deepEqual(
        Object.keys(ok(await call(sim, sid, 'List', 'list', { folder_path: '/home' })).files[0]),
        ['isdir', 'name', 'path'],
      );
    });

    it('list filters by glob patterns and filetype, sorts and pages', async function () {
      seed({
        'video/t/sub/': null,
        'video/t/b.txt': '22',
        'video/t/a.TXT': '1',
        'video/t/c.md': '333',
        'video/t/notes.log': '4444',
      });
      const names = async (params) =>
        ok(await call(sim, sid, 'List', 'list', { folder_path: '/video/t', ...params })).files.map(
          (f) => f.name,
        );
      assert.deepEqual(await names({ pattern: '*.txt' }), ['a.TXT', 'b.txt']);
      assert.deepEqual(await names({ pattern: json('*.md,*.log') }), ['c.md', 'notes.log']);
      assert.deepEqual(await names({ pattern: 'ote' }), ['notes.log']);
      assert.deepEqual(await names({ pattern: '?.md' }), ['c.md']);
      assert.deepEqual(await names({ filetype: 'dir' }), ['sub']);
      assert.deepEqual(await names({ filetype: json('file'), sort_by: 'size', sort_direction: 'desc' }), [
        'notes.log',
        'c.md',
        'b.txt',
        'a.TXT',
      ]);
      assert.deepEqual(await names({ sort_by: 'type', filetype: 'file' }), [
        'notes.log',
        'c.md',
        'a.TXT',
        'b.txt',
      ]);
      const page = ok(await call(sim, sid, 'List', 'list', { folder_path: '/video/t', offset: 1, limit: 2 }));
      assert.equal(page.total, 5);
      assert.equal(page.offset, 1);
      assert.deepEqual(
        page.files.map((f) => f.name),
        ['a.TXT', 'b.txt'],
      );
      assert.equal(
        failure(await call(sim, sid, 'List', 'list', { folder_path: '/video/t', sort_by: 'hue' })).code,
        120,
      );
    });

    it('list answers 408 for a missing folder or share, 418 for .. and 114 without folder_path', async function () {
      assert.equal(failure(await call(sim, sid, 'List', 'list', { folder_path: '/home/nope' })).code, 408);
      assert.equal(failure(await call(sim, sid, 'List', 'list', { folder_path: '/noshare' })).code, 408);
      assert.equal(
        failure(await call(sim, sid, 'List', 'list', { folder_path: '/home/README.txt' })).code,
        408,
      );
      assert.equal(failure(await call(sim, sid, 'List', 'list', { folder_path: '/home/../..' })).code, 418);
      assert.equal(failure(await call(sim, sid, 'List', 'list', { folder_path: 'home' })).code, 418);
      assert.equal(failure(await call(sim, sid, 'List', 'list', {})).code, 114);
    });

    it('getinfo answers each path, a missing one as {code: 408} in its place', async function () {
      const { files } = ok(
        await call(sim, sid, 'List', 'getinfo', {
          path: json(['/home/README.txt', '/home/missing.txt', '/home']),
          additional: json(['size']),
        }),
      );
      assert.equal(files.length, 3);
      assert.equal(files[0].name, 'README.txt');
      assert.equal(files[0].additional.size, fs.statSync(onDisk('home/README.txt')).size);
      assert.deepEqual(files[1], { code: 408, name: 'missing.txt', path: '/home/missing.txt' });
      assert.equal(files[2].isdir, true);
    });
  });

  describe('SYNO.FileStation.Upload', function () {
    it('stores the file part, answering JSON as text/plain with blSkip', async function () {
      const response = await upload(sim, {
        sid,
        fields: { path: '/home/in', create_parents: 'true', mtime: String(Date.UTC(2020, 0, 2)) },
        name: 'hello.txt',
        content: Buffer.from('hello world'),
      });
      assert.equal(response.status, 200);
      assert.match(response.headers['content-type'], /^text\/plain/);
      assert.deepEqual(response.body, {
        success: true,
        data: { blSkip: false, file: 'hello.txt', pid: response.body.data.pid, progress: 1 },
      });
      assert.equal(read('home/in/hello.txt'), 'hello world');
      assert.equal(fs.statSync(onDisk('home/in/hello.txt')).mtimeMs, Date.UTC(2020, 0, 2));
    });

    it('takes JSON-encoded fields and a filename* (RFC 5987) name', async function () {
      const response = await upload(sim, {
        sid,
        fields: { path: json('/home'), overwrite: 'true' },
        name: 'ignored',
        disposition: `filename*=UTF-8''${encodeURIComponent('Grüße 日本.txt')}`,
        content: Buffer.from('grüße'),
      });
      assert.equal(ok(response).file, 'Grüße 日本.txt');
      assert.equal(read('home/Grüße 日本.txt'), 'grüße');
    });

    it('decodes %22 in a filename as browsers and fetch FormData send it', async function () {
      const form = new FormData();
      form.append('path', '/home');
      form.append('file', new Blob(['quoted']), 'say "hi".txt');
      const url = new URL('/webapi/entry.cgi', sim.url);
      url.search = `api=SYNO.FileStation.Upload&version=2&method=upload&_sid=${sid}`;
      const response = await fetch(url, { method: 'POST', body: form });
      assert.equal((await response.json()).data.file, 'say "hi".txt');
      assert.equal(read('home/say "hi".txt'), 'quoted');
    });

    it('overwrite true replaces, false skips, absent answers 1805 (v2); v3 takes overwrite/skip', async function () {
      seed({ 'home/f.txt': 'old' });
      const put = (fields, version = 2) =>
        upload(sim, {
          sid,
          version,
          fields: { path: '/home', ...fields },
          name: 'f.txt',
          content: Buffer.from('new'),
        });
      assert.equal(failure(await put({})).code, 1805);
      assert.equal(read('home/f.txt'), 'old');
      assert.equal(ok(await put({ overwrite: 'false' })).blSkip, true);
      assert.equal(read('home/f.txt'), 'old');
      assert.equal(ok(await put({ overwrite: 'true' })).blSkip, false);
      assert.equal(read('home/f.txt'), 'new');
      seed({ 'home/f.txt': 'old' });
      assert.equal(ok(await put({ overwrite: 'skip' }, 3)).blSkip, true);
      assert.equal(read('home/f.txt'), 'old');
      assert.equal(ok(await put({ overwrite: 'overwrite' }, 3)).blSkip, false);
      assert.equal(read('home/f.txt'), 'new');
      assert.equal(failure(await put({}, 3)).code, 1805);
      assert.equal(failure(await put({ overwrite: 'sometimes' })).code, 120);
    });

    it('refuses a missing folder without create_parents (408), bad names (418) and read-only shares (411)', async function () {
      const put = (fields, name = 'x.txt') => upload(sim, { sid, fields, name, content: Buffer.from('x') });
      assert.equal(failure(await put({ path: '/home/none/deeper' })).code, 408);
      assert.equal(failure(await put({ path: '/nowhere', create_parents: 'true' })).code, 408);
      assert.equal(failure(await put({ path: '/home' }, 'a/b.txt')).code, 418);
      assert.equal(failure(await put({ path: '/home' }, 'a:b.txt')).code, 418);
      assert.equal(failure(await put({ path: '/photo', overwrite: 'true' }, 'README.txt')).code, 411);
      assert.equal(read('photo/README.txt'), 'Shared folder "photo" of the synology-dsm-sim demo NAS.\n');
      assert.equal(failure(await put({})).code, 114);
      assert.equal(exists('home/none'), false);
    });

    it('answers 119 with _sid only in the body (chunked uploads: simulator-fidelity.test.js)', async function () {
      const inBody = await upload(sim, { fields: { path: '/home', _sid: sid }, name: 'b.txt' });
      assert.equal(failure(inBody).code, 119);
      assert.equal(exists('home/b.txt'), false);
    });

    it('answers 1802 without a file part and ignores fields after the file part', async function () {
      seed({ 'home/late.txt': 'old' });
      const post = async (parts) => {
        const boundary = 'xyz';
        const body = parts.map((part) => `--${boundary}\r\n${part}\r\n`).join('') + `--${boundary}--\r\n`;
        const url = new URL('/webapi/entry.cgi', sim.url);
        url.search = `api=SYNO.FileStation.Upload&version=2&method=upload&_sid=${sid}`;
        const response = await fetch(url, {
          method: 'POST',
          headers: { 'Content-Type': `multipart/form-data; boundary=${boundary}` },
          body,
        });
        return (await response.json()).error?.code;
      };
      const field = (name, value) => `Content-Disposition: form-data; name="${name}"\r\n\r\n${value}`;
      const file = 'Content-Disposition: form-data; name="file"; filename="late.txt"\r\n\r\nnew';
      assert.equal(await post([field('path', '/home')]), 1802);
      assert.equal(await post([field('path', '/home'), file, field('overwrite', 'true')]), 1805);
      assert.equal(read('home/late.txt'), 'old');
    });

    it('leaves no partial file when the client disconnects half way', async function () {
      const before = fs.readdirSync(onDisk('home')).sort();
      const boundary = 'cut';
      const head = multipartHead(boundary, { path: '/home' }, quotedFilename('big.bin'));
      const url = new URL('/webapi/entry.cgi', sim.url);
      url.search = `api=SYNO.FileStation.Upload&version=2&method=upload&_sid=${sid}`;
      const req = http.request(url, {
        method: 'POST',
        headers: {
          'Content-Type': `multipart/form-data; boundary=${boundary}`,
          'Content-Length': head.length + 8 * 1024 * 1024 + 20,
        },
      });
      req.on('error', () => undefined);
      req.write(head);
      req.write(Buffer.alloc(1024 * 1024, 7));
      const deadline = Date.now() + 5000;
      while (fs.readdirSync(onDisk('home')).length === before.length) {
        assert.ok(Date.now() < deadline, 'the upload never reached the disk');
        await sleep(10);
      }
      req.destroy();
      while (fs.readdirSync(onDisk('home')).length !== before.length) {
        assert.ok(Date.now() < deadline, 'the partial upload was not removed');
        await sleep(10);
      }
      await sleep(100);
      assert.deepEqual(fs.readdirSync(onDisk('home')).sort(), before);
    });
  });

  describe('odd file names', function () {
    it('round-trip through upload, list, download, rename, copy and delete', async function () {
      seed({ 'home/odd/': null, 'home/copies/': null });
      for (const name of ODD_NAMES) {
        const content = Buffer.from(`content of ${name}`);
        assert.equal(ok(await upload(sim, { sid, fields: { path: '/home/odd' }, name, content })).file, name);
      }
      const listed = ok(await call(sim, sid, 'List', 'list', { folder_path: json('/home/odd') })).files;
      assert.deepEqual(listed.map((file) => file.name).sort(), [...ODD_NAMES].sort());
      for (const file of listed) assert.equal(file.path, `/home/odd/${file.name}`);

      for (const name of ODD_NAMES) {
        const got = await download(sim, sid, { path: json(`/home/odd/${name}`), mode: 'download' });
        assert.equal(got.status, 200);
        assert.equal(got.bytes.toString(), `content of ${name}`);
        assert.equal(attachmentName(got.headers), name);
      }

      const renamed = ok(
        await call(sim, sid, 'Rename', 'rename', {
          path: json(ODD_NAMES.map((name) => `/home/odd/${name}`)),
          name: json(ODD_NAMES.map((name) => `re ${name}`)),
        }),
      ).files;
      assert.deepEqual(
        renamed.map((file) => file.name),
        ODD_NAMES.map((name) => `re ${name}`),
      );

      const copy = ok(
        await call(sim, sid, 'CopyMove', 'start', {
          path: json(ODD_NAMES.map((name) => `/home/odd/re ${name}`)),
          dest_folder_path: json('/home/copies'),
        }),
      );
      const copied = await untilFinished(sim, sid, 'CopyMove', copy.taskid);
      assert.equal(copied.at(-1).success, true, JSON.stringify(copied.at(-1)));
      for (const name of ODD_NAMES) assert.equal(read(`home/copies/re ${name}`), `content of ${name}`);

      ok(
        await call(sim, sid, 'Delete', 'delete', {
          path: json(ODD_NAMES.map((name) => `/home/odd/re ${name}`)),
        }),
      );
      assert.deepEqual(fs.readdirSync(onDisk('home/odd')), []);
      assert.equal(fs.readdirSync(onDisk('home/copies')).length, ODD_NAMES.length);
    });
  });

  describe('SYNO.FileStation.Download', function () {
    it('sends one file with its type, length and attachment name', async function () {
      seed({ 'home/pic.png': Buffer.from([137, 80, 78, 71]), 'home/data.bin': 'abc' });
      const open = await download(sim, sid, { path: '/home/pic.png' });
      assert.equal(open.status, 200);
      assert.equal(open.headers.get('content-type'), 'image/png');
      assert.equal(open.headers.get('content-length'), '4');
      assert.equal(open.headers.get('content-disposition'), null);
      assert.deepEqual([...open.bytes], [137, 80, 78, 71]);
      const attachment = await download(sim, sid, { path: json(['/home/data.bin']), mode: json('download') });
      assert.equal(attachment.headers.get('content-type'), 'application/octet-stream');
      assert.match(attachment.headers.get('content-disposition'), /^attachment; filename="data.bin"/);
      assert.equal(attachment.bytes.toString(), 'abc');
    });

    it('serves Range requests with 206 and answers 416 out of range', async function () {
      seed({ 'home/digits.txt': '0123456789' });
      const part = await download(sim, sid, { path: '/home/digits.txt' }, { Range: 'bytes=2-5' });
      assert.equal(part.status, 206);
      assert.equal(part.headers.get('content-range'), 'bytes 2-5/10');
      assert.equal(part.bytes.toString(), '2345');
      const tail = await download(sim, sid, { path: '/home/digits.txt' }, { Range: 'bytes=-3' });
      assert.equal(tail.bytes.toString(), '789');
      const open = await download(sim, sid, { path: '/home/digits.txt' }, { Range: 'bytes=7-' });
      assert.equal(open.bytes.toString(), '789');
      const beyond = await download(sim, sid, { path: '/home/digits.txt' }, { Range: 'bytes=10-20' });
      assert.equal(beyond.status, 416);
      assert.equal(beyond.headers.get('content-range'), 'bytes */10');
    });

    it('zips several files or a folder', async function () {
      seed({ 'home/z/a.txt': 'A', 'home/z/sub/b.txt': 'BB', 'home/z/empty/': null, 'home/c.txt': 'C' });
      const several = await download(sim, sid, {
        path: json(['/home/z/a.txt', '/home/c.txt']),
        mode: 'download',
      });
      assert.equal(several.headers.get('content-type'), 'application/zip');
      assert.equal(attachmentName(several.headers), 'download.zip');
      const files = unzipSync(new Uint8Array(several.bytes));
      assert.deepEqual(Object.keys(files).sort(), ['a.txt', 'c.txt']);
      assert.equal(Buffer.from(files['a.txt']).toString(), 'A');
      const folder = await download(sim, sid, { path: '/home/z', mode: 'download' });
      assert.equal(attachmentName(folder.headers), 'z.zip');
      const tree = unzipSync(new Uint8Array(folder.bytes));
      assert.deepEqual(Object.keys(tree).sort(), ['z/', 'z/a.txt', 'z/empty/', 'z/sub/', 'z/sub/b.txt']);
      assert.equal(Buffer.from(tree['z/sub/b.txt']).toString(), 'BB');
    });

    it('answers a missing file with DSM JSON 408 (HTTP 404 in mode open, as the guide notes)', async function () {
      const missing = await download(sim, sid, { path: '/home/none.txt', mode: 'download' });
      assert.equal(missing.status, 200);
      assert.deepEqual(JSON.parse(missing.bytes.toString()), { success: false, error: { code: 408 } });
      const opened = await download(sim, sid, { path: json(['/home/README.txt', '/home/none.txt']) });
      assert.equal(opened.status, 404);
      assert.deepEqual(JSON.parse(opened.bytes.toString()), { success: false, error: { code: 408 } });
      const noSession = await download(sim, 'nope', { path: '/home/README.txt' });
      assert.deepEqual(JSON.parse(noSession.bytes.toString()), { success: false, error: { code: 119 } });
    });
  });

  describe('SYNO.FileStation.CreateFolder and Rename', function () {
    it('creates folders, answering their file objects', async function () {
      const { folders } = ok(
        await call(sim, sid, 'CreateFolder', 'create', {
          folder_path: json(['/home', '/video']),
          name: json(['new one', 'other']),
          additional: json(['real_path']),
        }),
      );
      assert.deepEqual(folders, [
        {
          additional: { real_path: '/volume1/home/new one' },
          isdir: true,
          name: 'new one',
          path: '/home/new one',
        },
        {
          additional: { real_path: '/volume1/video/other' },
          isdir: true,
          name: 'other',
          path: '/video/other',
        },
      ]);
      assert.ok(fs.statSync(onDisk('home/new one')).isDirectory());
    });

    it('answers 1100 with 414 for an existing folder unless force_parent, which also creates parents', async function () {
      seed({ 'home/there/': null });
      const create = (params) => call(sim, sid, 'CreateFolder', 'create', params);
      assert.deepEqual(failure(await create({ folder_path: '/home', name: 'there' })), {
        code: 1100,
        errors: [{ code: 414, path: '/home/there' }],
      });
      ok(await create({ folder_path: '/home', name: 'there', force_parent: 'true' }));
      assert.deepEqual(failure(await create({ folder_path: '/home/a/b', name: 'c' })), {
        code: 1100,
        errors: [{ code: 408, path: '/home/a/b' }],
      });
      ok(await create({ folder_path: '/home/a/b', name: 'c', force_parent: true }));
      assert.ok(fs.statSync(onDisk('home/a/b/c')).isDirectory());
    });

    it('answers 1100 with 418 for an illegal name, as the guide example shows, and creates nothing', async function () {
      const error = failure(
        await call(sim, sid, 'CreateFolder', 'create', {
          folder_path: json(['/home', '/home']),
          name: json(['ok', ':']),
        }),
      );
      assert.deepEqual(error, { code: 1100, errors: [{ code: 418, path: '/home/:' }] });
      assert.equal(exists('home/ok'), false);
    });

    it('renames, and answers 1200 with 414 when the name is taken', async function () {
      seed({ 'home/one.txt': '1', 'home/two.txt': '2' });
      const { files } = ok(
        await call(sim, sid, 'Rename', 'rename', { path: '/home/one.txt', name: 'uno.txt' }),
      );
      assert.deepEqual(files, [{ isdir: false, name: 'uno.txt', path: '/home/uno.txt' }]);
      assert.equal(read('home/uno.txt'), '1');
      assert.deepEqual(
        failure(await call(sim, sid, 'Rename', 'rename', { path: '/home/uno.txt', name: 'two.txt' })),
        {
          code: 1200,
          errors: [{ code: 414, path: '/home/two.txt' }],
        },
      );
      assert.equal(
        failure(await call(sim, sid, 'Rename', 'rename', { path: '/home/none', name: 'x' })).code,
        1200,
      );
      assert.equal(read('home/two.txt'), '2');
    });
  });

  describe('read-only shared folders', function () {
    it('refuse every write with 411 and keep their files', async function () {
      seed({ 'photo/keep.jpg': 'jpg', 'home/src.txt': 'src' });
      const errorOf = async (api, method, params) => failure(await call(sim, sid, api, method, params));
      assert.deepEqual(await errorOf('Delete', 'delete', { path: '/photo/keep.jpg' }), {
        code: 900,
        errors: [{ code: 411, path: '/photo/keep.jpg' }],
      });
      assert.deepEqual(await errorOf('CreateFolder', 'create', { folder_path: '/photo', name: 'x' }), {
        code: 1100,
        errors: [{ code: 411, path: '/photo/x' }],
      });
      assert.deepEqual(await errorOf('Rename', 'rename', { path: '/photo/keep.jpg', name: 'y.jpg' }), {
        code: 1200,
        errors: [{ code: 411, path: '/photo/keep.jpg' }],
      });
      const del = ok(await call(sim, sid, 'Delete', 'start', { path: json(['/photo/keep.jpg']) }));
      assert.deepEqual((await untilFinished(sim, sid, 'Delete', del.taskid)).at(-1), {
        success: false,
        error: { code: 900, errors: [{ code: 411, path: '/photo/keep.jpg' }] },
      });
      const copy = ok(
        await call(sim, sid, 'CopyMove', 'start', { path: '/home/src.txt', dest_folder_path: '/photo' }),
      );
      assert.deepEqual((await untilFinished(sim, sid, 'CopyMove', copy.taskid)).at(-1).error, {
        code: 1002,
        errors: [{ code: 411, path: '/photo' }],
      });
      const move = ok(
        await call(sim, sid, 'CopyMove', 'start', {
          path: '/photo/keep.jpg',
          dest_folder_path: '/home',
          remove_src: true,
        }),
      );
      assert.deepEqual((await untilFinished(sim, sid, 'CopyMove', move.taskid)).at(-1).error, {
        code: 1001,
        errors: [{ code: 411, path: '/photo/keep.jpg' }],
      });
      assert.equal(read('photo/keep.jpg'), 'jpg');
      assert.deepEqual(fs.readdirSync(onDisk('photo')).sort(), ['README.txt', 'keep.jpg']);
      assert.equal(exists('home/keep.jpg'), false);
    });
  });

  describe('SYNO.FileStation.Delete', function () {
    it('start reports rising progress while deleting, then finished with everything gone', async function () {
      const slow = await startSimulator({ taskDurationMs: 600 });
      try {
        const slowSid = await login(slow);
        const files = {};
        for (let index = 0; index < 30; index += 1) files[`big/f${index}.txt`] = 'x'.repeat(index);
        for (const [relative, content] of Object.entries(files)) {
          fs.mkdirSync(path.join(slow.dataDir, 'home', path.dirname(relative)), { recursive: true });
          fs.writeFileSync(path.join(slow.dataDir, 'home', relative), content);
        }
        const { taskid } = ok(
          await call(slow, slowSid, 'Delete', 'start', {
            path: json(['/home/big']),
            accurate_progress: true,
          }),
        );
        assert.match(taskid, /^FileStation_[0-9A-F]{16}$/);
        const statuses = (await untilFinished(slow, slowSid, 'Delete', taskid, { interval: 40 })).map(
          (status) => {
            assert.equal(status.success, true, JSON.stringify(status));
            return status.data;
          },
        );
        const running = statuses.filter((status) => !status.finished && status.total > 0);
        assert.ok(running.length >= 3, `only ${running.length} polls saw the task running`);
        const progress = running.map((status) => status.progress);
        assert.deepEqual(
          progress,
          [...progress].sort((a, b) => a - b),
        );
        assert.ok(progress[0] < progress.at(-1));
        const last = statuses.at(-1);
        assert.deepEqual(Object.keys(last).sort(), [
          'finished',
          'found_dir_num',
          'found_file_num',
          'found_file_size',
          'has_dir',
          'path',
          'processed_num',
          'processing_path',
          'progress',
          'total',
        ]);
        assert.equal(last.finished, true);
        assert.equal(last.progress, 1);
        assert.equal(last.total, 31);
        assert.equal(last.processed_num, 31);
        assert.equal(last.found_file_num, 30);
        assert.equal(last.found_dir_num, 1);
        assert.equal(last.found_file_size, (29 * 30) / 2);
        assert.equal(last.has_dir, true);
        assert.equal(last.path, '/home/big');
        assert.equal(fs.existsSync(path.join(slow.dataDir, 'home', 'big')), false);
      } finally {
        await slow.close();
      }
    });

    it('delete blocks until done; recursive=false refuses a non-empty folder; 408 and 407 per file', async function () {
      seed({ 'home/d/x.txt': 'x', 'home/e/': null, 'home/f.txt': 'f' });
      assert.deepEqual(
        failure(await call(sim, sid, 'Delete', 'delete', { path: '/home/d', recursive: false })),
        {
          code: 900,
          errors: [{ code: 401, path: '/home/d' }],
        },
      );
      ok(
        await call(sim, sid, 'Delete', 'delete', {
          path: json(['/home/e', '/home/f.txt']),
          recursive: 'false',
        }),
      );
      ok(await call(sim, sid, 'Delete', 'delete', { path: '/home/d' }));
      assert.deepEqual(fs.readdirSync(onDisk('home')), ['README.txt']);
      assert.deepEqual(failure(await call(sim, sid, 'Delete', 'delete', { path: '/home/gone' })), {
        code: 900,
        errors: [{ code: 408, path: '/home/gone' }],
      });
      assert.deepEqual(failure(await call(sim, sid, 'Delete', 'delete', { path: '/home' })), {
        code: 900,
        errors: [{ code: 407, path: '/home' }],
      });
    });

    it('stop ends the task: nothing more is deleted once stop has answered', async function () {
      const slow = await startSimulator({ taskDurationMs: 2000 });
      try {
        const slowSid = await login(slow);
        const dir = path.join(slow.dataDir, 'home', 'many');
        fs.mkdirSync(dir);
        for (let index = 0; index < 50; index += 1) fs.writeFileSync(path.join(dir, `f${index}`), 'x');
        const { taskid } = ok(await call(slow, slowSid, 'Delete', 'start', { path: '/home/many' }));
        await sleep(300);
        ok(await call(slow, slowSid, 'Delete', 'stop', { taskid: json(taskid) }));
        const left = fs.readdirSync(dir).length;
        assert.ok(left > 0 && left < 50, `${left} files left`);
        await sleep(300);
        assert.equal(fs.readdirSync(dir).length, left);
        const status = ok(await call(slow, slowSid, 'Delete', 'status', { taskid }));
        assert.equal(status.finished, true);
        assert.ok(status.progress < 1);
      } finally {
        await slow.close();
      }
    });

    it('answers 599 for an unknown task id', async function () {
      assert.equal(
        failure(await call(sim, sid, 'Delete', 'status', { taskid: 'FileStation_0000' })).code,
        599,
      );
      assert.equal(failure(await call(sim, sid, 'Delete', 'stop', { taskid: '"nope"' })).code, 599);
    });
  });

  describe('SYNO.FileStation.CopyMove', function () {
    async function copyMove(params) {
      const { taskid } = ok(await call(sim, sid, 'CopyMove', 'start', params));
      return (await untilFinished(sim, sid, 'CopyMove', taskid)).at(-1);
    }

    it('copies a folder tree and reports the status shape', async function () {
      seed({
        'home/src/a.txt': 'A',
        'home/src/sub/b.txt': 'BB',
        'home/src/empty/': null,
        'video/dest/': null,
      });
      const { taskid } = ok(
        await call(sim, sid, 'CopyMove', 'start', {
          path: json(['/home/src']),
          dest_folder_path: json('/video/dest'),
        }),
      );
      const last = (await untilFinished(sim, sid, 'CopyMove', taskid)).at(-1).data;
      assert.deepEqual(last, {
        dest_folder_path: '/video/dest',
        finished: true,
        path: '/home/src',
        processed_size: 3,
        processing_path: '/home/src/sub/b.txt',
        progress: 1,
        total: 3,
      });
      assert.equal(read('video/dest/src/a.txt'), 'A');
      assert.equal(read('video/dest/src/sub/b.txt'), 'BB');
      assert.ok(fs.statSync(onDisk('video/dest/src/empty')).isDirectory());
      assert.equal(read('home/src/a.txt'), 'A');
    });

    it('moves with remove_src', async function () {
      seed({ 'home/m.txt': 'move me', 'home/mdir/x.txt': 'x' });
      const last = await copyMove({
        path: json(['/home/m.txt', '/home/mdir']),
        dest_folder_path: '/video',
        remove_src: 'true',
      });
      assert.equal(last.success, true);
      assert.equal(read('video/m.txt'), 'move me');
      assert.equal(read('video/mdir/x.txt'), 'x');
      assert.equal(exists('home/m.txt') || exists('home/mdir'), false);
    });

    it('overwrite absent answers 1003 on a clash, false skips, true replaces', async function () {
      seed({ 'home/c.txt': 'new', 'video/c.txt': 'old' });
      const params = { path: '/home/c.txt', dest_folder_path: '/video' };
      assert.deepEqual((await copyMove(params)).error, {
        code: 1003,
        errors: [{ code: 414, path: '/video/c.txt' }],
      });
      assert.equal(read('video/c.txt'), 'old');
      assert.equal((await copyMove({ ...params, overwrite: 'false' })).success, true);
      assert.equal(read('video/c.txt'), 'old');
      assert.equal((await copyMove({ ...params, overwrite: true })).success, true);
      assert.equal(read('video/c.txt'), 'new');
      seed({ 'video/d.txt/': null, 'home/d.txt': 'file' });
      const conflict = await copyMove({ path: '/home/d.txt', dest_folder_path: '/video', overwrite: 'true' });
      assert.equal(conflict.error.code, 1004);
    });

    it('fails at status time: 1002 for a missing destination, 1000 for a missing source', async function () {
      assert.deepEqual(
        (await copyMove({ path: '/home/README.txt', dest_folder_path: '/home/nowhere' })).error,
        {
          code: 1002,
          errors: [{ code: 408, path: '/home/nowhere' }],
        },
      );
      assert.deepEqual((await copyMove({ path: '/home/none.txt', dest_folder_path: '/video' })).error, {
        code: 1000,
        errors: [{ code: 408, path: '/home/none.txt' }],
      });
      seed({ 'home/loop/': null });
      assert.equal((await copyMove({ path: '/home/loop', dest_folder_path: '/home/loop' })).error.code, 1000);
    });
  });

  describe('SYNO.FileStation.DirSize and MD5', function () {
    it('DirSize counts what the folders hold', async function () {
      seed({ 'home/ds/a.txt': '12345', 'home/ds/s/b.txt': '123', 'home/ds/s/t/': null, 'video/v.bin': '1' });
      const { taskid } = ok(
        await call(sim, sid, 'DirSize', 'start', { path: json(['/home/ds', '/video/v.bin']) }),
      );
      assert.match(taskid, /^[0-9A-F]{16}$/);
      const last = (await untilFinished(sim, sid, 'DirSize', taskid)).at(-1).data;
      assert.deepEqual(last, { finished: true, num_dir: 2, num_file: 3, total_size: 9 });
      assert.equal(failure(await call(sim, sid, 'DirSize', 'start', { path: '/home/none' })).code, 408);
      ok(await call(sim, sid, 'DirSize', 'stop', { taskid }));
    });

    it('MD5 equals node:crypto, answered once finished', async function () {
      const content = crypto.randomBytes(3 * 1024 * 1024 + 17);
      seed({ 'home/blob.bin': content });
      const { taskid } = ok(await call(sim, sid, 'MD5', 'start', { file_path: json('/home/blob.bin') }));
      const statuses = await untilFinished(sim, sid, 'MD5', taskid);
      assert.deepEqual(statuses.at(-1).data, { finished: true, md5: md5(content) });
      for (const status of statuses.slice(0, -1)) assert.deepEqual(status.data, { finished: false });
      assert.equal(failure(await call(sim, sid, 'MD5', 'start', { file_path: '/home/none' })).code, 408);
      assert.equal(failure(await call(sim, sid, 'MD5', 'start', { file_path: '/home' })).code, 400);
      assert.equal(failure(await call(sim, sid, 'MD5', 'status', { taskid: 'nope' })).code, 599);
      assert.equal(failure(await call(sim, sid, 'DirSize', 'status', { taskid })).code, 599);
    });
  });

  describe('SYNO.FileStation.Search', function () {
    it('accumulates results over time and pages them', async function () {
      const slow = await startSimulator({ taskDurationMs: 400 });
      try {
        const slowSid = await login(slow);
        const root = path.join(slow.dataDir, 'home', 'lib');
        fs.mkdirSync(path.join(root, 'deep'), { recursive: true });
        for (let index = 0; index < 25; index += 1) {
          fs.writeFileSync(
            path.join(root, index % 2 ? 'deep' : '', `song${String(index).padStart(2, '0')}.mp3`),
            'x',
          );
        }
        fs.writeFileSync(path.join(root, 'cover.jpg'), 'x');
        const { taskid } = ok(
          await call(slow, slowSid, 'Search', 'start', { folder_path: json(['/home/lib']), pattern: 'song' }),
        );
        const seen = await untilFinished(slow, slowSid, 'Search', taskid);
        const totals = seen.map((answer) => answer.data.total);
        assert.deepEqual(
          totals,
          [...totals].sort((a, b) => a - b),
        );
        assert.ok(
          totals.some((total) => total > 0 && total < 25),
          `totals ${totals}`,
        );
        const page = async (offset, limit) =>
          ok(
            await call(slow, slowSid, 'Search', 'list', {
              taskid: json(taskid),
              offset,
              limit,
              additional: '["size"]',
            }),
          );
        const first = await page(0, 10);
        assert.equal(first.total, 25);
        assert.equal(first.finished, true);
        assert.equal(first.files.length, 10);
        assert.equal(first.files[0].name, 'song00.mp3');
        assert.equal(first.files[0].additional.size, 1);
        const third = await page(20, 10);
        assert.deepEqual(
          third.files.map((file) => file.name),
          ['song20.mp3', 'song21.mp3', 'song22.mp3', 'song23.mp3', 'song24.mp3'],
        );
        assert.equal(third.files[1].path, '/home/lib/deep/song21.mp3');
        assert.equal((await page(0, 0)).files.length, 0);
        assert.equal((await page(0, -1)).files.length, 25);
        const flat = ok(
          await call(slow, slowSid, 'Search', 'start', {
            folder_path: '/home/lib',
            recursive: false,
            extension: 'mp3',
            size_to: 5,
          }),
        );
        const flatResult = (await untilFinished(slow, slowSid, 'Search', flat.taskid)).at(-1).data;
        assert.equal(flatResult.total, 13);
        ok(await call(slow, slowSid, 'Search', 'stop', { taskid: json([taskid, flat.taskid]) }));
        ok(await call(slow, slowSid, 'Search', 'clean', { taskid: `${taskid},${flat.taskid}` }));
        assert.equal(failure(await call(slow, slowSid, 'Search', 'list', { taskid })).code, 599);
        assert.equal(
          failure(await call(slow, slowSid, 'Search', 'start', { folder_path: '/home/none' })).code,
          408,
        );
      } finally {
        await slow.close();
      }
    });
  });

  describe('SYNO.FileStation.Compress and Extract', function () {
    async function finish(api, params) {
      const { taskid } = ok(await call(sim, sid, api, 'start', params));
      return (await untilFinished(sim, sid, api, taskid)).at(-1);
    }

    it('compresses to a zip that unzips to the same files', async function () {
      seed({ 'home/pack/a.txt': 'alpha', 'home/pack/sub/b.txt': 'beta'.repeat(1000), 'home/c.txt': 'gamma' });
      const done = await finish('Compress', {
        path: json(['/home/pack', '/home/c.txt']),
        dest_file_path: json('/video/out.zip'),
      });
      assert.deepEqual(done.data, { dest_file_path: '/video/out.zip', finished: true, progress: 1 });
      const files = unzipSync(fs.readFileSync(onDisk('video/out.zip')));
      assert.deepEqual(Object.keys(files).sort(), [
        'c.txt',
        'pack/',
        'pack/a.txt',
        'pack/sub/',
        'pack/sub/b.txt',
      ]);
      assert.equal(Buffer.from(files['pack/sub/b.txt']).toString(), 'beta'.repeat(1000));
      const stored = await finish('Compress', {
        path: '/home/c.txt',
        dest_file_path: '/video/s.zip',
        level: 'store',
      });
      assert.equal(stored.success, true);
      assert.equal(
        Buffer.from(unzipSync(fs.readFileSync(onDisk('video/s.zip')))['c.txt']).toString(),
        'gamma',
      );
    });

    it('lists and extracts an archive, with and without folders', async function () {
      seed({ 'home/pack/a.txt': 'alpha', 'home/pack/sub/b.txt': 'beta' });
      assert.equal(
        (await finish('Compress', { path: '/home/pack', dest_file_path: '/home/p.zip' })).success,
        true,
      );
      const root = ok(await call(sim, sid, 'Extract', 'list', { file_path: json('/home/p.zip') }));
      assert.equal(root.total, 1);
      assert.deepEqual(Object.keys(root.items[0]), [
        'is_dir',
        'itemid',
        'mtime',
        'name',
        'pack_size',
        'path',
        'size',
      ]);
      assert.equal(root.items[0].name, 'pack');
      assert.match(root.items[0].mtime, /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
      const inside = ok(
        await call(sim, sid, 'Extract', 'list', { file_path: '/home/p.zip', item_id: root.items[0].itemid }),
      );
      assert.deepEqual(
        inside.items.map((item) => [item.name, item.path, item.is_dir]),
        [
          ['a.txt', 'pack/a.txt', false],
          ['sub', 'pack/sub', true],
        ],
      );
      assert.equal(inside.items[0].size, 5);
      seed({ 'video/x/': null });
      const extracted = await finish('Extract', { file_path: '/home/p.zip', dest_folder_path: '/video/x' });
      assert.deepEqual(extracted.data, { dest_folder_path: '/video/x', finished: true, progress: 1 });
      assert.equal(read('video/x/pack/sub/b.txt'), 'beta');
      seed({ 'video/flat/': null });
      await finish('Extract', {
        file_path: '/home/p.zip',
        dest_folder_path: '/video/flat',
        keep_dir: false,
        create_subfolder: true,
      });
      assert.deepEqual(fs.readdirSync(onDisk('video/flat/p')).sort(), ['a.txt', 'b.txt']);
      seed({ 'video/one/': null });
      const subId = inside.items[1].itemid;
      await finish('Extract', {
        file_path: '/home/p.zip',
        dest_folder_path: '/video/one',
        item_id: json([subId]),
      });
      assert.deepEqual(fs.readdirSync(onDisk('video/one/pack')), ['sub']);
      seed({ 'video/x/pack/a.txt': 'changed' });
      await finish('Extract', { file_path: '/home/p.zip', dest_folder_path: '/video/x' });
      assert.equal(read('video/x/pack/a.txt'), 'changed');
      await finish('Extract', { file_path: '/home/p.zip', dest_folder_path: '/video/x', overwrite: true });
      assert.equal(read('video/x/pack/a.txt'), 'alpha');
    });

    it('protects an archive with a password: 1403 for a wrong or missing one', async function () {
      seed({ 'home/secret.txt': 'top secret', 'home/out/': null });
      const made = await finish('Compress', {
        path: '/home/secret.txt',
        dest_file_path: '/home/locked.zip',
        password: 'pa55',
      });
      assert.equal(made.success, true);
      for (const password of ['wrong', undefined]) {
        const failed = await finish('Extract', {
          file_path: '/home/locked.zip',
          dest_folder_path: '/home/out',
          ...(password ? { password } : {}),
        });
        assert.equal(failed.error.code, 1403);
      }
      assert.equal(
        failure(await call(sim, sid, 'Extract', 'list', { file_path: '/home/locked.zip', password: 'no' }))
          .code,
        1403,
      );
      assert.deepEqual(fs.readdirSync(onDisk('home/out')), []);
      const opened = await finish('Extract', {
        file_path: '/home/locked.zip',
        dest_folder_path: '/home/out',
        password: json('pa55'),
      });
      assert.equal(opened.success, true, JSON.stringify(opened));
      assert.equal(read('home/out/secret.txt'), 'top secret');
    });

    it('extracts an AES-256 zip made elsewhere: 1403 for a wrong or missing password', async function () {
      const files = { 'docs/': null, 'docs/a.txt': 'alpha'.repeat(500), 'b.txt': 'beta' };
      const bytes = await makeZip(files, { password: 'S3cret!', encryptionStrength: 3 });
      const fileEntries = (await zipEntries(bytes)).filter((entry) => !entry.directory);
      assert.ok(fileEntries.every((entry) => entry.encrypted && !entry.zipCrypto));
      seed({ 'home/aes.zip': bytes, 'home/out/': null });
      const listed = ok(await call(sim, sid, 'Extract', 'list', { file_path: '/home/aes.zip' }));
      assert.deepEqual(listed.items.map((item) => [item.name, item.is_dir]).sort(), [
        ['b.txt', false],
        ['docs', true],
      ]);
      const list = (password) => call(sim, sid, 'Extract', 'list', { file_path: '/home/aes.zip', password });
      assert.equal(failure(await list('s3cret!')).code, 1403);
      assert.equal(ok(await list('S3cret!')).total, 2);
      for (const password of ['s3cret!', '', undefined]) {
        const failed = await finish('Extract', {
          file_path: '/home/aes.zip',
          dest_folder_path: '/home/out',
          ...(password === undefined ? {} : { password }),
        });
        assert.equal(failed.error?.code, 1403, JSON.stringify(failed));
      }
      assert.deepEqual(fs.readdirSync(onDisk('home/out')), []);
      const opened = await finish('Extract', {
        file_path: '/home/aes.zip',
        dest_folder_path: '/home/out',
        password: 'S3cret!',
      });
      assert.equal(opened.success, true, JSON.stringify(opened));
      assert.equal(read('home/out/docs/a.txt'), 'alpha'.repeat(500));
      assert.equal(read('home/out/b.txt'), 'beta');
    });

    it('writes a password-protected archive that another reader opens only with the password', async function () {
      const secret = 'plain words that must not show'.repeat(50);
      seed({ 'home/plain.txt': secret, 'home/more.txt': 'more' });
      const made = await finish('Compress', {
        path: '/home/plain.txt',
        dest_file_path: '/home/zc.zip',
        level: 'store',
        password: 'pa55',
      });
      assert.equal(made.success, true, JSON.stringify(made));
      const bytes = fs.readFileSync(onDisk('home/zc.zip'));
      assert.equal(bytes.includes('plain words'), false);
      const [entry] = await zipEntries(bytes);
      assert.equal(entry.encrypted, true);
      await assert.rejects(entry.getData(new zipjs.TextWriter()));
      await assert.rejects(entry.getData(new zipjs.TextWriter(), { password: 'pa56', checkCrc32: true }));
      assert.equal(
        await entry.getData(new zipjs.TextWriter(), { password: 'pa55', checkCrc32: true }),
        secret,
      );
      // Adding to it copies the encrypted entry as it is stored: it still opens with its password.
      const added = await finish('Compress', {
        path: '/home/more.txt',
        dest_file_path: '/home/zc.zip',
        password: 'pa55',
      });
      assert.equal(added.success, true, JSON.stringify(added));
      const both = await zipEntries(fs.readFileSync(onDisk('home/zc.zip')));
      assert.deepEqual(both.map((one) => one.filename).sort(), ['more.txt', 'plain.txt']);
      for (const one of both) {
        const text = await one.getData(new zipjs.TextWriter(), { password: 'pa55', checkCrc32: true });
        assert.equal(text, one.filename === 'more.txt' ? 'more' : secret);
      }
    });

    it('answers 1401 for a file that is not an archive and 1405 for an unknown item', async function () {
      assert.equal(
        failure(await call(sim, sid, 'Extract', 'list', { file_path: '/home/README.txt' })).code,
        1401,
      );
      const notZip = await finish('Extract', { file_path: '/home/README.txt', dest_folder_path: '/home' });
      assert.equal(notZip.error.code, 1401);
      seed({ 'home/z.txt': 'z' });
      await finish('Compress', { path: '/home/z.txt', dest_file_path: '/home/z.zip' });
      assert.equal(
        failure(await call(sim, sid, 'Extract', 'list', { file_path: '/home/z.zip', item_id: 99 })).code,
        1405,
      );
      const missing = await finish('Compress', { path: '/home/none', dest_file_path: '/home/n.zip' });
      assert.deepEqual(missing.error, { code: 1300, errors: [{ code: 408, path: '/home/none' }] });
    });
  });

  describe('SYNO.FileStation.BackgroundTask', function () {
    it('lists copy, delete, compress and extract tasks and clears the finished ones', async function () {
      seed({ 'home/t.txt': 't' });
      const copy = ok(
        await call(sim, sid, 'CopyMove', 'start', { path: '/home/t.txt', dest_folder_path: '/video' }),
      );
      const size = ok(await call(sim, sid, 'DirSize', 'start', { path: '/home' }));
      await untilFinished(sim, sid, 'CopyMove', copy.taskid);
      const del = ok(await call(sim, sid, 'Delete', 'start', { path: '/video/t.txt' }));
      await untilFinished(sim, sid, 'Delete', del.taskid);
      const listed = ok(await call(sim, sid, 'BackgroundTask', 'list'));
      assert.deepEqual(Object.keys(listed), TASK_LIST_SCHEMA.required);
      assert.equal(listed.total, 2);
      const [copyTask, deleteTask] = listed.tasks;
      assert.equal(copyTask.api, 'SYNO.FileStation.CopyMove');
      assert.equal(copyTask.taskid, copy.taskid);
      assert.equal(copyTask.method, 'start');
      assert.equal(copyTask.version, 3);
      assert.equal(copyTask.finished, true);
      assert.deepEqual(copyTask.params, {
        accurate_progress: true,
        dest_folder_path: '/video',
        path: ['/home/t.txt'],
        remove_src: false,
      });
      assert.equal(typeof copyTask.crtime, 'number');
      assert.equal(deleteTask.api, 'SYNO.FileStation.Delete');
      assert.equal(deleteTask.processed_num, 1);
      assert.ok(!listed.tasks.some((task) => task.taskid === size.taskid));
      const filtered = ok(
        await call(sim, sid, 'BackgroundTask', 'list', { api_filter: json(['SYNO.FileStation.Delete']) }),
      );
      assert.deepEqual(
        filtered.tasks.map((task) => task.taskid),
        [del.taskid],
      );
      ok(await call(sim, sid, 'BackgroundTask', 'clear_finished', { taskid: json([copy.taskid]) }));
      assert.equal(ok(await call(sim, sid, 'BackgroundTask', 'list')).total, 1);
      assert.equal(failure(await call(sim, sid, 'CopyMove', 'status', { taskid: copy.taskid })).code, 599);
      ok(await call(sim, sid, 'BackgroundTask', 'clear_finished'));
      assert.equal(ok(await call(sim, sid, 'BackgroundTask', 'list')).total, 0);
    });
  });

  describe('SYNO.FileStation.Sharing', function () {
    it('creates, lists, reads, edits and deletes links', async function () {
      seed({ 'home/share-me.txt': 's' });
      const { links } = ok(
        await call(sim, sid, 'Sharing', 'create', {
          path: json(['/home/share-me.txt', '/video']),
          date_expired: '"2099-12-31"',
        }),
      );
      assert.equal(links.length, 2);
      const [file, folder] = links;
      assert.equal(file.error, 0);
      assert.equal(file.path, '/home/share-me.txt');
      assert.equal(file.name, 'share-me.txt');
      assert.equal(file.isFolder, false);
      assert.equal(folder.isFolder, true);
      assert.equal(file.url, `${sim.url}/sharing/${file.id}`);
      assert.equal(file.date_expired, '2099-12-31');
      assert.equal(file.status, 'valid');
      assert.equal(typeof file.qrcode, 'string');
      const listed = ok(await call(sim, sid, 'Sharing', 'list', { sort_by: 'name', sort_direction: 'desc' }));
      assert.deepEqual(Object.keys(listed), SHARING_LIST_SCHEMA.required);
      assert.equal(listed.total, 2);
      assert.deepEqual(
        listed.links.map((link) => link.name),
        ['video', 'share-me.txt'],
      );
      assert.deepEqual(Object.keys(listed.links[0]), [
        'date_available',
        'date_expired',
        'has_password',
        'id',
        'isFolder',
        'link_owner',
        'name',
        'path',
        'status',
        'url',
      ]);
      ok(await call(sim, sid, 'Sharing', 'edit', { id: json([file.id]), password: 'pw' }));
      const info = ok(await call(sim, sid, 'Sharing', 'getinfo', { id: json(file.id) }));
      assert.equal(info.has_password, true);
      assert.equal(info.link_owner, 'demo');
      assert.deepEqual(
        failure(await call(sim, sid, 'Sharing', 'delete', { id: json([file.id, 'unknown1']) })),
        {
          code: 2000,
          errors: [{ code: 2000, id: 'unknown1' }],
        },
      );
      ok(await call(sim, sid, 'Sharing', 'delete', { id: file.id }));
      assert.equal(failure(await call(sim, sid, 'Sharing', 'getinfo', { id: file.id })).code, 2000);
      fs.rmSync(onDisk('video'), { recursive: true });
      assert.equal(ok(await call(sim, sid, 'Sharing', 'getinfo', { id: folder.id })).status, 'broken');
      ok(await call(sim, sid, 'Sharing', 'clear_invalid'));
      assert.equal(ok(await call(sim, sid, 'Sharing', 'list')).total, 0);
      assert.equal(failure(await call(sim, sid, 'Sharing', 'create', { path: '/home/none' })).code, 408);
    });
  });

  describe('core behaviour', function () {
    it('faults and counters apply to File Station requests', async function () {
      sim.control.injectFault({ api: 'SYNO.FileStation.Upload', code: 1803 });
      const faulty = await upload(sim, {
        sid,
        fields: { path: '/home' },
        name: 'f.txt',
        content: Buffer.from('x'),
      });
      assert.equal(failure(faulty).code, 1803);
      assert.equal(exists('home/f.txt'), false);
      sim.control.injectFault({ api: 'SYNO.FileStation.Download', reset: true });
      await assert.rejects(download(sim, sid, { path: '/home/README.txt' }));
      const counters = sim.control.counters();
      assert.equal(counters.methods['SYNO.FileStation.Upload.upload'], 1);
      assert.equal(counters.methods['SYNO.FileStation.Download.download'], 1);
    });
  });

  describe('large files', function () {
    it('streams a 256 MiB upload and download with flat memory', async function () {
      this.timeout(60000);
      const size = 256 * 1024 * 1024;
      const chunk = crypto.randomBytes(1024 * 1024);
      const boundary = 'large';
      const head = multipartHead(boundary, { path: '/home' }, quotedFilename('large.bin'));
      const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
      const url = new URL('/webapi/entry.cgi', sim.url);
      url.search = `api=SYNO.FileStation.Upload&version=2&method=upload&_sid=${sid}`;
      const baseline = process.memoryUsage().rss;
      let peak = 0;
      const sampler = setInterval(() => {
        peak = Math.max(peak, process.memoryUsage().rss - baseline);
      }, 20);
      try {
        const sent = crypto.createHash('md5');
        const answer = await new Promise((resolve, reject) => {
          const req = http.request(
            url,
            {
              method: 'POST',
              headers: {
                'Content-Type': `multipart/form-data; boundary=${boundary}`,
                'Content-Length': head.length + size + tail.length,
              },
            },
            (res) => {
              let text = '';
              res.on('data', (part) => (text += part));
              res.on('end', () => resolve(JSON.parse(text)));
            },
          );
          req.on('error', reject);
          (async () => {
            req.write(head);
            for (let index = 0; index < size / chunk.length; index += 1) {
              chunk[0] = index & 0xff;
              sent.update(chunk);
              if (!req.write(chunk)) await new Promise((resolve) => req.once('drain', resolve));
            }
            req.end(tail);
          })();
        });
        assert.equal(answer.success, true);
        assert.equal(fs.statSync(onDisk('home/large.bin')).size, size);
        const received = crypto.createHash('md5');
        const download = new URL('/webapi/entry.cgi', sim.url);
        download.search = `api=SYNO.FileStation.Download&version=2&method=download&path=/home/large.bin&_sid=${sid}`;
        const length = await new Promise((resolve, reject) => {
          http
            .get(download, (res) => {
              let total = 0;
              res.on('data', (part) => {
                received.update(part);
                total += part.length;
              });
              res.on('end', () => resolve(total));
            })
            .on('error', reject);
        });
        assert.equal(length, size);
        assert.equal(received.digest('hex'), sent.digest('hex'));
      } finally {
        clearInterval(sampler);
      }
      assert.ok(peak < 128 * 1024 * 1024, `memory grew by ${Math.round(peak / 1048576)} MiB`);
    });

    it('compresses with a password and extracts a 256 MiB file with flat memory', async function () {
      this.timeout(60000);
      const size = 256 * 1024 * 1024;
      const edge = crypto.randomBytes(1024 * 1024);
      seed({ 'home/big/': null, 'home/unpacked/': null });
      const fd = fs.openSync(onDisk('home/big/sparse.bin'), 'w');
      fs.writeSync(fd, edge, 0, edge.length, 0);
      fs.writeSync(fd, edge, 0, edge.length, size - edge.length);
      fs.closeSync(fd);
      const finishTask = async (api, params) => {
        const { taskid } = ok(await call(sim, sid, api, 'start', params));
        return (await untilFinished(sim, sid, api, taskid, { timeout: 50000 })).at(-1);
      };
      const baseline = process.memoryUsage().rss;
      let peak = 0;
      const sampler = setInterval(() => {
        peak = Math.max(peak, process.memoryUsage().rss - baseline);
      }, 20);
      try {
        const packed = await finishTask('Compress', {
          path: '/home/big',
          dest_file_path: '/home/big.zip',
          password: 'pa55',
        });
        assert.equal(packed.success, true, JSON.stringify(packed));
        const unpacked = await finishTask('Extract', {
          file_path: '/home/big.zip',
          dest_folder_path: '/home/unpacked',
          password: 'pa55',
        });
        assert.equal(unpacked.success, true, JSON.stringify(unpacked));
      } finally {
        clearInterval(sampler);
      }
      const copy = onDisk('home/unpacked/big/sparse.bin');
      assert.equal(fs.statSync(copy).size, size);
      const tail = Buffer.alloc(edge.length);
      const copyFd = fs.openSync(copy, 'r');
      fs.readSync(copyFd, tail, 0, tail.length, size - tail.length);
      fs.closeSync(copyFd);
      assert.ok(tail.equals(edge));
      assert.ok(peak < 128 * 1024 * 1024, `memory grew by ${Math.round(peak / 1048576)} MiB`);
    });
  });
});
