'use strict';

// Issue 6, defect 9: hostile HTTP gets a 4xx or a DSM error, never a 500; a refused body closes its
// connection; an upload is validated before anything is written; /sim/ answers local clients only.

const assert = require('node:assert/strict');
const crypto = require('node:crypto');
const fs = require('node:fs');
const http = require('node:http');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');
const { spawn } = require('node:child_process');
const { startSimulator } = require('..');
const { demoSid: login } = require('./support/login');

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

/** The first IPv4 address of this machine that is not loopback, if any. */
function externalIPv4() {
  for (const addresses of Object.values(os.networkInterfaces())) {
    for (const address of addresses ?? []) {
      if (address.family === 'IPv4' && !address.internal) return address.address;
    }
  }
  return undefined;
}

function listShareUrl(sim, extra = '') {
  return `${sim.url}/webapi/entry.cgi?api=SYNO.FileStation.List&version=2&method=list_share${extra}`;
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

  describe('bad percent-encoding', function () {
    it('in the session cookie answers DSM JSON 119 (no session), not HTTP 500', async function () {
      const answer = await request(listShareUrl(sim), { headers: { cookie: 'id=%E0%A4%A; other=%' } });
      assert.equal(answer.status, 200);
      assert.deepEqual(JSON.parse(answer.text), { success: false, error: { code: 119 } });
      assert.deepEqual(errors, []);
    });

    it('in the session cookie of a logged-in client does not hide its valid _sid', async function () {
      const sid = await login(sim);
      const answer = await request(listShareUrl(sim, `&_sid=${sid}`), { headers: { cookie: 'x=%zz; id=%' } });
      assert.equal(JSON.parse(answer.text).success, true, answer.text);
      assert.deepEqual(errors, []);
    });

    it('in a /sim/ path answers 400 with a JSON reason, not HTTP 500', async function () {
      const answer = await request(`${sim.url}/sim/totp/%E0%A4%A`);
      assert.equal(answer.status, 400);
      assert.match(JSON.parse(answer.text).error, /percent-encoding/i);
      assert.deepEqual(errors, []);
    });

    it('in a query or a form body is taken verbatim (DSM JSON answer, no 500)', async function () {
      const query = await request(`${listShareUrl(sim)}&_sid=%E0%A4%A&offset=%`);
      assert.equal(query.status, 200);
      assert.deepEqual(JSON.parse(query.text), { success: false, error: { code: 119 } });
      const form = await request(`${sim.url}/webapi/entry.cgi`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: 'api=SYNO.FileStation.List&version=2&method=list_share&_sid=%E0%A4%A%',
      });
      assert.equal(form.status, 200);
      assert.deepEqual(JSON.parse(form.text), { success: false, error: { code: 119 } });
      assert.deepEqual(errors, []);
    });

    it('a request target that is no URL at all (//[) answers 400, not HTTP 500', async function () {
      const answer = await rawRequest(sim, 'GET //[ HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
      assert.match(answer, /^HTTP\/1\.1 400 /);
      assert.deepEqual(errors, []);
    });
  });

  describe('a form body over the limit', function () {
    it('answers 413 with Connection: close and closes; the next call on a new connection works', async function () {
      const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
      try {
        const url = `${sim.url}/webapi/entry.cgi`;
        const big = await request(url, {
          agent,
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: `api=SYNO.API.Info&a=${'x'.repeat(1536 * 1024)}`,
        });
        assert.equal(big.status, 413);
        assert.equal(big.headers.connection, 'close');
        const next = await request(`${sim.url}/webapi/query.cgi?api=SYNO.API.Info&version=1&method=query`, {
          agent,
        });
        assert.equal(next.status, 200);
        assert.equal(JSON.parse(next.text).success, true);
        assert.notEqual(next.socket, big.socket);
      } finally {
        agent.destroy();
      }
    });
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

  describe('the /sim/ control surface from another host', function () {
    it('tells loopback addresses from the others', function () {
      const { isLoopbackAddress } = require('../dist/control-access');
      for (const address of ['127.0.0.1', '127.8.9.10', '::1', '::ffff:127.0.0.1', '0:0:0:0:0:0:0:1']) {
        assert.equal(isLoopbackAddress(address), true, address);
      }
      for (const address of ['192.0.2.2', '::ffff:192.0.2.2', 'fd00::2', '10.0.0.127', '', undefined]) {
        assert.equal(isLoopbackAddress(address), false, String(address));
      }
    });

    it('is refused with 403 and how to allow it, unless allowRemoteControl; /webapi/ still answers', async function () {
      const localAddress = externalIPv4();
      if (!localAddress) this.skip();
      const refused = await request(`${sim.url}/sim/counters`, { localAddress });
      assert.equal(refused.status, 403);
      const reason = JSON.parse(refused.text).error;
      assert.match(reason, /allowRemoteControl: true/);
      assert.match(reason, /--allow-remote-control/);
      const injected = await request(`${sim.url}/sim/faults`, {
        localAddress,
        method: 'POST',
        body: JSON.stringify({ code: 119, count: 5 }),
      });
      assert.equal(injected.status, 403);
      assert.deepEqual(sim.control.pendingFaults(), []);
      const dsm = await request(`${sim.url}/webapi/query.cgi?api=SYNO.API.Info&version=1&method=query`, {
        localAddress,
      });
      assert.equal(JSON.parse(dsm.text).success, true);
      assert.equal((await request(`${sim.url}/sim/counters`)).status, 200);

      const open = await startSimulator({ allowRemoteControl: true });
      try {
        const allowed = await request(`${open.url}/sim/counters`, { localAddress });
        assert.equal(allowed.status, 200);
        assert.equal(typeof JSON.parse(allowed.text).loginAttempts, 'number');
      } finally {
        await open.close();
      }
    });

    it('the bin passes --allow-remote-control through and documents it', async function () {
      const localAddress = externalIPv4();
      if (!localAddress) this.skip();
      for (const [flags, status] of [
        [[], 403],
        [['--allow-remote-control'], 200],
      ]) {
        const { url, stop } = await startBin(flags);
        try {
          assert.equal((await request(`${url}/sim/counters`, { localAddress })).status, status, flags.join());
        } finally {
          await stop();
        }
      }
      const help = await startBin(['--help']).catch((error) => error.output);
      assert.match(help, /--allow-remote-control/);
    });
  });
});

/** Runs the bin on a free port; answers its URL and a stop function (rejects with .output if it exits). */
function startBin(flags) {
  const bin = path.join(__dirname, '..', 'bin', 'synology-dsm-sim.js');
  const child = spawn(process.execPath, [bin, '--port', '0', ...flags], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  return new Promise((resolve, reject) => {
    let text = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk) => {
      text += chunk;
      const match = /listening on (http:\/\/[^ ]+)/.exec(text);
      if (match) {
        resolve({
          url: match[1],
          stop: async () => {
            child.kill('SIGTERM');
            await exited;
          },
        });
      }
    });
    child.once('exit', () => reject(Object.assign(new Error('bin exited'), { output: text })));
  });
}

/** Writes a raw request on a fresh socket and answers everything the server sent back. */
function rawRequest(sim, text) {
  return new Promise((resolve, reject) => {
    const socket = net.connect(sim.port, '127.0.0.1', () => socket.end(text));
    const chunks = [];
    socket.on('data', (chunk) => chunks.push(chunk));
    socket.on('end', () => resolve(Buffer.concat(chunks).toString('latin1')));
    socket.on('error', reject);
  });
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
  const url = `${sim.url}/webapi/entry.cgi?api=SYNO.FileStation.Upload&version=2&method=upload&_sid=${sid}`;
  return request(url, {
    method: 'POST',
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}`, 'content-length': body.length },
    body,
  });
}
