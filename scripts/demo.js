#!/usr/bin/env node
'use strict';
// `npm start`: the DSM simulator plus a local Node-RED with the example flows deployed and connected.
// Everything listens on 127.0.0.1. Ports: DEMO_SIM_PORT (5000), DEMO_PORT (1880), DEMO_FEED_PORT (1881, the RSS
// feed of the RSS example); Node-RED's folder DEMO_DIR (.demo), the simulator's shared folders DEMO_DATA (a temporary
// folder).
const fs = require('node:fs');
const http = require('node:http');
const path = require('node:path');
const { spawn } = require('node:child_process');
const { startSimulator, DEFAULT_USERS } = require('@synoflow/dsm-simulator');

const root = path.resolve(__dirname, '..');
const userDir = path.resolve(process.env.DEMO_DIR || path.join(root, '.demo'));
const simPort = Number(process.env.DEMO_SIM_PORT || 5000);
const editorPort = Number(process.env.DEMO_PORT || 1880);
const feedPort = Number(process.env.DEMO_FEED_PORT || 1881);
/** Contrib nodes some examples use: dev dependencies of this package, linked into the demo's Node-RED. */
const CONTRIB_NODES = ['node-red-node-feedparser'];
const demoUser = DEFAULT_USERS.find((u) => !u.totpSecret);
// CI's Node-RED 5 leg points NODE_RED_PATH at another Node-RED's lib/red.js; its command line is ../red.js.
const nodeRedCli = process.env.NODE_RED_PATH
  ? path.resolve(path.dirname(process.env.NODE_RED_PATH), '..', 'red.js')
  : require.resolve('node-red/red.js');

/** A few old camera snapshots, so the nightly-cleanup example has something to find. */
function seedDemoFiles(dataDir) {
  // Download Station's default destination for the demo account.
  fs.mkdirSync(path.join(dataDir, 'downloads'), { recursive: true });
  const camera = path.join(dataDir, 'home', 'camera');
  fs.mkdirSync(camera, { recursive: true });
  const day = 24 * 3600 * 1000;
  for (const age of [45, 40, 31, 3, 1]) {
    const file = path.join(camera, `snapshot-${age}-days-old.jpg`);
    fs.writeFileSync(file, Buffer.alloc(2048));
    const time = new Date(Date.now() - age * day);
    fs.utimesSync(file, time, time);
  }
}

/** The RSS example's feed: two items it takes (a link and a magnet enclosure) and one its filter drops. */
const DEMO_FEED = `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel>
  <title>Demo downloads</title><link>http://127.0.0.1/</link><description>A stand-in feed for the demo</description>
  <item><title>Demo Show S01E01</title><guid>demo-show-s01e01</guid><pubDate>Mon, 02 Nov 2026 10:00:00 GMT</pubDate>
    <link>https://downloads.example.com/demo-show/s01e01.html</link>
    <enclosure url="https://downloads.example.com/demo-show/s01e01.mkv" type="video/x-matroska" length="1048576"/></item>
  <item><title>Demo Show S01E02</title><guid>demo-show-s01e02</guid><pubDate>Mon, 09 Nov 2026 10:00:00 GMT</pubDate>
    <link>https://downloads.example.com/demo-show/s01e02.html</link>
    <enclosure url="magnet:?xt=urn:btih:c9e15763f722f23e98a29decdfae341b98d53056&amp;dn=demo-show-s01e02.mkv" type="application/x-bittorrent" length="0"/></item>
  <item><title>Something else</title><guid>something-else</guid><pubDate>Mon, 09 Nov 2026 11:00:00 GMT</pubDate>
    <link>https://downloads.example.com/other/thing.iso</link></item>
</channel></rss>
`;

function serveFeed() {
  const server = http.createServer((req, res) => {
    if (req.url !== '/feed.rss') {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'Content-Type': 'application/rss+xml; charset=utf-8' }).end(DEMO_FEED);
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(feedPort, '127.0.0.1', () => resolve(server));
  });
}

function exampleFlows(simUrl) {
  const dir = path.join(root, 'examples');
  const nodes = [];
  const credentials = {};
  for (const file of fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()) {
    for (const node of JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8'))) {
      if (nodes.some((n) => n.id === node.id)) continue;
      // The snapshot example fetches from the demo's own editor port.
      if (typeof node.url === 'string')
        node.url = node.url
          .replace('127.0.0.1:1880', `127.0.0.1:${editorPort}`)
          .replace('127.0.0.1:1881', `127.0.0.1:${feedPort}`);
      if (node.type === 'synology-dsm') {
        const url = new URL(simUrl);
        Object.assign(node, { host: url.hostname, port: Number(url.port), protocol: 'http' });
        credentials[node.id] = { username: demoUser.username, password: demoUser.password };
      }
      nodes.push(node);
    }
  }
  return { nodes, credentials };
}

function prepareUserDir(simUrl) {
  fs.mkdirSync(path.join(userDir, 'node_modules', '@synoflow'), { recursive: true });
  const link = path.join(userDir, 'node_modules', '@synoflow', 'node-red-synology');
  fs.rmSync(link, { recursive: true, force: true });
  fs.symlinkSync(root, link, 'dir');
  for (const name of CONTRIB_NODES) {
    const installed = path.join(root, 'node_modules', name);
    const target = path.join(userDir, 'node_modules', name);
    fs.rmSync(target, { recursive: true, force: true });
    if (fs.existsSync(installed)) fs.symlinkSync(installed, target, 'dir');
    else console.log(`${name} is not installed (npm install): the examples that use it will not run`);
  }
  const { nodes, credentials } = exampleFlows(simUrl);
  fs.writeFileSync(path.join(userDir, 'flows.json'), JSON.stringify(nodes, null, 2));
  fs.writeFileSync(path.join(userDir, 'flows_cred.json'), JSON.stringify(credentials, null, 2));
  fs.writeFileSync(
    path.join(userDir, 'settings.js'),
    `module.exports = ${JSON.stringify(
      {
        uiHost: '127.0.0.1',
        uiPort: editorPort,
        flowFile: 'flows.json',
        // The demo's only credentials are the simulator's demo account: kept readable on purpose.
        credentialSecret: false,
        // Nothing calls out: no update check, no telemetry prompt, no palette catalogue, no tours.
        telemetry: { enabled: false, updateNotification: false },
        diagnostics: { enabled: false, ui: false },
        externalModules: { palette: { allowInstall: false } },
        editorTheme: { tours: false, palette: { catalogues: [] }, projects: { enabled: false } },
        logging: { console: { level: 'info', metrics: false, audit: false } },
      },
      null,
      2,
    )};\n`,
  );
}

async function main() {
  const dataDir = process.env.DEMO_DATA ? path.resolve(process.env.DEMO_DATA) : undefined;
  const sim = await startSimulator({ port: simPort, host: '127.0.0.1', dataDir });
  seedDemoFiles(sim.dataDir);
  const feed = await serveFeed();
  console.log(`RSS feed of the RSS example: http://127.0.0.1:${feedPort}/feed.rss`);
  console.log(
    `DSM simulator: ${sim.url} (profile ${sim.profile}, account ${demoUser.username} / ${demoUser.password})`,
  );
  prepareUserDir(sim.url);
  const nodeRed = spawn(
    process.execPath,
    [nodeRedCli, '--userDir', userDir, '--settings', path.join(userDir, 'settings.js')],
    // SYNOFLOW_SIM: where the NAS health example's demo injects reach the simulator's control surface.
    { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, SYNOFLOW_SIM: sim.url } },
  );
  nodeRed.stdout.on('data', (chunk) => {
    process.stdout.write(chunk);
    if (/Server now running at/.test(chunk.toString())) {
      console.log(`\nDemo ready: open http://127.0.0.1:${editorPort}/ (Ctrl+C stops it)\n`);
    }
  });
  let stopping = false;
  const exited = new Promise((resolve) => nodeRed.once('exit', resolve));
  const stop = async (code) => {
    if (stopping) return;
    stopping = true;
    // Node-RED logs out of the simulator while it stops: keep the simulator up until it has exited.
    nodeRed.kill('SIGINT');
    const timer = setTimeout(() => nodeRed.kill('SIGKILL'), 10000);
    await exited;
    clearTimeout(timer);
    await sim.close();
    feed.close();
    process.exit(code);
  };
  exited.then((code) => stop(code ?? 0));
  process.on('SIGINT', () => stop(0));
  process.on('SIGTERM', () => stop(0));
}

main().catch((err) => {
  console.error(`demo failed: ${err.message}`);
  process.exit(1);
});
