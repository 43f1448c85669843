#!/usr/bin/env node
'use strict';
// `npm run bench` (add `-- --quick` for a short run): a measurement of the client and the nodes against the DSM
// simulator on loopback. The simulator runs in its own long-lived process (pinned to one core); every client variant
// and curl runs in a fresh process (pinned to the other core) after one untimed warm-up; rounds are interleaved
// with the order rotated each round; figures are medians with [min-max]. Writes bench/results.json and
// BENCHMARKS.md. Not part of `npm test`: nothing here asserts.
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const crypto = require('node:crypto');
const { execFileSync } = require('node:child_process');
const { hasTaskset, cpuSeconds, startServer, stopServer, runWorker, runTimed } = require('./bench/processes');
const { writeReport } = require('./bench/report');

const QUICK = process.argv.includes('--quick');
const MiB = 1 << 20;
const option = (name) => {
  const at = process.argv.indexOf(name);
  return at > 0 ? process.argv[at + 1] : undefined;
};
const CONFIG = QUICK
  ? {
      rounds: 3,
      // At 64 MiB a transfer lasted ~80 ms and per-msg costs decided the ratios; one 256 MiB transfer per sample made
      // the run too long. The client rows (FileStation, node, curl) time 3 transfers of 128 MiB per sample instead.
      transferMiB: 128,
      transferReps: 3,
      rssMiB: [64, 256],
      rssRounds: 3,
      calls: 500,
      msgs: 640,
      listRounds: 3,
      watchRounds: 3,
      watchPolls: 1,
      // The untimed diff after the baseline costs a whole interval per size (9 s of a quick run): quick times it.
      watchWarmPoll: false,
      watchInterval: 1,
    }
  : {
      rounds: 5,
      transferMiB: 512,
      transferReps: 1,
      rssMiB: [256, 1024],
      rssRounds: 5,
      calls: 4000,
      msgs: 4000,
      listRounds: 5,
      watchRounds: 5,
      watchPolls: 5,
      watchWarmPoll: true,
      // The watch node's minimum interval (s): the timed intervals stay short.
      watchInterval: 1,
    };
for (const [flag, key] of [
  ['--rounds', 'rounds'],
  ['--transfer-mib', 'transferMiB'],
  ['--transfer-reps', 'transferReps'],
  ['--list-rounds', 'listRounds'],
  ['--msgs', 'msgs'],
]) {
  if (option(flag)) CONFIG[key] = Number(option(flag));
}
// For before/after figures of a change: another build of this package (dist/ and nodes/) and of the simulator.
const CLIENT_ROOT = option('--client-root');
const SIM_BIN = option('--sim-bin') ?? path.join(__dirname, '..', 'simulator', 'bin', 'synology-dsm-sim.js');
const ONLY = option('--only')?.split(',');
const SERVER_CORE = hasTaskset && os.cpus().length > 1 ? 0 : undefined;
const CLIENT_CORE = hasTaskset && os.cpus().length > 1 ? 1 : undefined;
const USER = { username: 'bench', password: `bench-${crypto.randomBytes(6).toString('hex')}` };
const LIST_SIZES = [1000, 20000];
const WATCH_SIZES = [10, 100, 1000];

const log = (...args) => console.error(...args);

async function main() {
  const started = Date.now();
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'synoflow-bench-'));
  const dataDir = path.join(work, 'data');
  const local = path.join(work, 'local');
  for (const dir of ['home', 'bench', 'lists'].map((d) => path.join(dataDir, d)))
    fs.mkdirSync(dir, { recursive: true });
  fs.mkdirSync(local);
  fs.mkdirSync(path.join(work, 'minimal'));
  const sim = await startServer(SERVER_CORE, process.execPath, [
    SIM_BIN,
    '--port',
    '0',
    '--data',
    dataDir,
    '--user',
    `${USER.username}:${USER.password}`,
  ]);
  const minimal = await startServer(SERVER_CORE, process.execPath, [
    path.join(__dirname, 'bench', 'minimal-server.js'),
    path.join(work, 'minimal'),
  ]);
  const ctx = { sim, minimal, dataDir, local, work, sid: await login(sim.url) };
  const results = {};
  try {
    const sections = {
      transfers: () => transfers(ctx),
      rss: () => rss(ctx),
      messages: () => messages(ctx),
      calls: () => calls(ctx),
      listing: () => listing(ctx),
      watch: () => watchRows(ctx),
    };
    for (const [name, section] of Object.entries(sections)) {
      if (ONLY && !ONLY.includes(name)) continue;
      const sectionStart = Date.now();
      log(`== ${name}`);
      results[name] = await section();
      log(`   ${name}: ${((Date.now() - sectionStart) / 1000).toFixed(0)} s`);
    }
  } finally {
    await stopServer(sim);
    await stopServer(minimal);
    fs.rmSync(work, { recursive: true, force: true });
  }
  const machine = {
    cpu: os.cpus()[0]?.model ?? 'unknown',
    cores: os.cpus().length,
    memory_gib: Math.round(os.totalmem() / 2 ** 30),
    os: `${os.type()} ${os.release()}`,
    node: process.version,
    node_red: require('node-red/package.json').version,
    axios: require('axios/package.json').version,
    curl: curlVersion(),
    taskset: hasTaskset,
  };
  await writeReport({
    quick: QUICK,
    config: CONFIG,
    machine,
    results,
    seconds: (Date.now() - started) / 1000,
  });
}

async function login(url) {
  const query = new URLSearchParams({
    api: 'SYNO.API.Auth',
    version: '7',
    method: 'login',
    account: USER.username,
    passwd: USER.password,
    format: 'sid',
  });
  const answer = await fetch(`${url}/webapi/entry.cgi?${query}`).then((r) => r.json());
  if (!answer.success) throw new Error(`bench login failed: ${JSON.stringify(answer)}`);
  return answer.data.sid;
}

const simJson = (ctx, route, method = 'GET') =>
  fetch(`${ctx.sim.url}/sim/${route}`, { method }).then((r) => r.json());

/** The simulator's CPU seconds and request counters around a measured part. */
function simProbe(ctx) {
  return {
    before: async () => ({ cpu: cpuSeconds(ctx.sim.child.pid), counters: await simJson(ctx, 'counters') }),
    after: async (start) => {
      const counters = await simJson(ctx, 'counters');
      return {
        server_cpu_s: cpuSeconds(ctx.sim.child.pid) - start.cpu,
        requests:
          (counters.methods['SYNO.FileStation.List.list'] ?? 0) -
          (start.counters.methods['SYNO.FileStation.List.list'] ?? 0),
        logins: counters.loginSuccesses - start.counters.loginSuccesses,
      };
    },
  };
}

/** A file of `mib` MiB of random bytes (not sparse: it is read for real). */
function sourceFile(ctx, mib) {
  const file = path.join(ctx.local, `source-${mib}.bin`);
  if (fs.existsSync(file)) return file;
  const block = crypto.randomBytes(MiB);
  const fd = fs.openSync(file, 'w');
  for (let i = 0; i < mib; i += 1) fs.writeSync(fd, block);
  fs.closeSync(fd);
  return file;
}

const workerArgs = (ctx, extra) => ({ url: ctx.sim.url, ...USER, root: CLIENT_ROOT, ...extra });
const rotate = (items, by) => items.map((_, i) => items[(i + by) % items.length]);

/** Upload and download throughput and CPU: FileStation, the nodes, curl, and the ceilings, interleaved. */
async function transfers(ctx) {
  const mib = CONFIG.transferMiB;
  const bytes = mib * MiB;
  const source = sourceFile(ctx, mib);
  const remote = '/bench/remote.bin';
  fs.copyFileSync(source, path.join(ctx.dataDir, 'bench', 'remote.bin'));
  fs.copyFileSync(source, path.join(ctx.work, 'minimal', 'remote.bin'));
  const target = path.join(ctx.local, 'back.bin');
  const api = (name, method, extra = '') =>
    `${ctx.sim.url}/webapi/entry.cgi?api=SYNO.FileStation.${name}&version=2&method=${method}&_sid=${ctx.sid}${extra}`;
  const probe = simProbe(ctx);
  // A sample times CONFIG.transferReps transfers (dd: one).
  const reps = CONFIG.transferReps;
  const worker = (variant, extra) => async (round) => {
    // No --expose-gc here: a forced full GC before the timed part made V8 collect more often during it (more CPU).
    const named = extra.name ? { ...extra, name: `${extra.name}-${round}.bin` } : extra;
    const r = await runWorker(CLIENT_CORE, variant, workerArgs(ctx, { ...named, reps }), probe);
    return { ...r, mib: mib * reps };
  };
  // curl: an untimed warm-up process, then one process for the sample's transfers (`--next`), as a worker has one
  // startup per sample; `argsFor(w)` gives each transfer its own output file, so none truncates the one before in
  // its time. curl's CPU is its whole process (startup included), its time the sum of its transfers' time_total.
  const curl =
    (argsFor, server = ctx.sim) =>
    async (round) => {
      await runTimed(CLIENT_CORE, 'curl', argsFor(`warm-${round}`)); // warm-up: the server's first request of its kind
      removeSampleFiles(ctx);
      const before = cpuSeconds(server.child.pid);
      const transfers = Array.from({ length: reps }, (_, i) => argsFor(`timed-${round}-${i}`));
      const run = await runTimed(
        CLIENT_CORE,
        'curl',
        transfers.flatMap((argv, i) => (i === 0 ? argv : ['--next', ...argv])),
      );
      const serverCpu = cpuSeconds(server.child.pid) - before;
      const seconds = run.stdout.split('\n').map(Number);
      if (seconds.length !== reps || seconds.some((t) => !Number.isFinite(t)))
        throw new Error(`curl printed "${run.stdout}" for ${reps} transfers`);
      return {
        ms: seconds.reduce((sum, t) => sum + t, 0) * 1000,
        cpu_s: run.cpu_s,
        mib: mib * reps,
        server_cpu_s: serverCpu,
      };
    };
  const curlCommon = ['-sS', '--fail', '-H', 'Expect:', '-w', '%{time_total}\n'];
  const upload = (name) => [
    '-F',
    'path=/bench',
    '-F',
    'overwrite=true',
    '-F',
    `file=@${source};filename=${name}`,
  ];
  const variants = {
    'upload FileStation': worker('fs-upload', { source, folder: '/bench', name: 'fs-up' }),
    'upload node': worker('node-upload', { source, folder: '/bench', name: 'node-up' }),
    'upload curl': curl((w) => [
      ...curlCommon,
      '-o',
      '/dev/null',
      ...upload(`curl-${w}.bin`),
      api('Upload', 'upload'),
    ]),
    'download FileStation': worker('fs-download', { remote, target }),
    'download node': worker('node-download', { remote, target }),
    'download curl': curl((w) => [
      ...curlCommon,
      '-o',
      `${target}-${w}`,
      api('Download', 'download', `&mode=download&path=${encodeURIComponent(remote)}`),
    ]),
    'upload curl, minimal server': curl(
      (w) => [
        ...curlCommon,
        '-o',
        '/dev/null',
        ...upload('x.bin'),
        `${ctx.minimal.url}/store?file=up-${w}.bin`,
      ],
      ctx.minimal,
    ),
    'download curl, minimal server': curl(
      (w) => [...curlCommon, '-o', `${target}-${w}`, `${ctx.minimal.url}/file?file=remote.bin`],
      ctx.minimal,
    ),
    'upload loopback, body discarded': curl(
      // -T streams the file (--data-binary @file would read it all into memory first).
      () => [...curlCommon, '-o', '/dev/null', '-X', 'POST', '-T', source, `${ctx.minimal.url}/discard`],
      ctx.minimal,
    ),
    'download loopback, body discarded': curl(
      () => [...curlCommon, '-o', '/dev/null', `${ctx.minimal.url}/zero?bytes=${bytes}`],
      ctx.minimal,
    ),
    // The local side of the transfers: no fsync, as they do (the disk itself is settled between samples).
    'file write (dd, page cache)': async () => {
      const run = await runTimed(CLIENT_CORE, 'dd', [`if=${source}`, `of=${target}`, `bs=1M`, 'status=none']);
      return { ms: run.ms, cpu_s: run.cpu_s };
    },
    'file read (dd, page cache)': async () => {
      const run = await runTimed(CLIENT_CORE, 'dd', [
        `if=${path.join(ctx.dataDir, 'bench', 'remote.bin')}`,
        'of=/dev/null',
        'bs=1M',
        'status=none',
      ]);
      return { ms: run.ms, cpu_s: run.cpu_s };
    },
  };
  const names = Object.keys(variants);
  const rounds = [];
  settleDisk(); // the source files just written
  for (let round = 0; round < CONFIG.rounds; round += 1) {
    const samples = {};
    for (const name of rotate(names, round)) {
      const r = await variants[name](round);
      // Every timed transfer writes a new file (replacing one costs the old file's removal, a cost of its own that
      // varies): the files are removed after their sample, untimed, and the disk settled, so the next sample starts
      // with no writeback of this one pending.
      removeSampleFiles(ctx);
      settleDisk();
      samples[name] = { ...r, mib: r.mib ?? mib, mib_s: (r.mib ?? mib) / (r.ms / 1000) };
      log(
        `  round ${round + 1} ${name}: ${samples[name].mib_s.toFixed(0)} MiB/s, cpu ${r.cpu_s.toFixed(2)} s`,
      );
    }
    rounds.push(samples);
  }
  return { mib, rounds };
}

/** Node-RED RSS, peak minus idle, of the upload and download nodes at the RSS sizes. */
async function rss(ctx) {
  const out = {};
  const items = { upload: [], download: [] };
  for (const mib of CONFIG.rssMiB) {
    const source = sourceFile(ctx, mib);
    fs.copyFileSync(source, path.join(ctx.dataDir, 'bench', `rss-${mib}.bin`));
    items.upload.push({ source, name: `rss-up-${mib}.bin` });
    items.download.push({
      remote: `/bench/rss-${mib}.bin`,
      target: path.join(ctx.local, `rss-back-${mib}.bin`),
    });
    out[mib] = { upload: [], download: [] };
  }
  // A fresh process per kind and round, the sizes one after the other in it (a forced GC and the peak reset before
  // each); the runs of their own: the transfer rounds take no GC before their idle figure.
  for (let round = 0; round < CONFIG.rssRounds; round += 1) {
    for (const kind of rotate(['upload', 'download'], round)) {
      const r = await runWorker(
        CLIENT_CORE,
        `node-${kind}`,
        workerArgs(ctx, { folder: '/bench', items: items[kind] }),
        {
          nodeArgs: ['--expose-gc'],
        },
      );
      r.items.forEach((one, i) => {
        const mib = CONFIG.rssMiB[i];
        out[mib][kind].push({ ...one, rss_mib: (one.rss_peak - one.rss_idle) / MiB });
        log(`  ${mib} MiB ${kind}: +${((one.rss_peak - one.rss_idle) / MiB).toFixed(1)} MiB`);
      });
    }
  }
  for (const mib of CONFIG.rssMiB) {
    fs.rmSync(sourceFile(ctx, mib), { force: true });
    fs.rmSync(path.join(ctx.dataDir, 'bench', `rss-${mib}.bin`), { force: true });
  }
  return out;
}

/** msgs/s at 64 in flight through synology-file-list and synology-api vs raw axios, and the logins they took. */
async function messages(ctx) {
  const folder = '/home/msgs';
  fs.mkdirSync(path.join(ctx.dataDir, 'home', 'msgs'), { recursive: true });
  for (let i = 0; i < 20; i += 1)
    fs.writeFileSync(path.join(ctx.dataDir, 'home', 'msgs', `f${i}.txt`), `${i}`);
  const args = workerArgs(ctx, { folder, concurrency: 64, calls: CONFIG.msgs, warm: QUICK ? 128 : 256 });
  const probe = simProbe(ctx);
  const variants = ['msgs-list', 'msgs-axios-list', 'msgs-api', 'msgs-axios-api'];
  const rounds = [];
  for (let round = 0; round < CONFIG.rounds; round += 1) {
    const samples = {};
    for (const variant of rotate(variants, round)) {
      // Logins are counted over the worker's whole life: a cold start with 64 msgs at once must log in once.
      const before = await simJson(ctx, 'counters');
      const r = await runWorker(CLIENT_CORE, variant, args, probe);
      const afterAll = await simJson(ctx, 'counters');
      samples[variant] = {
        ...r,
        msgs_s: CONFIG.msgs / (r.ms / 1000),
        cold_logins: afterAll.loginSuccesses - before.loginSuccesses,
      };
      log(
        `  round ${round + 1} ${variant}: ${samples[variant].msgs_s.toFixed(0)} msgs/s, logins ${samples[variant].cold_logins}`,
      );
    }
    rounds.push(samples);
  }
  return { calls: CONFIG.msgs, concurrency: 64, rounds };
}

/** CPU per sequential small call: DsmClient.call vs plain node:http (keep-alive). */
async function calls(ctx) {
  const args = workerArgs(ctx, { calls: CONFIG.calls, warm: QUICK ? 100 : 200 });
  const rounds = [];
  for (let round = 0; round < CONFIG.rounds; round += 1) {
    const samples = {};
    for (const variant of rotate(['calls-client', 'calls-http'], round)) {
      const r = await runWorker(CLIENT_CORE, variant, args);
      samples[variant] = {
        ...r,
        cpu_ms_per_call: (r.cpu_s * 1000) / CONFIG.calls,
        calls_s: CONFIG.calls / (r.ms / 1000),
      };
      log(`  round ${round + 1} ${variant}: ${samples[variant].calls_s.toFixed(0)} calls/s`);
    }
    rounds.push(samples);
  }
  return { calls: CONFIG.calls, rounds };
}

/** Listing 1,000 and 20,000 files through synology-file-list: time and List.list requests. */
async function listing(ctx) {
  const folders = {};
  for (const n of [10, ...LIST_SIZES]) {
    const dir = path.join(ctx.dataDir, 'lists', `n${n}`);
    fs.mkdirSync(dir, { recursive: true });
    for (let i = 0; i < n; i += 1)
      fs.writeFileSync(path.join(dir, `file-${String(i).padStart(6, '0')}.txt`), '');
    folders[n] = `/lists/n${n}`;
  }
  const out = {};
  for (const n of LIST_SIZES) out[n] = [];
  for (let round = 0; round < CONFIG.listRounds; round += 1) {
    // A change to the folders between rounds: each round lists them as the first time (no cached listing).
    for (const n of LIST_SIZES) {
      const touch = path.join(ctx.dataDir, 'lists', `n${n}`, 'touch');
      fs.writeFileSync(touch, '');
      fs.rmSync(touch);
    }
    // One fresh Node-RED per round; the sizes one after the other in it, their order rotated each round.
    const sizes = rotate(LIST_SIZES, round);
    const { runs } = await runWorker(
      CLIENT_CORE,
      'list-node',
      workerArgs(ctx, { folders: sizes.map((n) => folders[n]), warmFolder: folders[10] }),
    );
    runs.forEach((r, i) => {
      const n = sizes[i];
      if (r.entries !== n) throw new Error(`listing ${n} files returned ${r.entries} entries`);
      out[n].push(r);
      log(`  round ${round + 1} ${n} files: ${(r.ms / 1000).toFixed(2)} s, ${r.requests} requests`);
    });
  }
  return out;
}

/**
 * synology-watch on the download source over 10 / 100 / 1,000 Download Station tasks, with its real interval: the
 * Task list requests (and all DSM requests) in each interval, and the watch process's CPU per poll (the whole
 * interval: the poll, the diff, the msgs and Node-RED idling). Each run creates its tasks afresh, so every round sees
 * them at the same age.
 */
async function watchRows(ctx) {
  const out = {};
  for (const n of WATCH_SIZES) out[n] = [];
  for (let round = 0; round < CONFIG.watchRounds; round += 1) {
    // One fresh process per round; the sizes one after the other in it, their order rotated each round.
    const r = await runWorker(
      CLIENT_CORE,
      'watch-tasks',
      workerArgs(ctx, {
        sizes: rotate(WATCH_SIZES, round),
        polls: CONFIG.watchPolls,
        warmPoll: CONFIG.watchWarmPoll,
        interval: CONFIG.watchInterval,
      }),
    );
    for (const run of r.runs) {
      out[run.tasks].push(run);
      const lists = run.intervals.map((i) => i.lists).join(',');
      const cpu = run.intervals.map((i) => (i.cpu_s * 1000).toFixed(1)).join(',');
      log(
        `  round ${round + 1} ${run.tasks} tasks: list requests per interval ${lists}; CPU ms per poll ${cpu}`,
      );
    }
  }
  return out;
}

/**
 * Every file a transfer sample wrote: its uploads (on the simulator or the minimal server: all but remote.bin) and
 * its downloads (`back.bin`, a worker's `back.bin.<i>`, curl's `back.bin-<w>`).
 */
function removeSampleFiles(ctx) {
  for (const dir of [path.join(ctx.dataDir, 'bench'), path.join(ctx.work, 'minimal')])
    for (const name of fs.readdirSync(dir))
      if (name !== 'remote.bin') fs.rmSync(path.join(dir, name), { recursive: true, force: true });
  for (const name of fs.readdirSync(ctx.local))
    if (name.startsWith('back.bin')) fs.rmSync(path.join(ctx.local, name), { force: true });
}

/** Writes the page cache's dirty pages out (untimed), where the `sync` command exists. */
function settleDisk() {
  try {
    execFileSync('sync');
  } catch {
    // no sync command: samples then share the writeback, as before
  }
}

function curlVersion() {
  try {
    return execFileSync('curl', ['--version']).toString().split('\n')[0].split(' ').slice(0, 2).join(' ');
  } catch {
    return undefined;
  }
}

(process.argv.includes('--report-only') ? require('./bench/report').rerender() : main()).catch((err) => {
  console.error(err);
  process.exit(1);
});
