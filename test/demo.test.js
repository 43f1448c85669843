'use strict';
const assert = require('node:assert/strict');
const fs = require('node:fs');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');
const { spawn } = require('node:child_process');
const WebSocket = require('ws');

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
  let output = '';
  let dir;

  before(async function () {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'synoflow-demo-'));
    editorPort = await freePort();
    const simPort = await freePort();
    child = spawn(process.execPath, [path.join(__dirname, '..', 'scripts', 'demo.js')], {
      env: { ...process.env, DEMO_DIR: dir, DEMO_PORT: String(editorPort), DEMO_SIM_PORT: String(simPort) },
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
  });

  after(async function () {
    if (child && child.exitCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
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
    assert.ok(types.includes('synology-api'));
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
});
