'use strict';
// A real Node-RED runtime for the soak, started as `npm start` (scripts/demo.js) starts it: this package linked into
// a temp user dir, the flows deployed later through the admin API.
const fs = require('node:fs');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');
const { spawn } = require('node:child_process');

const root = path.resolve(__dirname, '..', '..');
// CI's Node-RED 5 leg points NODE_RED_PATH at another Node-RED's lib/red.js; its command line is ../red.js.
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

/** Starts Node-RED with an empty flow; resolves once it serves. `onLine` sees every line it logs. */
async function startNodeRed({ onLine = () => undefined } = {}) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'synoflow-soak-'));
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
  // The soak's memory figure is taken after a full GC: function nodes reach it as global.get('soakGc').
  fs.writeFileSync(
    path.join(dir, 'settings.js'),
    `module.exports = { ...${JSON.stringify(settings)}, functionGlobalContext: { soakGc: global.gc } };\n`,
  );
  const child = spawn(
    process.execPath,
    ['--expose-gc', nodeRedCli(), '--userDir', dir, '--settings', path.join(dir, 'settings.js')],
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

/** Resident set size of a process in MiB (/proc; undefined off Linux). */
function rssMib(pid) {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const match = /VmRSS:\s+(\d+) kB/.exec(status);
    return match ? Number(match[1]) / 1024 : undefined;
  } catch {
    return undefined;
  }
}

module.exports = { startNodeRed, freePort, rssMib };
