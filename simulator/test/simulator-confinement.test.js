'use strict';

// Issue 6, defect 9: the simulator never reads, lists, changes or deletes anything outside its data folder,
// whatever symbolic links the shared folders hold.

const assert = require('node:assert/strict');
const crypto = require('node:crypto');
const fs = require('node:fs');
const http = require('node:http');
const os = require('node:os');
const path = require('node:path');
const { unzipSync, zipSync, strToU8 } = require('fflate');
const { startSimulator } = require('..');
const { demoSid: login } = require('./support/login');

const VERSIONS = {
  List: 2,
  Search: 2,
  DirSize: 2,
  MD5: 2,
  Download: 2,
  CreateFolder: 2,
  Rename: 2,
  CopyMove: 3,
  Delete: 2,
  Extract: 2,
  Compress: 3,
};

const SECRET = 'top secret, outside the data folder';
const json = (value) => JSON.stringify(value);

async function call(sim, sid, api, method, params = {}) {
  const url = new URL('/webapi/entry.cgi', sim.url);
  url.search = new URLSearchParams({
    api: `SYNO.FileStation.${api}`,
    version: String(VERSIONS[api]),
    method,
    ...params,
    _sid: sid,
  }).toString();
  const response = await fetch(url);
  return { status: response.status, body: JSON.parse(await response.text()) };
}

function ok(response) {
  assert.equal(response.body.success, true, JSON.stringify(response.body));
  return response.body.data;
}

function failure(response) {
  assert.equal(response.body.success, false, JSON.stringify(response.body));
  return response.body.error;
}

/** Starts a task and polls it until it is finished or failed; answers the last status body. */
async function runTask(sim, sid, api, params) {
  const { taskid } = ok(await call(sim, sid, api, 'start', params));
  const deadline = Date.now() + 10000;
  for (;;) {
    const response = await call(sim, sid, api, api === 'Search' ? 'list' : 'status', {
      taskid: json(taskid),
      limit: -1,
    });
    if (!response.body.success || response.body.data.finished) return response.body;
    if (Date.now() > deadline) throw new Error(`${api} task ${taskid} did not finish`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

function upload(sim, sid, fields, name, content) {
  const boundary = `----synosim${crypto.randomBytes(8).toString('hex')}`;
  let head = '';
  for (const [field, value] of Object.entries(fields)) {
    head += `--${boundary}\r\nContent-Disposition: form-data; name="${field}"\r\n\r\n${value}\r\n`;
  }
  head += `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\n`;
  head += 'Content-Type: application/octet-stream\r\n\r\n';
  const body = Buffer.concat([
    Buffer.from(head),
    Buffer.from(content),
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  const url = new URL('/webapi/entry.cgi', sim.url);
  url.search = new URLSearchParams({
    api: 'SYNO.FileStation.Upload',
    version: '2',
    method: 'upload',
    _sid: sid,
  }).toString();
  const headers = {
    'Content-Type': `multipart/form-data; boundary=${boundary}`,
    'Content-Length': body.length,
  };
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: 'POST', headers }, (res) => {
      const chunks = [];
      res.on('data', (chunk) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode, body: JSON.parse(Buffer.concat(chunks)) }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

async function download(sim, sid, params) {
  const url = new URL('/webapi/entry.cgi', sim.url);
  url.search = new URLSearchParams({
    api: 'SYNO.FileStation.Download',
    version: '2',
    method: 'download',
    mode: 'download',
    _sid: sid,
    ...params,
  }).toString();
  const response = await fetch(url);
  return {
    status: response.status,
    type: response.headers.get('content-type'),
    bytes: Buffer.from(await response.arrayBuffer()),
  };
}

/** Every entry under a folder (links not followed) with its type, content hash and mtime. */
function snapshot(root) {
  const entries = {};
  const visit = (dir, relative) => {
    for (const name of fs.readdirSync(dir).sort()) {
      const full = path.join(dir, name);
      const key = relative ? `${relative}/${name}` : name;
      const stats = fs.lstatSync(full);
      if (stats.isDirectory()) {
        entries[key] = `dir ${stats.mtimeMs}`;
        visit(full, key);
      } else {
        const hash = crypto.createHash('md5').update(fs.readFileSync(full)).digest('hex');
        entries[key] = `file ${hash} ${stats.mtimeMs}`;
      }
    }
  };
  visit(root, '');
  return entries;
}

describe('DSM simulator confinement to its data folder (symbolic links)', function () {
  let sim;
  let sid;
  let data;
  let outside;
  let outsideBefore;

  const onDisk = (relative) => path.join(data, relative);
  const isLink = (relative) => fs.lstatSync(onDisk(relative)).isSymbolicLink();

  function seed(files) {
    for (const [relative, content] of Object.entries(files)) {
      const target = onDisk(relative);
      if (content === null) fs.mkdirSync(target, { recursive: true });
      else {
        fs.mkdirSync(path.dirname(target), { recursive: true });
        fs.writeFileSync(target, content);
      }
    }
  }

  /** Fails unless the folder outside the data folder is exactly as it was before the test. */
  function assertOutsideUntouched() {
    assert.deepEqual(snapshot(outside), outsideBefore);
  }

  /** Fails if an answer carries anything of what lies outside. */
  function assertNothingLeaks(answer) {
    const text = Buffer.isBuffer(answer) ? answer.toString('latin1') : JSON.stringify(answer);
    for (const word of ['secret.txt', 'inner.txt', 'top secret', 'hidden']) {
      assert.ok(!text.includes(word), `the answer shows "${word}" from outside: ${text.slice(0, 300)}`);
    }
  }

  beforeEach(async function () {
    outside = fs.mkdtempSync(path.join(os.tmpdir(), 'synosim-outside-'));
    fs.writeFileSync(path.join(outside, 'secret.txt'), SECRET);
    fs.mkdirSync(path.join(outside, 'hidden'));
    fs.writeFileSync(path.join(outside, 'hidden', 'inner.txt'), 'x'.repeat(100000));
    outsideBefore = snapshot(outside);
    sim = await startSimulator({ taskDurationMs: 40 });
    sid = await login(sim);
    data = sim.dataDir;
    fs.symlinkSync(outside, onDisk('home/escape'));
    fs.symlinkSync(path.join(outside, 'secret.txt'), onDisk('home/escape-file.txt'));
  });

  afterEach(async function () {
    await sim.close();
    fs.rmSync(outside, { recursive: true, force: true });
  });

  it('list shows a link as an entry of its own and refuses to list through it (407)', async function () {
    const listing = ok(
      await call(sim, sid, 'List', 'list', { folder_path: '/home', additional: json(['size', 'time']) }),
    );
    const escape = listing.files.find((file) => file.name === 'escape');
    assert.equal(escape.isdir, false);
    assert.equal(escape.additional.size, fs.lstatSync(onDisk('home/escape')).size);
    const linkedFile = listing.files.find((file) => file.name === 'escape-file.txt');
    assert.equal(linkedFile.isdir, false);
    assert.equal(linkedFile.additional.size, fs.lstatSync(onDisk('home/escape-file.txt')).size);
    assert.equal(failure(await call(sim, sid, 'List', 'list', { folder_path: '/home/escape' })).code, 407);
    assert.equal(
      failure(await call(sim, sid, 'List', 'list', { folder_path: '/home/escape/hidden' })).code,
      407,
    );
  });

  it('getinfo shows the link itself and answers 407 in place for a path through it', async function () {
    const { files } = ok(
      await call(sim, sid, 'List', 'getinfo', {
        path: json(['/home/escape', '/home/escape/secret.txt', '/home/escape/nothing']),
        additional: json(['size']),
      }),
    );
    assert.equal(files[0].isdir, false);
    assert.equal(files[0].additional.size, fs.lstatSync(onDisk('home/escape')).size);
    assert.deepEqual(files[1], { code: 407, name: 'secret.txt', path: '/home/escape/secret.txt' });
    assert.equal(files[2].code, 407);
  });

  it('download refuses a link leading out (407) and leaves links out of zips', async function () {
    for (const target of ['/home/escape-file.txt', '/home/escape/secret.txt', '/home/escape']) {
      const refused = await download(sim, sid, { path: target });
      assert.match(refused.type, /json/);
      assert.equal(JSON.parse(refused.bytes).error.code, 407, target);
    }
    seed({ 'home/own.txt': 'mine' });
    const zip = await download(sim, sid, { path: '/home' });
    assert.equal(zip.status, 200);
    assertNothingLeaks(zip.bytes);
    const names = Object.keys(unzipSync(zip.bytes));
    assert.ok(names.includes('home/own.txt'));
    assert.ok(!names.some((name) => name.startsWith('home/escape')), names.join());
  });

  it('upload into a link leading out is refused (407) and writes nothing outside', async function () {
    const direct = await upload(sim, sid, { path: '/home/escape' }, 'dropped.txt', 'payload');
    assert.equal(failure(direct).code, 407);
    const parents = await upload(
      sim,
      sid,
      { path: '/home/escape/new/deeper', create_parents: 'true' },
      'dropped.txt',
      'payload',
    );
    assert.equal(failure(parents).code, 407);
    // Overwriting a link replaces the link, never the file it points to.
    const replaced = await upload(
      sim,
      sid,
      { path: '/home', overwrite: 'true' },
      'escape-file.txt',
      'replacement',
    );
    assert.equal(ok(replaced).blSkip, false);
    assert.equal(isLink('home/escape-file.txt'), false);
    assert.equal(fs.readFileSync(onDisk('home/escape-file.txt'), 'utf8'), 'replacement');
    assertOutsideUntouched();
  });

  it('create folder inside a link leading out is refused (1100 with 407)', async function () {
    for (const force_parent of ['false', 'true']) {
      const error = failure(
        await call(sim, sid, 'CreateFolder', 'create', {
          folder_path: json(['/home/escape']),
          name: json(['made']),
          force_parent,
        }),
      );
      assert.equal(error.code, 1100);
      assert.equal(error.errors[0].code, 407);
    }
    assertOutsideUntouched();
  });

  it('rename renames the link itself and refuses anything through it (1200 with 407)', async function () {
    const error = failure(
      await call(sim, sid, 'Rename', 'rename', { path: '/home/escape/secret.txt', name: 'moved.txt' }),
    );
    assert.equal(error.code, 1200);
    assert.equal(error.errors[0].code, 407);
    ok(await call(sim, sid, 'Rename', 'rename', { path: '/home/escape', name: 'gone' }));
    assert.equal(isLink('home/gone'), true);
    assertOutsideUntouched();
  });

  it('copy never reads or writes through a link leading out; copied links stay links', async function () {
    seed({ 'video/dest/': null, 'home/tree/own.txt': 'mine' });
    fs.symlinkSync(outside, onDisk('home/tree/inner-escape'));
    const source = await runTask(sim, sid, 'CopyMove', {
      path: '/home/escape-file.txt',
      dest_folder_path: '/video/dest',
    });
    assert.equal(source.error.code, 1000);
    assert.equal(source.error.errors[0].code, 407);
    const dest = await runTask(sim, sid, 'CopyMove', {
      path: '/home/tree',
      dest_folder_path: '/home/escape',
    });
    assert.equal(dest.error.code, 1002);
    assert.equal(dest.error.errors[0].code, 407);
    const tree = await runTask(sim, sid, 'CopyMove', { path: '/home/tree', dest_folder_path: '/video/dest' });
    assert.equal(tree.success, true, JSON.stringify(tree));
    assert.equal(fs.readFileSync(onDisk('video/dest/tree/own.txt'), 'utf8'), 'mine');
    assert.equal(isLink('video/dest/tree/inner-escape'), true);
    // A file copied over a link replaces the link, not the file it points to.
    seed({ 'video/escape-file.txt': 'copied' });
    fs.rmSync(onDisk('home/escape-file.txt'));
    fs.symlinkSync(path.join(outside, 'secret.txt'), onDisk('home/escape-file.txt'));
    const over = await runTask(sim, sid, 'CopyMove', {
      path: '/video/escape-file.txt',
      dest_folder_path: '/home',
      overwrite: 'true',
    });
    assert.equal(over.success, true, JSON.stringify(over));
    assert.equal(isLink('home/escape-file.txt'), false);
    assertOutsideUntouched();
  });

  it('move moves the link itself and refuses anything through it (1001 with 407)', async function () {
    const through = await runTask(sim, sid, 'CopyMove', {
      path: '/home/escape/secret.txt',
      dest_folder_path: '/video',
      remove_src: 'true',
    });
    assert.equal(through.error.code, 1001);
    assert.equal(through.error.errors[0].code, 407);
    const link = await runTask(sim, sid, 'CopyMove', {
      path: '/home/escape',
      dest_folder_path: '/video',
      remove_src: 'true',
    });
    assert.equal(link.success, true, JSON.stringify(link));
    assert.equal(isLink('video/escape'), true);
    assert.equal(fs.existsSync(onDisk('home/escape')), false);
    assertOutsideUntouched();
  });

  it('delete removes a link, never what it points to (start and blocking delete)', async function () {
    fs.mkdirSync(onDisk('home/holder'));
    fs.symlinkSync(outside, onDisk('home/holder/inner-escape'));
    const started = await runTask(sim, sid, 'Delete', { path: json(['/home/escape', '/home/holder']) });
    assert.equal(started.success, true, JSON.stringify(started));
    assertOutsideUntouched();
    assert.equal(fs.existsSync(onDisk('home/escape')) || fs.existsSync(onDisk('home/holder')), false);
    const blocking = await call(sim, sid, 'Delete', 'delete', { path: '/home/escape-file.txt' });
    assert.equal(blocking.body.success, true, JSON.stringify(blocking.body));
    assert.equal(fs.existsSync(onDisk('home/escape-file.txt')), false);
    fs.symlinkSync(outside, onDisk('home/escape'));
    const through = failure(await call(sim, sid, 'Delete', 'delete', { path: '/home/escape/secret.txt' }));
    assert.equal(through.code, 900);
    assert.equal(through.errors[0].code, 407);
    assertOutsideUntouched();
  });

  it('compress refuses a link leading out, leaves links out of archives and never writes through one', async function () {
    seed({ 'home/own.txt': 'mine' });
    const linked = await runTask(sim, sid, 'Compress', {
      path: '/home/escape',
      dest_file_path: '/video/a.zip',
    });
    assert.equal(linked.error.code, 1300);
    assert.equal(linked.error.errors[0].code, 407);
    const intoLink = await runTask(sim, sid, 'Compress', {
      path: '/home/own.txt',
      dest_file_path: '/home/escape/b.zip',
    });
    assert.equal(intoLink.error.code, 1300);
    assert.equal(intoLink.error.errors[0].code, 407);
    const whole = await runTask(sim, sid, 'Compress', { path: '/home', dest_file_path: '/video/home.zip' });
    assert.equal(whole.success, true, JSON.stringify(whole));
    const archive = fs.readFileSync(onDisk('video/home.zip'));
    assertNothingLeaks(archive);
    assert.ok(Object.keys(unzipSync(archive)).includes('home/own.txt'));
    assertOutsideUntouched();
  });

  it('extract refuses an archive behind a link and never writes through a link in the destination', async function () {
    fs.writeFileSync(path.join(outside, 'outside.zip'), zipSync({ 'a.txt': strToU8('a') }));
    outsideBefore = snapshot(outside);
    const behind = await call(sim, sid, 'Extract', 'list', { file_path: '/home/escape/outside.zip' });
    assert.equal(failure(behind).code, 407);
    const started = await runTask(sim, sid, 'Extract', {
      file_path: '/home/escape/outside.zip',
      dest_folder_path: '/video',
    });
    assert.equal(started.error.code, 1400);
    assert.equal(started.error.errors[0].code, 407);
    fs.writeFileSync(
      onDisk('video/evil.zip'),
      zipSync({ 'escape/pwned.txt': strToU8('pwned'), 'escape/hidden/inner.txt': strToU8('pwned') }),
    );
    const evil = await runTask(sim, sid, 'Extract', {
      file_path: '/video/evil.zip',
      dest_folder_path: '/home',
      overwrite: 'true',
    });
    assert.equal(evil.error.code, 1400);
    assert.equal(evil.error.errors[0].code, 407);
    assertOutsideUntouched();
  });

  it('extract refuses entries named with .. or an absolute path (1400 with 418) and writes nothing', async function () {
    // Links are other tests' concern: without them the whole data folder can be compared before and after.
    for (const link of ['home/escape', 'home/escape-file.txt']) fs.unlinkSync(onDisk(link));
    const evilNames = [
      '../evil.txt',
      '../../evil.txt',
      '/abs.txt',
      'a/../../../evil.txt',
      '..\\..\\evil.txt',
    ];
    evilNames.forEach((name, index) => {
      const entries = { 'fine.txt': strToU8('fine'), [name]: strToU8('pwned') };
      fs.writeFileSync(onDisk(`home/slip-${index}.zip`), zipSync(entries));
    });
    seed({ 'home/dest/': null });
    const dataBefore = snapshot(data);
    for (const [index, name] of evilNames.entries()) {
      const listed = ok(await call(sim, sid, 'Extract', 'list', { file_path: `/home/slip-${index}.zip` }));
      assert.ok(listed.total >= 2, JSON.stringify(listed));
      for (const dest of ['/home', '/home/dest']) {
        const extracted = await runTask(sim, sid, 'Extract', {
          file_path: `/home/slip-${index}.zip`,
          dest_folder_path: dest,
          overwrite: 'true',
        });
        assert.equal(extracted.error?.code, 1400, `${name}: ${JSON.stringify(extracted)}`);
        assert.equal(extracted.error.errors[0].code, 418, name);
      }
    }
    assert.deepEqual(snapshot(data), dataBefore);
    assert.equal(fs.existsSync(path.join(path.dirname(data), 'evil.txt')), false);
    assertOutsideUntouched();
  });

  it('md5 refuses a link leading out (407)', async function () {
    for (const filePath of ['/home/escape-file.txt', '/home/escape/secret.txt']) {
      assert.equal(failure(await call(sim, sid, 'MD5', 'start', { file_path: filePath })).code, 407);
    }
  });

  it('dir size counts a link as the link, never what it points to', async function () {
    seed({ 'home/own.txt': 'mine' });
    const done = await runTask(sim, sid, 'DirSize', { path: '/home' });
    assert.equal(done.success, true, JSON.stringify(done));
    assert.ok(done.data.total_size < 10000, `total_size ${done.data.total_size} counts what lies outside`);
    assert.equal(done.data.num_dir, 0);
    assert.equal(
      failure(await call(sim, sid, 'DirSize', 'start', { path: '/home/escape/hidden' })).code,
      407,
    );
  });

  it('search lists links by name and never looks through them', async function () {
    const done = await runTask(sim, sid, 'Search', { folder_path: '/home', pattern: 'escape' });
    assert.equal(done.success, true, JSON.stringify(done));
    assertNothingLeaks(done.data.files);
    assert.deepEqual(done.data.files.map((file) => file.name).sort(), ['escape', 'escape-file.txt']);
    assert.equal(failure(await call(sim, sid, 'Search', 'start', { folder_path: '/home/escape' })).code, 407);
  });

  it('a link in the data folder is no shared folder (408), whatever it points to', async function () {
    fs.symlinkSync(outside, onDisk('linked-share'));
    const { shares } = ok(await call(sim, sid, 'List', 'list_share'));
    assert.ok(!shares.some((share) => share.name === 'linked-share'));
    assert.equal(failure(await call(sim, sid, 'List', 'list', { folder_path: '/linked-share' })).code, 408);
    const { files } = ok(await call(sim, sid, 'List', 'getinfo', { path: '/linked-share/secret.txt' }));
    assert.equal(files[0].code, 408);
    const upload_ = await upload(sim, sid, { path: '/linked-share' }, 'dropped.txt', 'payload');
    assert.equal(failure(upload_).code, 408);
    assertOutsideUntouched();
  });

  describe('two links to their own folder (x -> ., y -> .)', function () {
    beforeEach(function () {
      seed({ 'home/loop/file.txt': '12345' });
      fs.symlinkSync('.', onDisk('home/loop/x'));
      fs.symlinkSync('.', onDisk('home/loop/y'));
    });

    it('dir size terminates with a bounded answer', async function () {
      const done = await runTask(sim, sid, 'DirSize', { path: '/home/loop' });
      assert.equal(done.success, true, JSON.stringify(done));
      assert.deepEqual(
        { num_dir: done.data.num_dir, num_file: done.data.num_file },
        { num_dir: 0, num_file: 3 },
      );
      assert.equal(done.data.total_size, 5 + 2 * fs.lstatSync(onDisk('home/loop/x')).size);
    });

    it('search terminates with each name once', async function () {
      const done = await runTask(sim, sid, 'Search', { folder_path: '/home/loop' });
      assert.equal(done.success, true, JSON.stringify(done));
      assert.deepEqual(done.data.files.map((file) => file.path).sort(), [
        '/home/loop/file.txt',
        '/home/loop/x',
        '/home/loop/y',
      ]);
    });

    it('a link inside its own share is still followed when addressed directly', async function () {
      const listing = ok(await call(sim, sid, 'List', 'list', { folder_path: '/home/loop/x/y' }));
      assert.deepEqual(listing.files.map((file) => file.name).sort(), ['file.txt', 'x', 'y']);
      const file = await download(sim, sid, { path: '/home/loop/x/file.txt' });
      assert.equal(file.bytes.toString(), '12345');
    });
  });
});
