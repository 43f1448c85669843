'use strict';
// HTTP 502/503 in place of DSM's answer (DSM's nginx while its API restarts, a reverse proxy in front of it): one
// error that says so, nothing sent again (a 502 may come after DSM did the work), the connection that carried it
// not reused, the session kept.
const assert = require('node:assert/strict');
const fs = require('node:fs');
const net = require('node:net');
const path = require('node:path');
const { DsmClient, DsmError, DownloadStation, FileStation } = require('../dist');
const { parseRetryAfter } = require('../dist/dsm/transport');
const { helper, dsmNode, fileNodes, nodeFlow, nextMessage } = require('./support/node-red');
const { useSimulator, demo } = require('./support/sim');

const UPLOAD = 'SYNO.FileStation.Upload';
const COPY_MOVE = 'SYNO.FileStation.CopyMove';
const TASK_APIS = ['SYNO.DownloadStation.Task', 'SYNO.DownloadStation2.Task'];

/** A TCP relay in front of the simulator that counts the connections the client opens. */
async function connectionCounter(simUrl) {
  const target = new URL(simUrl);
  const sockets = new Set();
  const relay = { connections: 0 };
  const server = net.createServer((socket) => {
    relay.connections += 1;
    const upstream = net.connect(Number(target.port), target.hostname);
    for (const [a, b] of [
      [socket, upstream],
      [upstream, socket],
    ]) {
      sockets.add(a);
      a.pipe(b);
      a.on('error', () => b.destroy());
      a.on('close', () => b.destroy());
    }
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  relay.url = `http://127.0.0.1:${server.address().port}`;
  relay.close = () => {
    for (const socket of sockets) socket.destroy();
    return new Promise((resolve) => server.close(resolve));
  };
  return relay;
}

async function rejectsWith(promise, check) {
  await assert.rejects(promise, (err) => {
    assert.ok(err instanceof DsmError, String(err));
    check(err);
    return true;
  });
}

describe('HTTP 502/503 from the NAS web server or a proxy (client)', function () {
  const ref = useSimulator({ profile: 'dsm7' });
  let client;
  let files;
  const sim = () => ref.sim;
  const counters = () => sim().control.counters();
  const calls = (apiMethod) => counters().methods[apiMethod] ?? 0;
  const onDisk = (dsmPath) => path.join(sim().dataDir, ...dsmPath.split('/').filter(Boolean));

  beforeEach(async () => {
    client = new DsmClient({ url: sim().url, username: demo.username, password: demo.password });
    files = new FileStation(client);
    await files.createFolder('/home/hf', { createParents: true });
    sim().control.clearFaults();
    sim().control.resetCounters();
  });
  afterEach(async () => {
    await client.close();
    fs.rmSync(onDisk('/home/hf'), { recursive: true, force: true });
  });

  for (const when of ['before', 'after']) {
    it(`upload (a Buffer, which could be sent again) meets a 502 ${when}: one HTTP_502 error, one request`, async function () {
      sim().control.injectFault({ api: UPLOAD, method: 'upload', status: 502, when });
      await rejectsWith(files.upload(Buffer.from('once'), { folder: '/home/hf', name: 'u.txt' }), (err) => {
        assert.equal(err.kind, 'http');
        assert.equal(err.code, 'HTTP_502');
        assert.equal(err.api, UPLOAD);
        assert.match(err.message, /HTTP 502 from \/webapi\/entry\.cgi/);
        assert.match(err.hint, /starts or restarts.*not sent again/);
      });
      assert.equal(calls(`${UPLOAD}.upload`), 1);
      assert.equal(fs.existsSync(onDisk('/home/hf/u.txt')), when === 'after');
      // The session survives: the next call works without a login.
      assert.equal((await files.list('/home/hf')).length, when === 'after' ? 1 : 0);
      assert.equal(counters().loginSuccesses, 0);
    });

    it(`move meets a 502 ${when} CopyMove.start: one error, one start, the file moved ${when === 'after' ? 'once' : 'never'}`, async function () {
      await files.createFolder('/home/hf/dest');
      await files.upload(Buffer.from('m'), { folder: '/home/hf', name: 'm.txt' });
      sim().control.resetCounters();
      sim().control.injectFault({ api: COPY_MOVE, method: 'start', status: 502, when });
      await rejectsWith(files.move('/home/hf/m.txt', '/home/hf/dest'), (err) => {
        assert.equal(err.code, 'HTTP_502');
        assert.equal(err.api, COPY_MOVE);
        assert.equal(err.method, 'start');
      });
      assert.equal(calls(`${COPY_MOVE}.start`), 1);
      if (when === 'after') {
        // DSM's background task goes on without the client.
        for (let i = 0; i < 100 && fs.existsSync(onDisk('/home/hf/m.txt')); i++)
          await new Promise((resolve) => setTimeout(resolve, 20));
      }
      assert.equal(fs.existsSync(onDisk('/home/hf/m.txt')), when === 'before');
      assert.equal(fs.existsSync(onDisk('/home/hf/dest/m.txt')), when === 'after');
      assert.equal(calls(`${COPY_MOVE}.start`), 1);
      assert.equal(counters().loginSuccesses, 0);
    });

    it(`Download Station create meets a 502 ${when}: one error, one create, ${when === 'after' ? 'one task' : 'no task'}`, async function () {
      const ds = new DownloadStation(client);
      await ds.delete('all');
      sim().control.resetCounters();
      for (const api of TASK_APIS) sim().control.injectFault({ api, method: 'create', status: 502, when });
      const uri = `https://example.com/http-faults/${when}.iso`;
      await rejectsWith(ds.create(uri, { destination: 'downloads' }), (err) => {
        assert.equal(err.code, 'HTTP_502');
        assert.match(err.api, /^SYNO\.DownloadStation2?\.Task$/);
      });
      const creates = TASK_APIS.reduce((n, api) => n + calls(`${api}.create`), 0);
      assert.equal(creates, 1);
      const tasks = (await ds.list()).filter((task) => task.uri === uri);
      assert.equal(tasks.length, when === 'after' ? 1 : 0);
      assert.equal(counters().loginSuccesses, 0);
    });
  }

  it('a list meets a 503: HTTP_503 that says overloaded or maintenance, no retryAfterSeconds without Retry-After', async function () {
    sim().control.injectFault({ api: 'SYNO.FileStation.List', method: 'list', status: 503 });
    await rejectsWith(files.list('/home'), (err) => {
      assert.equal(err.kind, 'http');
      assert.equal(err.code, 'HTTP_503');
      assert.equal(err.message, 'SYNO.FileStation.List.list: HTTP 503 from /webapi/entry.cgi');
      assert.match(err.hint, /overloaded or in maintenance: try again later\.$/);
      assert.equal(err.details, undefined);
    });
    assert.equal(calls('SYNO.FileStation.List.list'), 1);
    assert.ok(Array.isArray(await files.list('/home')));
  });

  it('a 503 with Retry-After: 30 gives details.retryAfterSeconds 30 and says so in the hint', async function () {
    sim().control.injectFault({ api: 'SYNO.FileStation.List', method: 'list', status: 503, retryAfterS: 30 });
    await rejectsWith(files.list('/home'), (err) => {
      assert.deepEqual(err.details, { retryAfterSeconds: 30 });
      assert.match(err.hint, /The server asks to wait 30 s\.$/);
      assert.deepEqual(err.toJSON().details, { retryAfterSeconds: 30 });
    });
    assert.equal(calls('SYNO.FileStation.List.list'), 1);
  });

  it('a download meets a 502: HTTP_502, no bytes, nothing sent again', async function () {
    fs.writeFileSync(onDisk('/home/hf/d.txt'), 'content');
    sim().control.injectFault({ api: 'SYNO.FileStation.Download', status: 502 });
    await rejectsWith(files.download('/home/hf/d.txt', { buffer: true }), (err) =>
      assert.equal(err.code, 'HTTP_502'),
    );
    assert.equal(calls('SYNO.FileStation.Download.download'), 1);
  });

  it('Retry-After as seconds or an HTTP date; anything else is left out', function () {
    const now = Date.parse('2026-01-01T00:00:00Z');
    assert.equal(parseRetryAfter('120', now), 120);
    assert.equal(parseRetryAfter(' 0 ', now), 0);
    assert.equal(parseRetryAfter('Thu, 01 Jan 2026 00:01:30 GMT', now), 90);
    assert.equal(parseRetryAfter('Wed, 31 Dec 2025 23:00:00 GMT', now), 0);
    for (const bad of [undefined, '', '-1', '1.5', 'soon', '1e3', ['5']])
      assert.equal(parseRetryAfter(bad, now), undefined);
  });
});

describe('HTTP 502: the connection that carried it is not reused', function () {
  const ref = useSimulator({ profile: 'dsm7' });
  let relay;
  let client;
  beforeEach(async () => {
    relay = await connectionCounter(ref.sim.url);
    client = new DsmClient({ url: relay.url, username: demo.username, password: demo.password });
  });
  afterEach(async () => {
    await client.close();
    await relay.close();
  });

  it('calls share one keep-alive connection; after a 502 (kept open by the server) the next call opens a new one, without a login', async function () {
    const files = new FileStation(client);
    await files.listShares();
    await files.listShares();
    assert.equal(relay.connections, 1, 'keep-alive: one connection for login and calls');
    const logins = ref.sim.control.counters().loginSuccesses;
    ref.sim.control.injectFault({ api: 'SYNO.FileStation.List', method: 'list_share', status: 502 });
    await rejectsWith(files.listShares(), (err) => assert.equal(err.code, 'HTTP_502'));
    assert.equal(ref.sim.control.requestLog().at(-1).httpStatus, 502);
    assert.ok((await files.listShares()).length > 0);
    assert.equal(relay.connections, 2, 'the 502 connection retired');
    assert.equal(ref.sim.control.counters().loginSuccesses, logins, 'no new login');
  });
});

describe('HTTP 502 reaches Catch nodes (node)', function () {
  const ref = useSimulator({ profile: 'dsm7' });
  afterEach(() => helper.unload());

  it('an upload node whose upload met a 502 after DSM stored the file: one Catch msg with HTTP_502 and the hint, no output', async function () {
    const flow = nodeFlow(ref.sim, {
      type: 'synology-file-upload',
      folder: '/home/hf-node',
      folderType: 'str',
      filename: 'n.txt',
      filenameType: 'str',
      source: 'payload',
      overwrite: 'error',
      createParents: true,
    });
    await helper.load([dsmNode, ...fileNodes], flow, {
      dsm: { username: demo.username, password: demo.password },
    });
    const [n1, out, caught] = ['n1', 'out', 'caught'].map((id) => helper.getNode(id));
    const outputs = [];
    out.on('input', (msg) => outputs.push(msg));
    ref.sim.control.injectFault({ api: UPLOAD, method: 'upload', status: 502, when: 'after' });
    const next = nextMessage(caught);
    n1.receive({ payload: 'node' });
    const msg = await next;
    assert.equal(msg.error.code, 'HTTP_502');
    assert.equal(msg.error.cause.kind, 'http');
    assert.match(msg.error.message, /HTTP 502 .*The call may have been done: it was not sent again\.$/);
    assert.equal(ref.sim.control.counters().methods[`${UPLOAD}.upload`], 1);
    assert.equal(fs.readFileSync(path.join(ref.sim.dataDir, 'home', 'hf-node', 'n.txt'), 'utf8'), 'node');
    assert.deepEqual(outputs, []);
  });
});
