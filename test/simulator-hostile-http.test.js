'use strict';

// Issue 6, defect 9: hostile HTTP gets a 4xx or a DSM error, never a 500; a refused body closes its
// connection; an upload is validated before anything is written; /sim/ answers local clients only.

const assert = require('node:assert/strict');
const crypto = require('node:crypto');
const fs = require('node:fs');
const http = require('node:http');
const path = require('node:path');
const { startSimulator } = require('../dist/simulator');

/** One HTTP exchange over the given agent; answers { status, headers, text, socket }. */
function request(url, { agent, method = 'GET', headers = {}, body, localAddress } = {}) {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { agent, method, headers, localAddress }, (res) => {
      const chunks = [];
      res.on('data', (chunk) => chunks.push(chunk));
      res.on('end', () =>
        resolve({
          status: res.statusCode,
          headers: res.headers,
          text: Buffer.concat(chunks).toString('utf8'),
          socket: req.socket,
        }),
      );
    });
    req.on('error', reject);
    req.end(body);
  });
}

async function login(sim) {
  const url = new URL('/webapi/entry.cgi', sim.url);
  url.search = new URLSearchParams({
    api: 'SYNO.API.Auth',
    version: '7',
    method: 'login',
    account: 'demo',
    passwd: 'synology',
    format: 'sid',
  }).toString();
  const body = await (await fetch(url)).json();
  assert.equal(body.success, true);
  return body.data.sid;
}

describe('DSM simulator against hostile HTTP', function () {
  let sim;
  let errors;
  let originalConsoleError;

  beforeEach(async function () {
    sim = await startSimulator();
    errors = [];
    originalConsoleError = console.error;
    console.error = (...args) => errors.push(args.map(String).join(' '));
  });

  afterEach(async function () {
    console.error = originalConsoleError;
    await sim.close();
  });

  describe('an upload with a bad time parameter', function () {
    for (const [field, value] of [
      ['mtime', 'yesterday'],
      ['atime', '1.5'],
      ['crtime', '{}'],
    ]) {
      it(`answers 120 for ${field}=${value} and stores nothing`, async function () {
        const sid = await login(sim);
        const answer = await upload(sim, sid, { path: '/home', [field]: value }, 'timed.txt', 'content');
        assert.deepEqual(JSON.parse(answer.text), { success: false, error: { code: 120 } });
        assert.equal(fs.existsSync(path.join(sim.dataDir, 'home', 'timed.txt')), false);
        assert.deepEqual(
          fs.readdirSync(path.join(sim.dataDir, 'home')).filter((name) => name !== 'README.txt'),
          [],
        );
      });
    }

    it('answers 120 for a bad create_parents before creating the folder', async function () {
      const sid = await login(sim);
      const answer = await upload(
        sim,
        sid,
        { path: '/home/new/deeper', create_parents: 'maybe' },
        'f.txt',
        'content',
      );
      assert.deepEqual(JSON.parse(answer.text), { success: false, error: { code: 120 } });
      assert.equal(fs.existsSync(path.join(sim.dataDir, 'home', 'new')), false);
    });
  });
});

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
  const url = `${sim.url}/webapi/entry.cgi?api=SYNO.FileStation.Upload&version=2&method=upload&_sid=${sid}`;
  return request(url, {
    method: 'POST',
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}`, 'content-length': body.length },
    body,
  });
}
