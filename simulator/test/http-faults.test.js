'use strict';
// The `status` fault: an HTTP error page (a gateway's 502, a proxy's 503) in place of DSM's JSON answer, before the
// request is performed or after it (the work done, the answer lost), for every kind of request.

const assert = require('node:assert/strict');
const crypto = require('node:crypto');
const fs = require('node:fs');
const http = require('node:http');
const path = require('node:path');
const { startSimulator } = require('..');

/**
 * One /webapi request over node:http (keep-alive): GET with the params in the query, or POST with `body` and
 * `contentType` (the api params stay in the query, as uploads send them). Answers { status, headers, text }.
 */
function send(sim, cgi, params, { body, contentType } = {}) {
  const url = new URL(`/webapi/${cgi}`, sim.url);
  url.search = new URLSearchParams(params).toString();
  const headers = body === undefined ? {} : { 'Content-Type': contentType, 'Content-Length': body.length };
  const agent = new http.Agent({ keepAlive: true });
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: body === undefined ? 'GET' : 'POST', headers, agent }, (res) => {
      const chunks = [];
      res.on('data', (chunk) => chunks.push(chunk));
      res.on('end', () => {
        agent.destroy();
        resolve({
          status: res.statusCode,
          headers: res.headers,
          text: Buffer.concat(chunks).toString('utf8'),
        });
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}

function json(response) {
  assert.equal(response.status, 200, response.text);
  return JSON.parse(response.text);
}

/** A web server's error page: the status, text/html, a page that names the status, no DSM JSON. */
function assertErrorPage(response, status, title) {
  assert.equal(response.status, status);
  assert.equal(response.headers['content-type'], 'text/html');
  assert.match(response.text, new RegExp(`<title>${status} ${title}</title>`));
  assert.throws(() => JSON.parse(response.text));
}

function uploadBody(folder, name, content) {
  const boundary = `----synosim${crypto.randomBytes(8).toString('hex')}`;
  const body = Buffer.concat([
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="path"\r\n\r\n${folder}\r\n` +
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\n` +
        'Content-Type: application/octet-stream\r\n\r\n',
    ),
    content,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return { body, contentType: `multipart/form-data; boundary=${boundary}` };
}

describe('DSM simulator: HTTP status faults', function () {
  let sim;
  let sid;
  const methods = () => sim.control.counters().methods;
  const onDisk = (relative) => path.join(sim.dataDir, relative);
  const fileStation = (api, method, params = {}, version = 2) =>
    send(sim, 'entry.cgi', { api: `SYNO.FileStation.${api}`, version, method, _sid: sid, ...params });
  const upload = (name, content = Buffer.from('hello')) =>
    send(
      sim,
      'entry.cgi',
      { api: 'SYNO.FileStation.Upload', version: 2, method: 'upload', _sid: sid },
      uploadBody('/home', name, content),
    );
  const createTask = (uri) =>
    send(sim, 'DownloadStation/task.cgi', {
      api: 'SYNO.DownloadStation.Task',
      version: 1,
      method: 'create',
      uri,
      _sid: sid,
    });
  const tasks = async () =>
    json(
      await send(sim, 'DownloadStation/task.cgi', {
        api: 'SYNO.DownloadStation.Task',
        version: 1,
        method: 'list',
        additional: 'detail',
        _sid: sid,
      }),
    ).data.tasks;

  beforeEach(async function () {
    sim = await startSimulator();
    const login = await send(sim, 'entry.cgi', {
      api: 'SYNO.API.Auth',
      version: 7,
      method: 'login',
      account: 'demo',
      passwd: 'synology',
      format: 'sid',
    });
    sid = json(login).data.sid;
  });

  afterEach(async function () {
    await sim.close();
  });

  describe('validation', function () {
    const refused = [
      [{ status: 502, code: 119 }, /one of code, reset or status, not code and status/],
      [{ status: 502, reset: true }, /one of code, reset or status, not reset and status/],
      [{ status: 399 }, /Invalid fault status \(an HTTP status from 400 to 599\): 399/],
      [{ status: 600 }, /Invalid fault status .*: 600/],
      [{ status: 502.5 }, /Invalid fault status .*: 502.5/],
      [{ status: '502' }, /Invalid fault status .*: "502"/],
      [{ code: 119, retryAfterS: 5 }, /retryAfterS only with status/],
      [{ status: 503, retryAfterS: -1 }, /Invalid fault retryAfterS: -1/],
    ];
    for (const [spec, reason] of refused) {
      it(`refuses ${JSON.stringify(spec)} in process and over /sim/ (400 naming the field)`, async function () {
        assert.throws(
          () => sim.control.injectFault(spec),
          (err) => err instanceof TypeError && reason.test(err.message),
        );
        const response = await fetch(new URL('/sim/faults', sim.url), {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify(spec),
        });
        assert.equal(response.status, 400);
        assert.match((await response.json()).error, reason);
        assert.deepEqual(sim.control.pendingFaults(), []);
      });
    }

    it('takes 400-599 (429, 408 too) and lists the fault with its status', async function () {
      for (const status of [400, 408, 429, 500, 502, 503, 504, 599]) sim.control.injectFault({ status });
      sim.control.injectFault({ status: 503, retryAfterS: 0 });
      assert.deepEqual(
        sim.control.pendingFaults().map((fault) => fault.status),
        [400, 408, 429, 500, 502, 503, 504, 599, 503],
      );
    });
  });

  describe('before: nothing is done', function () {
    it('CreateFolder: 502 page, the folder not created; counted, consumed, logged', async function () {
      sim.control.injectFault({ api: 'SYNO.FileStation.CreateFolder', status: 502 });
      const params = { folder_path: '/home', name: 'made' };
      const answer = await fileStation('CreateFolder', 'create', params);
      assertErrorPage(answer, 502, 'Bad Gateway');
      // A gateway keeps the connection open (HA #135289: Connection: keep-alive with the 502).
      assert.notEqual(answer.headers.connection, 'close');
      assert.equal(fs.existsSync(onDisk('home/made')), false);
      assert.equal(methods()['SYNO.FileStation.CreateFolder.create'], 1);
      assert.deepEqual(sim.control.pendingFaults(), []);
      assert.equal(sim.control.requestLog().at(-1).httpStatus, 502);

      assert.equal(json(await fileStation('CreateFolder', 'create', params)).success, true);
      assert.equal(fs.existsSync(onDisk('home/made')), true);
      assert.equal(methods()['SYNO.FileStation.CreateFolder.create'], 2);
    });

    it('Upload: 502 page with Connection: close (the body was not read), no file', async function () {
      sim.control.injectFault({ api: 'SYNO.FileStation.Upload', status: 502 });
      const answer = await upload('a.txt');
      assertErrorPage(answer, 502, 'Bad Gateway');
      assert.equal(answer.headers.connection, 'close');
      assert.equal(fs.existsSync(onDisk('home/a.txt')), false);
      assert.equal(methods()['SYNO.FileStation.Upload.upload'], 1);
    });

    it('Download: 503 page with Retry-After, no file bytes', async function () {
      fs.writeFileSync(onDisk('home/d.txt'), 'the file');
      sim.control.injectFault({ api: 'SYNO.FileStation.Download', status: 503, retryAfterS: 30 });
      const answer = await fileStation('Download', 'download', { path: '/home/d.txt', mode: 'download' });
      assertErrorPage(answer, 503, 'Service Unavailable');
      assert.equal(answer.headers['retry-after'], '30');
      assert.doesNotMatch(answer.text, /the file/);
      assert.equal(
        (await fileStation('Download', 'download', { path: '/home/d.txt', mode: 'download' })).text,
        'the file',
      );
    });

    it('DownloadStation.Task create: 503 page, no task', async function () {
      sim.control.injectFault({ api: 'SYNO.DownloadStation.Task', method: 'create', status: 503 });
      assertErrorPage(await createTask('https://example.com/a.iso'), 503, 'Service Unavailable');
      assert.deepEqual(await tasks(), []);
      assert.equal(methods()['SYNO.DownloadStation.Task.create'], 1);
    });

    it('count: hits that many requests, then DSM answers again', async function () {
      sim.control.injectFault({ api: 'SYNO.FileStation.List', method: 'list_share', status: 429, count: 2 });
      assertErrorPage(await fileStation('List', 'list_share'), 429, 'Too Many Requests');
      assert.equal(sim.control.pendingFaults()[0].remaining, 1);
      assertErrorPage(await fileStation('List', 'list_share'), 429, 'Too Many Requests');
      assert.equal(json(await fileStation('List', 'list_share')).success, true);
      assert.equal(methods()['SYNO.FileStation.List.list_share'], 3);
    });
  });

  describe("when: 'after': done, then the answer replaced", function () {
    it('CreateFolder: the folder exists, the answer is a 502 page', async function () {
      sim.control.injectFault({ api: 'SYNO.FileStation.CreateFolder', status: 502, when: 'after' });
      assertErrorPage(
        await fileStation('CreateFolder', 'create', { folder_path: '/home', name: 'made' }),
        502,
        'Bad Gateway',
      );
      assert.equal(fs.statSync(onDisk('home/made')).isDirectory(), true);
      assert.equal(sim.control.requestLog().at(-1).httpStatus, 502);
    });

    it('Upload: the file is stored (its body read), the answer is a 502 page on a kept connection', async function () {
      sim.control.injectFault({ api: 'SYNO.FileStation.Upload', status: 502, when: 'after' });
      const answer = await upload('b.txt', Buffer.from('stored'));
      assertErrorPage(answer, 502, 'Bad Gateway');
      assert.notEqual(answer.headers.connection, 'close');
      assert.equal(fs.readFileSync(onDisk('home/b.txt'), 'utf8'), 'stored');
    });

    it('Download: a 502 page instead of the file', async function () {
      fs.writeFileSync(onDisk('home/d.txt'), 'the file');
      sim.control.injectFault({ api: 'SYNO.FileStation.Download', status: 502, when: 'after' });
      const answer = await fileStation('Download', 'download', { path: '/home/d.txt', mode: 'download' });
      assertErrorPage(answer, 502, 'Bad Gateway');
      assert.doesNotMatch(answer.text, /the file/);
    });

    it('DownloadStation.Task create: the task exists, the answer is a 502 page', async function () {
      sim.control.injectFault({
        api: 'SYNO.DownloadStation.Task',
        method: 'create',
        status: 502,
        when: 'after',
      });
      assertErrorPage(await createTask('https://example.com/b.iso'), 502, 'Bad Gateway');
      const created = await tasks();
      assert.equal(created.length, 1);
      assert.equal(created[0].additional.detail.uri, 'https://example.com/b.iso');
    });
  });
});
