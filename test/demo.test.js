'use strict';
const assert = require('node:assert/strict');
const fs = require('node:fs');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');
const { spawn } = require('node:child_process');
const WebSocket = require('ws');
const { DsmClient, DownloadStation, CloudSync, FileStation } = require('../dist');
const { demo } = require('./support/sim');

const freePort = () =>
  new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });

const examples = fs
  .readdirSync(path.join(__dirname, '..', 'examples'))
  .filter((f) => f.endsWith('.json'))
  .flatMap((f) => JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'examples', f), 'utf8')));

describe('npm start (the demo)', function () {
  this.timeout(60000);
  let child;
  let editorPort;
  let dir;
  let dataDir;
  let simPort;
  let feedPort;

  /** Starts `scripts/demo.js` (with `args`) on this file's ports and folder; resolves once Node-RED is up. */
  async function startDemo(args = []) {
    let output = '';
    child = spawn(process.execPath, [path.join(__dirname, '..', 'scripts', 'demo.js'), ...args], {
      env: {
        ...process.env,
        DEMO_DIR: path.join(dir, 'node-red'),
        DEMO_PORT: String(editorPort),
        DEMO_SIM_PORT: String(simPort),
        DEMO_FEED_PORT: String(feedPort),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    await new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`demo did not start:\n${output}`)), 45000);
      child.stdout.on('data', () => {
        if (/Demo ready/.test(output)) {
          clearTimeout(timer);
          resolve();
        }
      });
      child.once('exit', (code) => reject(new Error(`demo exited ${code}:\n${output}`)));
    });
    return () => output;
  }

  /** Stops the demo as Ctrl+C does (Node-RED writes nothing more after it). */
  async function stopDemo() {
    if (child && child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
  }

  before(async function () {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'synoflow-demo-'));
    dataDir = path.join(dir, 'node-red', 'nas');
    editorPort = await freePort();
    simPort = await freePort();
    feedPort = await freePort();
    await startDemo();
  });

  after(async function () {
    await stopDemo();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('serves the editor', async function () {
    const res = await fetch(`http://127.0.0.1:${editorPort}/`);
    assert.equal(res.status, 200);
    assert.match(await res.text(), /Node-RED/);
  });

  it('has our node types loaded and the example flows deployed', async function () {
    const nodes = await (
      await fetch(`http://127.0.0.1:${editorPort}/nodes`, { headers: { Accept: 'application/json' } })
    ).json();
    const types = nodes.flatMap((set) => set.types);
    assert.ok(types.includes('synology-dsm'));
    for (const type of [
      'synology-api',
      'synology-download-create',
      'synology-download-task',
      'synology-watch',
      'feedparse',
    ])
      assert.ok(types.includes(type), type);
    const flows = await (await fetch(`http://127.0.0.1:${editorPort}/flows`)).json();
    const deployed = new Set(flows.map((n) => n.id));
    for (const node of examples) assert.ok(deployed.has(node.id), `${node.type} ${node.id} is deployed`);
  });

  it('shows the API nodes connected (green) to the simulator', async function () {
    const apiIds = examples.filter((n) => n.type === 'synology-api').map((n) => n.id);
    const ws = new WebSocket(`ws://127.0.0.1:${editorPort}/comms`);
    const statuses = new Map();
    try {
      await new Promise((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`no green status; got ${JSON.stringify([...statuses])}`)),
          20000,
        );
        ws.on('open', () => ws.send(JSON.stringify({ subscribe: 'status/#' })));
        ws.on('message', (raw) => {
          for (const { topic, data } of [].concat(JSON.parse(raw.toString()))) {
            if (!topic.startsWith('status/')) continue;
            statuses.set(topic.slice(7), data);
            if (apiIds.every((id) => statuses.get(id)?.fill === 'green')) {
              clearTimeout(timer);
              resolve();
            }
          }
        });
        ws.on('error', reject);
      });
    } finally {
      ws.close();
    }
  });

  /** Runs `action` and returns the next `count` debug msgs from the debug node named `name`. */
  async function debugAfter(action, name, count = 1) {
    const ws = new WebSocket(`ws://127.0.0.1:${editorPort}/comms`);
    try {
      const got = new Promise((resolve, reject) => {
        const seen = [];
        const timer = setTimeout(
          () => reject(new Error(`${seen.length} of ${count} debug msgs from "${name}"`)),
          20000,
        );
        ws.on('message', (raw) => {
          for (const { topic, data } of [].concat(JSON.parse(raw.toString()))) {
            if (topic === 'debug' && data.name === name) seen.push(data);
            if (seen.length === count) {
              clearTimeout(timer);
              resolve(seen);
            }
          }
        });
      });
      await new Promise((resolve) => ws.on('open', resolve));
      ws.send(JSON.stringify({ subscribe: 'debug' }));
      await action();
      return await got;
    } finally {
      ws.close();
    }
  }

  /** Presses an inject button and returns the next debug msg from the debug node named `name`. */
  async function injectAndWaitForDebug(injectId, name, count = 1) {
    const msgs = await debugAfter(
      async () => {
        const res = await fetch(`http://127.0.0.1:${editorPort}/inject/${injectId}`, { method: 'POST' });
        assert.equal(res.status, 200);
      },
      name,
      count,
    );
    return count === 1 ? msgs[0] : msgs;
  }

  /** The demo account's Download Station tasks, read from the demo's simulator. */
  async function demoTasks() {
    const client = new DsmClient({
      url: `http://127.0.0.1:${simPort}`,
      username: demo.username,
      password: demo.password,
    });
    try {
      return await new DownloadStation(client).list();
    } finally {
      await client.close();
    }
  }

  const simControl = async (route, body) => {
    const res = await fetch(`http://127.0.0.1:${simPort}/sim/${route}`, {
      method: body ? 'POST' : 'GET',
      headers: { 'Content-Type': 'application/json' },
      body: body ? JSON.stringify(body) : undefined,
    });
    assert.equal(res.status, 200, route);
    return res.json();
  };

  it('nightly cleanup example: a dry run lists the old snapshots and deletes nothing', async function () {
    const debug = await injectAndWaitForDebug('7b2e1d3c4a5f6002', 'cleanup result');
    const payload = JSON.parse(debug.msg);
    assert.equal(payload.dryRun, true);
    assert.deepEqual(payload.wouldDelete.map((e) => e.name).sort(), [
      'snapshot-31-days-old.jpg',
      'snapshot-40-days-old.jpg',
      'snapshot-45-days-old.jpg',
    ]);
    assert.equal(fs.readdirSync(path.join(dataDir, 'home', 'camera')).length, 5);
  });

  it('sensor snapshot example: fetches an image and uploads it under a timestamped name', async function () {
    const debug = await injectAndWaitForDebug('8c3f2e4d5b6a7002', 'uploaded');
    const payload = JSON.parse(debug.msg);
    assert.match(payload.path, /^\/photo\/snapshots\/\d{4}-\d{2}-\d{2}_\d{2}-\d{2}-\d{2}-\d{3}\.jpg$/);
    const saved = path.join(dataDir, ...payload.path.split('/').filter(Boolean));
    assert.ok(fs.statSync(saved).size > 100);
  });

  it('RSS example: the matching feed items become tasks in downloads/tv; a second poll creates nothing', async function () {
    let tasks = [];
    // The feed node polls once when the flow starts; wait (up to 20 s) for its two items to reach Download Station.
    for (let i = 0; i < 80 && tasks.length < 2; i++) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      tasks = await demoTasks();
    }
    assert.deepEqual(tasks.map((t) => [t.uri, t.destination]).sort(), [
      ['https://downloads.example.com/demo-show/s01e01.mkv', 'downloads/tv'],
      [
        'magnet:?xt=urn:btih:c9e15763f722f23e98a29decdfae341b98d53056&dn=demo-show-s01e02.mkv',
        'downloads/tv',
      ],
    ]);
    const createsBefore = (await simControl('counters')).methods['SYNO.DownloadStation.Task.create'];
    // A redeploy makes the feed node forget what it saw: the next poll sends both items again.
    const results = await debugAfter(
      async () => {
        const flows = await (await fetch(`http://127.0.0.1:${editorPort}/flows`)).json();
        const res = await fetch(`http://127.0.0.1:${editorPort}/flows`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', 'Node-RED-Deployment-Type': 'reload' },
          body: JSON.stringify(flows),
        });
        assert.equal(res.status, 204);
      },
      'rss downloads',
      2,
    );
    const payloads = results.map((r) => JSON.parse(r.msg));
    assert.deepEqual(
      payloads.map((p) => p.created),
      [[], []],
    );
    assert.deepEqual(
      payloads.flatMap((p) => p.skipped.map((s) => s.id)).sort(),
      tasks.map((t) => t.id).sort(),
    );
    assert.equal((await simControl('counters')).methods['SYNO.DownloadStation.Task.create'], createsBefore);
    assert.equal((await demoTasks()).length, 2);
  });

  it('Cloud Sync office hours example: 08:00 pauses every connection, 18:00 resumes them', async function () {
    const client = new DsmClient({
      url: `http://127.0.0.1:${simPort}`,
      username: demo.username,
      password: demo.password,
    });
    try {
      const cs = new CloudSync(client);
      const connections = await cs.connections();
      assert.ok(connections.length > 0);
      assert.ok(connections.every((c) => c.state !== 'paused'));
      const paused = JSON.parse(
        (await injectAndWaitForDebug('c5d1e2f3a4b56003', 'cloud sync office hours')).msg,
      );
      assert.equal(paused.action, 'pause');
      assert.equal(paused.all, true);
      assert.deepEqual(paused.connections.map((c) => c.id).sort(), connections.map((c) => c.id).sort());
      const during = await cs.overview();
      assert.equal(during.paused, true);
      assert.ok(during.connections.every((c) => c.state === 'paused'));
      const resumed = JSON.parse(
        (await injectAndWaitForDebug('c5d1e2f3a4b56005', 'cloud sync office hours')).msg,
      );
      assert.equal(resumed.action, 'resume');
      assert.equal(resumed.all, true);
      const after = await cs.overview();
      assert.equal(after.paused, false);
      assert.ok(after.connections.every((c) => c.state !== 'paused'));
    } finally {
      await client.close();
    }
  });

  /** Runs `action` and returns the debug msgs from the debug node `name` until one passes `done` (20 s at most). */
  async function debugUntil(action, name, done) {
    const ws = new WebSocket(`ws://127.0.0.1:${editorPort}/comms`);
    try {
      const got = new Promise((resolve, reject) => {
        const seen = [];
        const timer = setTimeout(
          () => reject(new Error(`no such debug msg from "${name}": ${JSON.stringify(seen)}`)),
          20000,
        );
        ws.on('message', (raw) => {
          for (const { topic, data } of [].concat(JSON.parse(raw.toString()))) {
            if (topic !== 'debug' || data.name !== name) continue;
            seen.push(data);
            if (done(data)) {
              clearTimeout(timer);
              resolve(seen);
            }
          }
        });
      });
      await new Promise((resolve) => ws.on('open', resolve));
      ws.send(JSON.stringify({ subscribe: 'debug' }));
      await action();
      return await got;
    } finally {
      ws.close();
    }
  }

  it('download finished example: the watch node tells a finished task once', async function () {
    const client = new DsmClient({
      url: `http://127.0.0.1:${simPort}`,
      username: demo.username,
      password: demo.password,
    });
    let id;
    try {
      ({
        created: [id],
      } = await new DownloadStation(client).create('https://downloads.example.com/demo/watched.iso', {
        destination: 'downloads',
      }));
    } finally {
      await client.close();
    }
    const text = 'watched.iso finished in downloads';
    const notes = await debugAfterPoll(
      async () => simControl('download-station/finish', { id }),
      'ae5b4a6f7d8c9002',
      'download finished',
      (d) => d.msg === text,
    );
    assert.equal(notes.filter((n) => n.msg === text).length, 1);
    assert.ok(fs.existsSync(path.join(dataDir, 'downloads', 'watched.iso')));
  });

  it('Cloud Sync errors example: the error entries of a failing connection become notifications', async function () {
    const text = /^Dropbox: upload of \/home\S* failed \(error -12\)$/;
    const notes = await debugAfterPoll(
      async () => {
        await simControl('cloud-sync/fail', { id: 1 });
        await simControl('clock', { advanceMs: 66_000 });
      },
      'bf6c5b7a8e9d0002',
      'cloud sync error',
      (d) => text.test(d.msg),
    );
    for (const note of notes) assert.match(note.msg, text);
  });

  it('NAS health alerts example: "break" degrades the volume and fails the backup, alerts follow; "repair" clears them', async function () {
    const press = (id) => async () => {
      const res = await fetch(`http://127.0.0.1:${editorPort}/inject/${id}`, { method: 'POST' });
      assert.equal(res.status, 200);
    };
    const allOf = (texts) => {
      const got = new Set();
      return (d) => got.add(d.msg) && texts.every((text) => got.has(text));
    };
    const broken = [
      'Backup "Nightly backup" failed: SYNO.SDS.Backup.Application:error:status_target_broken',
      'Volume /volume1: degrade (warning)',
    ];
    const alerts = await debugUntil(press('c8d2e4f6a1b30008'), 'nas alert', allOf(broken));
    assert.deepEqual(alerts.map((a) => a.msg).sort(), broken, 'each alert once');

    const repaired = ['Backup "Nightly backup" finished', 'Volume /volume1: normal, ok again'];
    const cleared = await debugUntil(press('c8d2e4f6a1b30009'), 'nas alert', allOf(repaired));
    assert.deepEqual(cleared.map((a) => a.msg).sort(), repaired);
  });

  /** Runs `action`, presses the example's "poll now" inject, and collects debug msgs until one passes `done`. */
  function debugAfterPoll(action, injectId, name, done) {
    return debugUntil(
      async () => {
        await action();
        const res = await fetch(`http://127.0.0.1:${editorPort}/inject/${injectId}`, { method: 'POST' });
        assert.equal(res.status, 200);
      },
      name,
      done,
    );
  }

  it('latest snapshot example: downloads the newest camera image, to the debug sidebar and over HTTP', async function () {
    const newest = path.join(dataDir, 'home', 'camera', 'snapshot-1-days-old.jpg');
    const debug = await injectAndWaitForDebug('e7a1b2c3d4e5f002', 'latest snapshot');
    const download = JSON.parse(debug.msg);
    assert.deepEqual(download.paths, ['/home/camera/snapshot-1-days-old.jpg']);
    assert.equal(download.name, 'snapshot-1-days-old.jpg');
    assert.equal(download.size, fs.statSync(newest).size);
    assert.equal(download.zip, false);
    const res = await fetch(`http://127.0.0.1:${editorPort}/latest-snapshot`);
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type'), /^image\/jpeg/);
    assert.deepEqual(Buffer.from(await res.arrayBuffer()), fs.readFileSync(newest));
  });

  it('downloads at night example: 08:00 pauses every task, 01:00 resumes them, and the list shows each one', async function () {
    const client = new DsmClient({
      url: `http://127.0.0.1:${simPort}`,
      username: demo.username,
      password: demo.password,
    });
    let id;
    try {
      ({
        created: [id],
      } = await new DownloadStation(client).create('https://downloads.example.com/demo/at-night.iso', {
        destination: 'downloads',
      }));
    } finally {
      await client.close();
    }
    const statusOf = async () => (await demoTasks()).find((t) => t.id === id).status;
    assert.notEqual(await statusOf(), 'paused');

    const paused = JSON.parse((await injectAndWaitForDebug('4e6d9039a828c003', 'downloads at night')).msg);
    assert.ok(paused.done.includes(id), JSON.stringify(paused));
    assert.equal(await statusOf(), 'paused');
    const lines = JSON.parse((await injectAndWaitForDebug('4e6d9039a828c008', 'downloads')).msg);
    assert.ok(lines.includes('at-night.iso: paused, 0 %'), JSON.stringify(lines));
    assert.equal(lines.length, (await demoTasks()).length);

    const resumed = JSON.parse((await injectAndWaitForDebug('4e6d9039a828c005', 'downloads at night')).msg);
    assert.ok(resumed.done.includes(id), JSON.stringify(resumed));
    assert.notEqual(await statusOf(), 'paused');
  });

  it('NAS health report example: "NAS healthy", then a line per item that is not ok; ping tells hibernation', async function () {
    const report = async () => (await injectAndWaitForDebug('5b024c104329a203', 'NAS health report')).msg;
    const ping = async () => JSON.parse((await injectAndWaitForDebug('5b024c104329a207', 'NAS ping')).msg);
    try {
      assert.equal(await report(), 'NAS healthy');
      await simControl('health/disk/fail-smart', { id: 'sata2' });
      await simControl('health/volume', { status: 'degrade' });
      const lines = (await report()).split('\n');
      assert.deepEqual(lines.map((line) => line.replace(/:.*\(/, ': … (')).sort(), [
        '/volume1: … (warning)',
        'Drive 2: … (critical)',
        'Storage Pool 1: … (warning)',
      ]);
      assert.ok(
        lines.includes('Drive 2: smart_status is "failing", overview_status is "failing" (critical)'),
      );
      assert.match(
        lines.find((l) => l.startsWith('/volume1:')),
        /status is "degrade"/,
      );

      assert.equal((await ping()).state, 'up');
      // Any Web API request wakes the disks, and the demo's watch nodes poll every 10 s: one may land between the
      // two requests below, so a few tries.
      let state;
      for (let i = 0; i < 3 && state !== 'hibernating'; i++) {
        await simControl('power/hibernate', {});
        ({ state } = await ping());
      }
      assert.equal(state, 'hibernating');
    } finally {
      await simControl('health/disk', { id: 'sata2', smart_status: 'normal', overview_status: 'normal' });
      await simControl('health/volume', { status: 'normal' });
    }
  });

  it("keeps the user's flows and the NAS's files when started again; demo:reset starts over", async function () {
    this.timeout(120000);
    const editor = `http://127.0.0.1:${editorPort}`;
    const nas = () =>
      new DsmClient({ url: `http://127.0.0.1:${simPort}`, username: demo.username, password: demo.password });
    // The user's work: a flow changed and deployed in the editor, a file added and one deleted on the NAS.
    const flows = await (await fetch(`${editor}/flows`)).json();
    const tab = flows.find((n) => n.id === '6a1f0c2d9b8e4a01');
    tab.label = 'my own tab';
    flows.push({
      id: 'c0ffee0000000001',
      type: 'comment',
      z: tab.id,
      name: 'mine',
      x: 700,
      y: 400,
      wires: [],
    });
    const deployed = await fetch(`${editor}/flows`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'Node-RED-Deployment-Type': 'full' },
      body: JSON.stringify(flows),
    });
    assert.equal(deployed.status, 204);
    let client = nas();
    try {
      await new FileStation(client).upload('my notes', { folder: '/home', name: 'notes.txt' });
      await new FileStation(client).delete(['/home/camera/snapshot-45-days-old.jpg']);
    } finally {
      await client.close();
    }
    const userFlows = async () => {
      const now = await (await fetch(`${editor}/flows`)).json();
      if (!Array.isArray(now)) throw new Error(JSON.stringify(now));
      return {
        label: now.find((n) => n.id === tab.id)?.label,
        mine: now.some((n) => n.id === 'c0ffee0000000001'),
        examples: examples.every((e) => now.some((n) => n.id === e.id)),
      };
    };
    const nasFiles = async () => {
      client = nas();
      try {
        const files = new FileStation(client);
        return [
          ...(await files.list('/home')).map((e) => e.path),
          ...(await files.list('/home/camera')).map((e) => e.path),
        ].sort();
      } finally {
        await client.close();
      }
    };
    const before = await nasFiles();
    assert.ok(before.includes('/home/notes.txt'));

    await stopDemo();
    const again = await startDemo();
    assert.match(again(), /Your flows: /);
    assert.deepEqual(await userFlows(), { label: 'my own tab', mine: true, examples: true });
    assert.deepEqual(await nasFiles(), before);

    await stopDemo();
    const reset = await startDemo(['--reset']);
    assert.match(reset(), /The example flows are deployed/);
    assert.deepEqual(await userFlows(), { label: 'Synology: any DSM API', mine: false, examples: true });
    const fresh = await nasFiles();
    assert.ok(!fresh.includes('/home/notes.txt'));
    assert.ok(fresh.includes('/home/camera/snapshot-45-days-old.jpg'));
  });
});

describe('npm run demo:reset', function () {
  it('deletes no folder the demo did not make', async function () {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'synoflow-reset-'));
    try {
      const mine = path.join(dir, 'my-files');
      fs.mkdirSync(mine);
      fs.writeFileSync(path.join(mine, 'keep.txt'), 'mine');
      const child = spawn(process.execPath, [path.join(__dirname, '..', 'scripts', 'demo.js'), '--reset'], {
        env: { ...process.env, DEMO_DIR: path.join(dir, 'node-red'), DEMO_DATA: mine },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let output = '';
      child.stdout.on('data', (d) => (output += d));
      child.stderr.on('data', (d) => (output += d));
      const code = await new Promise((resolve) => child.once('exit', resolve));
      assert.equal(code, 1, output);
      assert.match(output, /was not made by the demo: not deleting it/);
      assert.equal(fs.readFileSync(path.join(mine, 'keep.txt'), 'utf8'), 'mine');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
