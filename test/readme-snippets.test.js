'use strict';
// The README's "Use without Node-RED" code runs as pasted: the program (CommonJS, no top-level await), then with the
// Download Station and Cloud Sync parts put where it says, against the simulator over HTTPS with a pinned
// certificate. Only the NAS address, the account and the fingerprint are replaced; the package is this repository.
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { X509Certificate } = require('node:crypto');
const { execFile } = require('node:child_process');
const { promisify } = require('node:util');
const { ESLint } = require('eslint');
const globals = require('globals');
const { DEFAULT_TLS_CERT } = require('@synoflow/dsm-simulator');
const { useSimulator, demo } = require('./support/sim');

const ROOT = path.join(__dirname, '..');
const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
const section = readme.slice(
  readme.indexOf('\n## Use without Node-RED\n'),
  readme.indexOf('\n## The simulator\n'),
);
const blocks = [...section.matchAll(/```js\n([\s\S]*?)```/g)].map((m) => m[1]);
const program = blocks[0];
const parts = blocks.filter((b) => b.startsWith('// in main() above'));
const MORE = /^ *\/\/ \.\.\.more:.*$/m;

/** The README's placeholders, each of which must be there once, and what the test puts in their place. */
function forSimulator(code, sim) {
  const replacements = [
    ["'https://nas.local:5001'", JSON.stringify(sim.url)],
    ["'automation'", JSON.stringify(demo.username)],
    ["'AB:CD:...'", JSON.stringify(new X509Certificate(DEFAULT_TLS_CERT).fingerprint256)],
  ];
  for (const [placeholder, value] of replacements) {
    assert.equal(code.split(placeholder).length, 2, `${placeholder} is in the README's program once`);
    code = code.replace(placeholder, value);
  }
  return code;
}

describe("README: the code under 'Use without Node-RED'", function () {
  const ref = useSimulator({ tls: true });
  let dir;

  before(function () {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'synoflow-readme-'));
    fs.mkdirSync(path.join(dir, 'node_modules', '@synoflow'), { recursive: true });
    fs.symlinkSync(ROOT, path.join(dir, 'node_modules', '@synoflow', 'node-red-synology'), 'dir');
    fs.writeFileSync(path.join(ref.sim.dataDir, 'home', 'garden.jpg'), 'not really a photo');
  });

  after(function () {
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  /** Runs `code` as a CommonJS file with DSM_PASSWORD set, as a user would. */
  async function runAsPasted(code) {
    const file = path.join(dir, 'index.js');
    fs.writeFileSync(file, code);
    try {
      return await promisify(execFile)(process.execPath, [file], {
        cwd: dir,
        env: { ...process.env, DSM_PASSWORD: demo.password },
      });
    } catch (err) {
      throw new Error(`exit ${err.code}\n${err.stdout}\n${err.stderr}`, { cause: err });
    }
  }

  it('has the program and the parts that go into it', function () {
    assert.ok(program && program.includes('require('), 'the first js block is the program');
    assert.match(program, MORE);
    assert.equal(parts.length, 2);
  });

  it('uses no name it does not define and no top-level await (eslint, CommonJS, Node globals)', async function () {
    const eslint = new ESLint({
      cwd: ROOT,
      overrideConfigFile: true,
      overrideConfig: {
        languageOptions: { ecmaVersion: 2022, sourceType: 'commonjs', globals: globals.node },
        rules: { 'no-undef': 'error', 'no-unused-vars': 'error' },
      },
    });
    const whole = program.replace(MORE, parts.join('\n'));
    for (const code of [program, whole]) {
      const [result] = await eslint.lintText(code, { filePath: path.join(ROOT, 'readme-snippet.js') });
      assert.deepEqual(
        result.messages.map((m) => `${m.line}:${m.column} ${m.message}`),
        [],
      );
    }
  });

  it('runs as pasted: lists, uploads, downloads, deletes, logs out', async function () {
    const { stdout, stderr } = await runAsPasted(forSimulator(program, ref.sim));
    assert.equal(stderr, '');
    assert.match(stdout, /^\S+: downloads, home, photo, video$/m);
    assert.match(stdout, /^1 photos in \/home$/m);
    assert.equal(fs.readFileSync(path.join(dir, 'hello.txt'), 'utf8'), 'hello');
    assert.ok(
      !fs.existsSync(path.join(ref.sim.dataDir, 'home', 'notes')),
      'the uploaded folder is deleted again',
    );
    assert.equal(ref.sim.control.counters().methods['SYNO.API.Auth.logout'], 1);
  });

  it('runs with the Download Station and Cloud Sync parts in it', async function () {
    const before = ref.sim.control.counters().methods;
    const { stdout, stderr } = await runAsPasted(
      forSimulator(program.replace(MORE, parts.join('\n')), ref.sim),
    );
    assert.equal(stderr, '');
    assert.match(stdout, /^0 finished, 0 already there$/m);
    assert.match(stdout, /^1 Cloud Sync connections, 0 failing$/m);
    const after = ref.sim.control.counters().methods;
    const calls = (name) => (after[name] ?? 0) - (before[name] ?? 0);
    assert.ok(calls('SYNO.DownloadStation.Task.create') + calls('SYNO.DownloadStation2.Task.create') >= 1);
    assert.ok(calls('SYNO.CloudSync.pause') >= 1 && calls('SYNO.CloudSync.resume') >= 1);
    assert.ok(fs.existsSync(path.join(ref.sim.dataDir, 'video', 'iso')), 'editDestination made the folder');
  });
});
