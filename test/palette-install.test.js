'use strict';
// What a user gets from the palette manager: `npm pack` of this package, installed as Node-RED's palette manager
// installs a module (npm install --omit=dev ... <tarball>) into a fresh user folder, then a real Node-RED started on
// it. The runtime dependencies come from the npm registry. Under CI's second leg (NODE_RED_PATH) that Node-RED is 5.
const assert = require('node:assert/strict');
const fs = require('node:fs');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');
const { execFile, spawn } = require('node:child_process');
const { promisify } = require('node:util');

const ROOT = path.join(__dirname, '..');
const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
const nodeRedDir = process.env.NODE_RED_PATH
  ? path.resolve(path.dirname(process.env.NODE_RED_PATH), '..')
  : path.dirname(require.resolve('node-red/package.json'));
const nodeRedVersion = JSON.parse(fs.readFileSync(path.join(nodeRedDir, 'package.json'), 'utf8')).version;
const run = promisify(execFile);
const npm = (args, cwd) =>
  run(process.platform === 'win32' ? 'npm.cmd' : 'npm', args, { cwd, maxBuffer: 64 * 1024 * 1024 });

const freePort = () =>
  new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });

describe(`palette install: the packed tarball in a fresh user folder (Node-RED ${nodeRedVersion}, Node ${process.version})`, function () {
  this.timeout(120000);
  let dir;
  let packed;
  let nodeRed;
  let editor;
  let log = '';

  before(async function () {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'synoflow-palette-'));
    // dist is built by `npm test`'s pretest; prepack would only build it again.
    const { stdout } = await npm(['pack', '--ignore-scripts', '--json', '--pack-destination', dir], ROOT);
    [packed] = JSON.parse(stdout);
    const userDir = path.join(dir, 'user');
    fs.mkdirSync(userDir);
    fs.writeFileSync(
      path.join(userDir, 'package.json'),
      JSON.stringify({ name: 'node-red-project', private: true, dependencies: {} }),
    );
    // The palette manager's own npm command line (Node-RED 4.1, lib/registry/installer.js).
    await npm(
      [
        'install',
        '--no-audit',
        '--no-update-notifier',
        '--no-fund',
        '--save',
        '--save-prefix=~',
        '--omit=dev',
        '--engine-strict',
        path.join(dir, packed.filename),
      ],
      userDir,
    );
    const port = await freePort();
    editor = `http://127.0.0.1:${port}`;
    const settings = path.join(userDir, 'settings.js');
    fs.writeFileSync(
      settings,
      `module.exports = ${JSON.stringify({
        uiHost: '127.0.0.1',
        uiPort: port,
        flowFile: 'flows.json',
        credentialSecret: false,
        telemetry: { enabled: false, updateNotification: false },
        diagnostics: { enabled: false, ui: false },
        editorTheme: { tours: false, palette: { catalogues: [] }, projects: { enabled: false } },
        logging: { console: { level: 'info', metrics: false, audit: false } },
      })};\n`,
    );
    nodeRed = spawn(
      process.execPath,
      [path.join(nodeRedDir, 'red.js'), '--userDir', userDir, '--settings', settings],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    nodeRed.stdout.on('data', (d) => (log += d));
    nodeRed.stderr.on('data', (d) => (log += d));
    await new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`Node-RED did not start:\n${log}`)), 60000);
      nodeRed.stdout.on('data', () => {
        if (/Server now running/.test(log)) {
          clearTimeout(timer);
          resolve();
        }
      });
      nodeRed.once('exit', (code) => reject(new Error(`Node-RED exited ${code}:\n${log}`)));
    });
  });

  after(async function () {
    if (nodeRed && nodeRed.exitCode === null && nodeRed.signalCode === null) {
      const exited = new Promise((resolve) => nodeRed.once('exit', resolve));
      nodeRed.kill('SIGINT');
      await exited;
    }
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('the tarball holds the nodes, their editor files, the compiled code, the examples and the docs: nothing else', function () {
    const files = packed.files.map((f) => f.path).sort();
    const unexpected = files.filter(
      (f) =>
        !/^(dist\/.+\.js|dist\/(?!nodes\/).+\.d\.ts|nodes\/.+\.(js|html|json|svg|png)|examples\/.+\.json|resources\/.+\.js)$/.test(
          f,
        ) && !['package.json', 'README.md', 'CHANGELOG.md', 'LICENSE'].includes(f),
    );
    assert.deepEqual(unexpected, []);
    for (const file of Object.values(pkg['node-red'].nodes)) {
      assert.ok(files.includes(file), file);
      assert.ok(files.includes(file.replace(/\.js$/, '.html')), file.replace(/\.js$/, '.html'));
    }
    for (const file of ['dist/index.js', 'dist/index.d.ts', 'LICENSE', 'README.md'])
      assert.ok(files.includes(file), file);
    for (const example of fs.readdirSync(path.join(ROOT, 'examples')))
      assert.ok(files.includes(`examples/${example}`), example);
    // Source maps point at src/, which is not in the package.
    assert.deepEqual(
      files.filter((f) => f.endsWith('.map')),
      [],
    );
  });

  it('installs without the simulator, Node-RED or any dev dependency', function () {
    const modules = path.join(dir, 'user', 'node_modules');
    assert.ok(fs.existsSync(path.join(modules, ...pkg.name.split('/'), 'package.json')));
    for (const dev of [
      'node-red',
      '@synoflow/dsm-simulator',
      'mocha',
      'typescript',
      'node-red-node-test-helper',
    ])
      assert.ok(!fs.existsSync(path.join(modules, ...dev.split('/'))), `${dev} is not installed`);
    for (const dep of Object.keys(pkg.dependencies))
      assert.ok(fs.existsSync(path.join(modules, ...dep.split('/'))), `${dep} is installed`);
  });

  it("loads every node type of package.json, enabled and without error (the admin API's GET /nodes)", async function () {
    const res = await fetch(`${editor}/nodes`, { headers: { Accept: 'application/json' } });
    assert.equal(res.status, 200);
    const sets = (await res.json()).filter((set) => set.module === pkg.name);
    for (const type of Object.keys(pkg['node-red'].nodes)) {
      const set = sets.find((s) => s.types.includes(type));
      assert.ok(set, `${type} is registered:\n${log}`);
      assert.equal(set.err, undefined, `${type}: ${set.err}`);
      assert.equal(set.enabled, true, `${type} is enabled`);
      assert.notEqual(set.loaded, false, `${type} is loaded`);
      assert.equal(set.version, pkg.version);
    }
    assert.deepEqual(sets.flatMap((s) => s.types).sort(), Object.keys(pkg['node-red'].nodes).sort());
    assert.doesNotMatch(log, /\[(error|warn)\][^\n]*synology/i);
  });

  it('lists the examples under Import > Examples, each as the file holds it', async function () {
    const base = `${editor}/library/examples/flows/${pkg.name}`;
    const res = await fetch(base);
    assert.equal(res.status, 200);
    const files = fs.readdirSync(path.join(ROOT, 'examples')).filter((f) => f.endsWith('.json'));
    assert.deepEqual(
      (await res.json()).map((e) => e.fn).sort(),
      files.map((f) => f.replace(/\.json$/, '')).sort(),
    );
    for (const file of files) {
      const example = await fetch(`${base}/${encodeURIComponent(file.replace(/\.json$/, ''))}`);
      assert.equal(example.status, 200, file);
      assert.deepEqual(
        JSON.parse(await example.text()),
        JSON.parse(fs.readFileSync(path.join(ROOT, 'examples', file), 'utf8')),
      );
    }
  });

  it('serves the editor files of every node type', async function () {
    const html = await (await fetch(`${editor}/nodes`, { headers: { Accept: 'text/html' } })).text();
    for (const type of Object.keys(pkg['node-red'].nodes)) {
      assert.match(html, new RegExp(`registerType\\(\\s*['"]${type}['"]`), type);
      assert.match(html, new RegExp(`data-help-name="${type}"`), `${type} has help`);
    }
  });
});
