'use strict';
// A real Node-RED (editor and runtime) with this package installed, and Debian's Chromium driven by Playwright:
// for the browser test. Node-RED is started as `npm start` (scripts/demo.js) starts it; CI's Node-RED 5 leg points
// NODE_RED_PATH at another Node-RED's lib/red.js, whose command line is ../red.js.
const fs = require('node:fs');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');
const { spawn } = require('node:child_process');

const root = path.resolve(__dirname, '..', '..');
const CHROMIUM = '/usr/bin/chromium';
/** Headless Chromium on a machine with a closed network: nothing of its own calls out (env/machines/node.md). */
const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

const nodeRedCli = () =>
  process.env.NODE_RED_PATH
    ? path.resolve(path.dirname(process.env.NODE_RED_PATH), '..', 'red.js')
    : require.resolve('node-red/red.js');

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** Starts Node-RED on a free port with an empty flow; resolves once the editor is served. */
async function startNodeRed() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'synoflow-editor-'));
  const port = await freePort();
  fs.mkdirSync(path.join(dir, 'node_modules', '@synoflow'), { recursive: true });
  fs.symlinkSync(root, path.join(dir, 'node_modules', '@synoflow', 'node-red-synology'), 'dir');
  fs.writeFileSync(path.join(dir, 'flows.json'), '[]');
  const settings = {
    uiHost: '127.0.0.1',
    uiPort: port,
    flowFile: 'flows.json',
    credentialSecret: false,
    telemetry: { enabled: false, updateNotification: false },
    diagnostics: { enabled: false, ui: false },
    externalModules: { palette: { allowInstall: false } },
    editorTheme: { tours: false, palette: { catalogues: [] }, projects: { enabled: false } },
    logging: { console: { level: 'info', metrics: false, audit: false } },
  };
  fs.writeFileSync(path.join(dir, 'settings.js'), `module.exports = ${JSON.stringify(settings)};\n`);
  const child = spawn(
    process.execPath,
    [nodeRedCli(), '--userDir', dir, '--settings', path.join(dir, 'settings.js')],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`Node-RED did not start:\n${output}`)), 45000);
    const check = () => {
      if (/Server now running at/.test(output)) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout.on('data', check);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`Node-RED exited ${code}:\n${output}`));
    });
  });
  return {
    url: `http://127.0.0.1:${port}/`,
    output: () => output,
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGINT');
        const timer = setTimeout(() => child.kill('SIGKILL'), 10000);
        await exited;
        clearTimeout(timer);
      }
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Debian's Chromium through playwright-core, which never downloads a browser. Fails loudly when Chromium is
 * missing: `.ci/run` installs it (apt-get install chromium).
 */
async function launchChromium() {
  if (!fs.existsSync(CHROMIUM)) {
    throw new Error(
      `${CHROMIUM} is missing: install Debian's Chromium (apt-get install -y chromium); .ci/run does this`,
    );
  }
  const { chromium } = require('playwright-core');
  // A new, empty profile for every run.
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'synoflow-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_FLAGS,
    viewport: { width: 1440, height: 1000 },
  });
  return {
    context,
    async close() {
      await context.close();
      fs.rmSync(profile, { recursive: true, force: true });
    },
  };
}

module.exports = { startNodeRed, launchChromium };
