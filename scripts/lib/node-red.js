'use strict';
// A local Node-RED with this package installed as users install it (a link in the user dir's node_modules), for the
// demo, the soak, the bench and the browser test. CI's Node-RED 5 leg points NODE_RED_PATH at another Node-RED's
// lib/red.js; its command line is ../red.js.
const fs = require('node:fs');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');
const { spawn } = require('node:child_process');

const root = path.resolve(__dirname, '..', '..');

/** Nothing calls out: no update check, no telemetry prompt, no palette catalogue or installs, no tours. */
const OFFLINE_SETTINGS = {
  credentialSecret: false,
  telemetry: { enabled: false, updateNotification: false },
  diagnostics: { enabled: false, ui: false },
  externalModules: { palette: { allowInstall: false } },
  editorTheme: { tours: false, palette: { catalogues: [] }, projects: { enabled: false } },
};

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

/** Links `pkgRoot` (this package, or another build of it) into `userDir`'s node_modules, replacing an old link. */
function linkPackage(userDir, pkgRoot = root) {
  fs.mkdirSync(path.join(userDir, 'node_modules', '@synoflow'), { recursive: true });
  const link = path.join(userDir, 'node_modules', '@synoflow', 'node-red-synology');
  fs.rmSync(link, { recursive: true, force: true });
  fs.symlinkSync(pkgRoot, link, 'dir');
}

/** A new temp user dir with the package linked in and an empty flow. */
function tempUserDir(prefix, pkgRoot = root) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  linkPackage(dir, pkgRoot);
  fs.writeFileSync(path.join(dir, 'flows.json'), '[]');
  return dir;
}

/**
 * Starts Node-RED in its own process on a free port with an empty flow; resolves once it serves. `settingsSource`
 * is added to the settings object as JavaScript (for what JSON cannot say, e.g. `global.gc`); `onLine` sees every
 * line Node-RED logs.
 */
async function startNodeRed({ prefix, settingsSource = '', nodeArgs = [], onLine = () => undefined }) {
  const dir = tempUserDir(prefix);
  const port = await freePort();
  const settings = {
    uiHost: '127.0.0.1',
    uiPort: port,
    flowFile: 'flows.json',
    ...OFFLINE_SETTINGS,
    logging: { console: { level: 'info', metrics: false, audit: false } },
  };
  fs.writeFileSync(
    path.join(dir, 'settings.js'),
    `module.exports = { ...${JSON.stringify(settings)}, ${settingsSource} };\n`,
  );
  const child = spawn(
    process.execPath,
    [...nodeArgs, nodeRedCli(), '--userDir', dir, '--settings', path.join(dir, 'settings.js')],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  let pending = '';
  const take = (d) => {
    output += d;
    pending += d;
    const lines = pending.split('\n');
    pending = lines.pop();
    for (const line of lines) onLine(line);
  };
  child.stdout.on('data', take);
  child.stderr.on('data', take);
  await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`Node-RED did not start:\n${output}`)), 45000);
    const check = () => {
      if (/Server now running at/.test(output)) {
        clearTimeout(timer);
        child.removeListener('exit', exited);
        resolve();
      }
    };
    const exited = (code) => {
      clearTimeout(timer);
      reject(new Error(`Node-RED exited ${code}:\n${output}`));
    };
    child.stdout.on('data', check);
    child.once('exit', exited);
  });
  return {
    url: `http://127.0.0.1:${port}`,
    pid: child.pid,
    child,
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

module.exports = { OFFLINE_SETTINGS, nodeRedCli, freePort, linkPackage, tempUserDir, startNodeRed };
