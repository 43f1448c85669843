#!/usr/bin/env node
'use strict';
// `npm run bench`: what the client costs over plain HTTP against the simulator on loopback. Writes BENCHMARKS.md.
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const http = require('node:http');
const { execFile } = require('node:child_process');
const run = require('node:util').promisify(execFile);
const { DsmClient, FileStation } = require('../dist');
const { startSimulator, DEFAULT_USERS } = require('@synoflow/dsm-simulator');

const CALLS = Number(process.env.BENCH_CALLS || 2000);
const TRANSFER_BYTES = Number(process.env.BENCH_TRANSFER_BYTES || 512 * 1024 * 1024);
const demo = DEFAULT_USERS.find((u) => !u.totpSecret);

function plainGet(agent, url) {
  return new Promise((resolve, reject) => {
    http
      .get(url, { agent }, (res) => {
        let body = '';
        res.on('data', (d) => (body += d));
        res.on('end', () => (JSON.parse(body).success ? resolve() : reject(new Error(body))));
      })
      .on('error', reject);
  });
}

async function timed(fn) {
  const start = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - start) / 1e6;
}

/** Upload and download of one file through the client and through curl, on the same simulator. */
async function transfers(sim, client, sid) {
  const files = new FileStation(client);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'synoflow-bench-'));
  const source = path.join(dir, 'source.bin');
  fs.writeFileSync(source, Buffer.alloc(1024 * 1024, 1));
  fs.truncateSync(source, TRANSFER_BYTES);
  const mb = TRANSFER_BYTES / 1024 / 1024;
  const rate = (ms) => `${Math.round(mb / (ms / 1000))} MB/s`;
  const rows = [];
  try {
    const up = await timed(() =>
      files.upload({ file: source }, { folder: '/home', name: 'bench.bin', overwrite: true }),
    );
    const down = await timed(() => files.download('/home/bench.bin', { file: path.join(dir, 'back.bin') }));
    const query = (api, method, version) => `api=${api}&version=${version}&method=${method}&_sid=${sid}`;
    const curlUp = await timed(async () =>
      run('curl', [
        '-sS',
        '-F',
        'path=/home',
        '-F',
        'overwrite=true',
        '-F',
        `file=@${source};filename=curl.bin`,
        `${sim.url}/webapi/entry.cgi?${query('SYNO.FileStation.Upload', 'upload', 2)}`,
      ]),
    );
    const curlDown = await timed(async () =>
      run('curl', [
        '-sS',
        '-o',
        path.join(dir, 'curl-back.bin'),
        `${sim.url}/webapi/entry.cgi?${query('SYNO.FileStation.Download', 'download', 2)}&mode=download&path=%2Fhome%2Fcurl.bin`,
      ]),
    );
    rows.push([`upload ${mb} MiB, DsmClient (FileStation.upload)`, `${up.toFixed(0)} ms`, rate(up)]);
    rows.push([`upload ${mb} MiB, curl -F`, `${curlUp.toFixed(0)} ms`, rate(curlUp)]);
    rows.push([`download ${mb} MiB, DsmClient (FileStation.download)`, `${down.toFixed(0)} ms`, rate(down)]);
    rows.push([`download ${mb} MiB, curl -o`, `${curlDown.toFixed(0)} ms`, rate(curlDown)]);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  return rows;
}

async function main() {
  const sim = await startSimulator({ port: 0 });
  const rows = [];
  try {
    // Baseline: the same request with a hand-made sid over a keep-alive agent, no client logic.
    const client = new DsmClient({ url: sim.url, username: demo.username, password: demo.password });
    const coldMs = await timed(() =>
      Promise.all(Array.from({ length: 50 }, () => client.call('SYNO.FileStation.Info', 'get'))),
    );
    const logins = sim.control.counters().loginSuccesses;
    rows.push(['50 concurrent calls on a cold client', `${coldMs.toFixed(1)} ms`, `${logins} login`]);

    const login = await fetch(
      `${sim.url}/webapi/entry.cgi?api=SYNO.API.Auth&version=7&method=login&account=${demo.username}&passwd=${demo.password}&format=sid`,
    ).then((r) => r.json());
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const url = `${sim.url}/webapi/entry.cgi?api=SYNO.FileStation.Info&version=2&method=get&_sid=${login.data.sid}`;
    await plainGet(agent, url);
    const plainMs = await timed(async () => {
      for (let i = 0; i < CALLS; i++) await plainGet(agent, url);
    });
    const clientMs = await timed(async () => {
      for (let i = 0; i < CALLS; i++) await client.call('SYNO.FileStation.Info', 'get');
    });
    const perSecond = (ms) => Math.round((CALLS / ms) * 1000);
    rows.push([
      `${CALLS} sequential calls, plain node:http`,
      `${plainMs.toFixed(0)} ms`,
      `${perSecond(plainMs)} calls/s`,
    ]);
    rows.push([
      `${CALLS} sequential calls, DsmClient.call`,
      `${clientMs.toFixed(0)} ms`,
      `${perSecond(clientMs)} calls/s`,
    ]);
    rows.push(['client overhead per call', `${((clientMs - plainMs) / CALLS).toFixed(3)} ms`, '']);
    agent.destroy();
    rows.push(...(await transfers(sim, client, login.data.sid)));
    await client.close();
  } finally {
    await sim.close();
  }

  const table = rows.map((r) => `| ${r.join(' | ')} |`).join('\n');
  const text = `# Benchmarks

Measured by \`npm run bench\` (scripts/bench.js) against the DSM simulator on loopback, ${new Date().toISOString().slice(0, 10)},
Node ${process.version}, ${os.cpus().length} cores (${os.cpus()[0]?.model ?? 'unknown cpu'}). Figures vary between runs
and machines; the simulator answers in microseconds, so this shows what the client adds, not what a NAS takes.

| what | time | result |
|---|---|---|
${table}

Peak memory of a 1 GiB upload plus download (client and simulator in one process) is checked by
\`test/large-transfer.test.js\` on every test run: under 200 MB (about 110 MB measured).
`;
  fs.writeFileSync(path.join(__dirname, '..', 'BENCHMARKS.md'), text);
  console.log(text);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
