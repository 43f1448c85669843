#!/usr/bin/env node
'use strict';
// `npm start`: the DSM simulator plus a local Node-RED with the example flows deployed and connected.
// Everything listens on 127.0.0.1. Ports: DEMO_SIM_PORT (5000), DEMO_PORT (1880), DEMO_FEED_PORT (1881, the RSS
// feed of the RSS example); Node-RED's folder DEMO_DIR (.demo), the simulator's shared folders DEMO_DATA
// (DEMO_DIR/nas).
// The first start deploys the examples and seeds the shared folders; later starts keep both, with the user's changes.
// `npm run demo:reset` (`--reset`) deletes both and starts over.
const fs = require('node:fs');
const http = require('node:http');
const path = require('node:path');
const { spawn } = require('node:child_process');
const { startSimulator, DEFAULT_USERS } = require('@synoflow/dsm-simulator');
const { OFFLINE_SETTINGS, linkPackage, nodeRedCli } = require('./lib/node-red');

const root = path.resolve(__dirname, '..');
const userDir = path.resolve(process.env.DEMO_DIR || path.join(root, '.demo'));
const simPort = Number(process.env.DEMO_SIM_PORT || 5000);
const editorPort = Number(process.env.DEMO_PORT || 1880);
const feedPort = Number(process.env.DEMO_FEED_PORT || 1881);
const dataDir = path.resolve(process.env.DEMO_DATA || path.join(userDir, 'nas'));
/** Marks the folders the demo made, so that a reset never deletes a folder it did not make. */
const MARKER = '.synoflow-demo';
/** Contrib nodes some examples use: dev dependencies of this package, linked into the demo's Node-RED. */
const CONTRIB_NODES = ['node-red-node-feedparser'];
const demoUser = DEFAULT_USERS.find((u) => !u.totpSecret);

/** A 1x1 JPEG: the demo's camera images. */
const TINY_JPEG = Buffer.from(
  '/9j/4AAQSkZJRgABAQEASABIAAD/2wBDAP//////////////////////////////////////////////////////////////////////////////' +
    '////////wgALCAABAAEBAREA/8QAFBABAAAAAAAAAAAAAAAAAAAAAP/aAAgBAQABPxA=',
  'base64',
);

/**
 * The shared folders of a new demo NAS, and a few camera snapshots: old ones for the nightly-cleanup example, a
 * recent one for the latest-snapshot example.
 */
function seedDemoFiles() {
  for (const share of ['home', 'photo', 'video', 'downloads']) {
    fs.mkdirSync(path.join(dataDir, share), { recursive: true });
    fs.writeFileSync(path.join(dataDir, share, 'README.txt'), `Shared folder "${share}" of the demo NAS.\n`);
  }
  const camera = path.join(dataDir, 'home', 'camera');
  fs.mkdirSync(camera, { recursive: true });
  const day = 24 * 3600 * 1000;
  for (const age of [45, 40, 31, 3, 1]) {
    const file = path.join(camera, `snapshot-${age}-days-old.jpg`);
    fs.writeFileSync(file, TINY_JPEG);
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

/** A folder of the demo: made (and marked) when missing; `made` tells whether it is new. */
function demoFolder(dir) {
  const made = !fs.existsSync(dir) || fs.readdirSync(dir).length === 0;
  fs.mkdirSync(dir, { recursive: true });
  if (made)
    fs.writeFileSync(path.join(dir, MARKER), 'made by npm start; npm run demo:reset deletes this folder\n');
  return made;
}

/**
 * Deletes the demo's Node-RED folder and the simulator's data: only folders the demo made (marked) or the default
 * ones inside the repository, never a folder of the user's that DEMO_DIR or DEMO_DATA happens to name.
 */
function reset() {
  for (const dir of [dataDir, userDir]) {
    if (!fs.existsSync(dir)) continue;
    const ours =
      fs.existsSync(path.join(dir, MARKER)) ||
      dir === path.join(root, '.demo') ||
      dir === path.join(root, '.demo', 'nas') ||
      fs.readdirSync(dir).length === 0;
    if (!ours)
      throw new Error(`${dir} was not made by the demo: not deleting it (delete it yourself to start over)`);
    fs.rmSync(dir, { recursive: true, force: true });
    console.log(`Deleted ${dir}`);
  }
}

function prepareUserDir(simUrl) {
  linkPackage(userDir);
  for (const name of CONTRIB_NODES) {
    const installed = path.join(root, 'node_modules', name);
    const target = path.join(userDir, 'node_modules', name);
    fs.rmSync(target, { recursive: true, force: true });
    if (fs.existsSync(installed)) fs.symlinkSync(installed, target, 'dir');
    else console.log(`${name} is not installed (npm install): the examples that use it will not run`);
  }
  if (fs.existsSync(path.join(userDir, 'flows.json'))) {
    console.log(
      `Your flows: ${path.join(userDir, 'flows.json')} (npm run demo:reset starts over with the examples)`,
    );
  } else {
    const { nodes, credentials } = exampleFlows(simUrl);
    fs.writeFileSync(path.join(userDir, 'flows.json'), JSON.stringify(nodes, null, 2));
    fs.writeFileSync(path.join(userDir, 'flows_cred.json'), JSON.stringify(credentials, null, 2));
    console.log('The example flows are deployed');
  }
  fs.writeFileSync(
    path.join(userDir, 'settings.js'),
    `module.exports = ${JSON.stringify(
      {
        uiHost: '127.0.0.1',
        uiPort: editorPort,
        flowFile: 'flows.json',
        // Nothing calls out. The demo's only credentials are the simulator's demo account: kept readable on purpose
        // (credentialSecret false).
        ...OFFLINE_SETTINGS,
        logging: { console: { level: 'info', metrics: false, audit: false } },
      },
      null,
      2,
    )};\n`,
  );
}

async function main() {
  if (process.argv.includes('--reset')) reset();
  demoFolder(userDir);
  if (demoFolder(dataDir)) seedDemoFiles();
  else console.log(`The demo NAS keeps its files in ${dataDir}`);
  const sim = await startSimulator({ port: simPort, host: '127.0.0.1', dataDir });
  const feed = await serveFeed();
  console.log(`RSS feed of the RSS example: http://127.0.0.1:${feedPort}/feed.rss`);
  console.log(
    `DSM simulator: ${sim.url} (profile ${sim.profile}, account ${demoUser.username} / ${demoUser.password})`,
  );
  prepareUserDir(sim.url);
  const nodeRed = spawn(
    process.execPath,
    [nodeRedCli(), '--userDir', userDir, '--settings', path.join(userDir, 'settings.js')],
    // SYNOFLOW_SIM: where the NAS health example's demo injects reach the simulator's control surface.
    { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, SYNOFLOW_SIM: sim.url } },
  );
  // Node-RED may open its port before the flows are loaded: the demo is ready when both have happened (or the
  // flows wait for a node type that is not installed).
  let log = '';
  let ready = false;
  nodeRed.stdout.on('data', (chunk) => {
    process.stdout.write(chunk);
    log += chunk.toString();
    if (!ready && /Server now running at/.test(log) && /Started flows|Waiting for missing types/.test(log)) {
      ready = true;
      log = '';
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
