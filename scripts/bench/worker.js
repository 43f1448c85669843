#!/usr/bin/env node
'use strict';
// One bench measurement in a fresh process: `node worker.js <variant> <json args>`. It does one untimed warm-up,
// prints {"ready":true}, waits for "go" on stdin, runs the timed part and prints {"result":{...}} (wall ms, this
// process's CPU seconds for the timed part, peak RSS where asked). See scripts/bench.js for the variants' use.
const fs = require('node:fs');
const path = require('node:path');
const http = require('node:http');
const readline = require('node:readline');

const [variant, rawArgs] = process.argv.slice(2);
const args = JSON.parse(rawArgs || '{}');
// The package to measure: this one, or another build of it (--client-root, for before/after figures).
const root = args.root ? path.resolve(args.root) : path.join(__dirname, '..', '..');
const dist = path.join(root, 'dist');

const send = (obj) => process.stdout.write(`${JSON.stringify(obj)}\n`);
const waitForGo = () =>
  new Promise((resolve) => {
    const lines = readline.createInterface({ input: process.stdin });
    lines.once('line', () => {
      lines.close();
      resolve();
    });
  });

/** Peak RSS since the last reset, from /proc (VmHWM); resettable by writing 5 to clear_refs (Linux). */
function peakRss() {
  try {
    const status = fs.readFileSync('/proc/self/status', 'utf8');
    return Number(/VmHWM:\s+(\d+)/.exec(status)[1]) * 1024;
  } catch {
    return undefined;
  }
}
function resetPeak() {
  try {
    fs.writeFileSync('/proc/self/clear_refs', '5');
    return true;
  } catch {
    return false;
  }
}

/** Wall ms and CPU seconds (user+sys of this process) of one run of fn. */
async function measure(fn) {
  const cpu0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  const extra = await fn();
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  const cpu = process.cpuUsage(cpu0);
  return { ms, cpu_s: (cpu.user + cpu.system) / 1e6, ...extra };
}

/**
 * `args.reps` timed transfers one after the other (each its own measure(), summed): more bytes per sample without a
 * longer single transfer. Names get `.<i>` after the first: each transfer writes a file of its own (as curl's do),
 * removed by the bench after the sample.
 */
async function repeated(one) {
  const total = { ms: 0, cpu_s: 0 };
  for (let i = 0; i < (args.reps ?? 1); i += 1) {
    const r = await measure(() => one(i).then(() => undefined));
    total.ms += r.ms;
    total.cpu_s += r.cpu_s;
  }
  return total;
}
const repName = (name, i) => (i === 0 ? name : `${name}.${i}`);

// ---- FileStation (the client library) ----

function fileStation() {
  const { DsmClient, FileStation } = require(dist);
  const client = new DsmClient({ url: args.url, username: args.username, password: args.password });
  return { client, files: new FileStation(client) };
}

async function fsUpload() {
  const { client, files } = fileStation();
  const up = (name) => files.upload({ file: args.source }, { folder: args.folder, name, overwrite: true });
  await up(`${args.name}.warm`);
  send({ ready: true });
  await waitForGo();
  const result = await repeated((i) => up(repName(args.name, i)));
  await client.close();
  return result;
}

async function fsDownload() {
  const { client, files } = fileStation();
  const down = (target) => files.download(args.remote, { file: target });
  await down(`${args.target}.warm`);
  fs.rmSync(`${args.target}.warm`, { force: true });
  send({ ready: true });
  await waitForGo();
  const result = await repeated((i) => down(repName(args.target, i)));
  await client.close();
  return result;
}

// ---- Node-RED nodes ----

/**
 * The nodes in a real Node-RED runtime (scripts/bench/runtime.js); `load(nodes)` deploys them wired to `out` and to a
 * Catch node wired to `caught` (junctions: their 'input' events are the outputs).
 */
async function nodeRed() {
  const { startRuntime } = require('./runtime');
  const red = await startRuntime(root);
  const port = new URL(args.url).port;
  const load = (nodes) =>
    red.deploy([
      { id: 'tab', type: 'tab', label: 'bench' },
      {
        id: 'dsm',
        type: 'synology-dsm',
        host: '127.0.0.1',
        port,
        protocol: 'http',
        tlsMode: 'verify',
        timeout: 600,
        credentials: { username: args.username, password: args.password },
      },
      ...nodes.map((n) => ({ z: 'tab', server: 'dsm', wires: [['out'], []], ...n })),
      { z: 'tab', id: 'catcher', type: 'catch', scope: null, uncaught: false, wires: [['caught']] },
      { z: 'tab', id: 'out', type: 'junction', wires: [] },
      { z: 'tab', id: 'caught', type: 'junction', wires: [] },
    ]);
  return { red, load };
}

/** Sends msgs to n1 and resolves with the output (or rejects with the caught error) of each. */
function nodeCaller(red) {
  const n1 = red.getNode('n1');
  const waiting = new Map();
  let next = 0;
  red.getNode('out').on('input', (msg) => {
    waiting.get(msg._benchId)?.resolve(msg);
    waiting.delete(msg._benchId);
  });
  red.getNode('caught').on('input', (msg) => {
    waiting.get(msg._benchId)?.reject(new Error(JSON.stringify(msg.error)));
    waiting.delete(msg._benchId);
  });
  return (msg) =>
    new Promise((resolve, reject) => {
      const id = ++next;
      waiting.set(id, { resolve, reject });
      n1.receive({ ...msg, _benchId: id });
    });
}

async function nodeTransfer(kind) {
  const { red, load } = await nodeRed();
  const node =
    kind === 'upload'
      ? {
          id: 'n1',
          type: 'synology-file-upload',
          folder: args.folder,
          folderType: 'str',
          source: 'file',
          localFile: 'localFile',
          localFileType: 'msg',
          filename: 'filename',
          filenameType: 'msg',
          overwrite: 'true',
        }
      : {
          id: 'n1',
          type: 'synology-file-download',
          path: 'remote',
          pathType: 'msg',
          target: 'file',
          localPath: 'localPath',
          localPathType: 'msg',
        };
  await load([node]);
  const call = nodeCaller(red);
  // `args.reps` transfers (repeated()), or (memory runs) one per item of `args.items` in turn: {name, source} or
  // {target, remote}.
  const items = args.items ?? [args];
  const run = (item, suffix) =>
    call(
      kind === 'upload'
        ? { filename: `${item.name}${suffix}`, localFile: item.source }
        : { localPath: `${item.target}${suffix}`, remote: item.remote },
    );
  await run(items[0], '.warm');
  if (kind === 'download') fs.rmSync(`${items[0].target}.warm`, { force: true });
  send({ ready: true });
  await waitForGo();
  if (!args.items) {
    const result = await repeated((i) => run(items[0], i > 0 ? `.${i}` : ''));
    await red.stop();
    return result;
  }
  const results = [];
  for (const item of items) {
    if (global.gc) global.gc();
    await new Promise((r) => setTimeout(r, 200));
    const idle = process.memoryUsage().rss;
    const peakReset = resetPeak();
    let sampled = idle;
    const sampler = setInterval(() => (sampled = Math.max(sampled, process.memoryUsage().rss)), 20);
    const result = await measure(() => run(item, '').then(() => undefined));
    clearInterval(sampler);
    const peak = Math.max(sampled, (peakReset && peakRss()) || 0);
    if (kind === 'download') fs.rmSync(item.target, { force: true });
    results.push({ ...result, rss_idle: idle, rss_peak: peak });
  }
  await red.stop();
  return { items: results };
}

// ---- Message rates at 64 in flight ----

async function inFlight(total, concurrency, one) {
  let started = 0;
  const lane = async () => {
    while (started < total) {
      started += 1;
      await one();
    }
  };
  await Promise.all(Array.from({ length: concurrency }, lane));
}

async function nodeMessages(kind) {
  const { red, load } = await nodeRed();
  const node =
    kind === 'list'
      ? { id: 'n1', type: 'synology-file-list', mode: 'list', path: args.folder, pathType: 'str' }
      : {
          id: 'n1',
          type: 'synology-api',
          api: 'SYNO.FileStation.List',
          apiType: 'str',
          method: 'list',
          methodType: 'str',
          version: 'auto',
          versionType: 'str',
          params: JSON.stringify({ folder_path: args.folder }),
          paramsType: 'json',
        };
  await load([node]);
  const call = nodeCaller(red);
  await inFlight(args.warm, args.concurrency, () => call({}));
  send({ ready: true });
  await waitForGo();
  const result = await measure(() => inFlight(args.calls, args.concurrency, () => call({})));
  await red.stop();
  return result;
}

/**
 * The same List.list requests as the node of `kind` sends (its query as the simulator's request log shows it), with
 * raw axios and a keep-alive agent: one login for a sid, nothing else.
 */
async function axiosMessages(kind) {
  const axios = require('axios');
  const agent = new http.Agent({ keepAlive: true, maxSockets: 16 });
  const api = axios.create({ baseURL: args.url, httpAgent: agent, proxy: false });
  const login = await api.get('/webapi/entry.cgi', {
    params: {
      api: 'SYNO.API.Auth',
      version: 7,
      method: 'login',
      account: args.username,
      passwd: args.password,
      format: 'sid',
    },
  });
  const sid = login.data.data.sid;
  const one = async () => {
    const res = await api.get('/webapi/entry.cgi', {
      params: {
        api: 'SYNO.FileStation.List',
        version: 2,
        method: 'list',
        folder_path: JSON.stringify(args.folder),
        ...(kind === 'list'
          ? { offset: 0, limit: 1000, additional: '["real_path","size","owner","time","perm","type"]' }
          : {}),
        _sid: sid,
      },
    });
    if (!res.data.success) throw new Error(JSON.stringify(res.data));
  };
  await inFlight(args.warm, args.concurrency, one);
  send({ ready: true });
  await waitForGo();
  const result = await measure(() => inFlight(args.calls, args.concurrency, one));
  agent.destroy();
  return result;
}

// ---- CPU per small call: DsmClient.call vs plain node:http, sequential ----

function plainGet(agent, url) {
  return new Promise((resolve, reject) => {
    http
      .get(url, { agent }, (res) => {
        const chunks = [];
        res.on('data', (d) => chunks.push(d));
        res.on('end', () => {
          const body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
          if (body.success) resolve();
          else reject(new Error(JSON.stringify(body)));
        });
      })
      .on('error', reject);
  });
}

async function sequential(n, one) {
  for (let i = 0; i < n; i += 1) await one();
}

async function clientCalls() {
  const { client } = fileStation();
  const one = () => client.call('SYNO.FileStation.Info', 'get');
  await sequential(args.warm, one);
  send({ ready: true });
  await waitForGo();
  const result = await measure(() => sequential(args.calls, one));
  await client.close();
  return result;
}

async function httpCalls() {
  const login = await fetch(
    `${args.url}/webapi/entry.cgi?api=SYNO.API.Auth&version=7&method=login&account=${encodeURIComponent(args.username)}&passwd=${encodeURIComponent(args.password)}&format=sid`,
  ).then((r) => r.json());
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const url = `${args.url}/webapi/entry.cgi?api=SYNO.FileStation.Info&version=2&method=get&_sid=${login.data.sid}`;
  const one = () => plainGet(agent, url);
  await sequential(args.warm, one);
  send({ ready: true });
  await waitForGo();
  const result = await measure(() => sequential(args.calls, one));
  agent.destroy();
  return result;
}

// ---- Listing a big folder through synology-file-list ----

async function listFolder() {
  const { red, load } = await nodeRed();
  const node = { id: 'n1', type: 'synology-file-list', mode: 'list', path: 'folder', pathType: 'msg' };
  await load([node]);
  const call = nodeCaller(red);
  await call({ folder: args.warmFolder });
  send({ ready: true });
  await waitForGo();
  // The folders one after the other (each listed once, cold), the simulator's counters read between them.
  const runs = [];
  for (const folder of args.folders) {
    const before = await simCounters();
    let count = 0;
    const result = await measure(async () => {
      const msg = await call({ folder });
      count = msg.payload.length;
    });
    const after = await simCounters();
    runs.push({ ...result, folder, entries: count, requests: listRequests(after) - listRequests(before) });
  }
  await red.stop();
  return { runs };
}

// ---- synology-watch over N Download Station tasks ----

/** The simulator's request counters (its control surface, not a DSM request: not counted). */
const simCounters = () => fetch(`${args.url}/sim/counters`).then((r) => r.json());
/** Task list requests, v1 or DS2 (whichever the client picked). */
const taskLists = (c) =>
  Object.entries(c.methods)
    .filter(([key]) => /^SYNO\.DownloadStation2?\.Task\.list$/.test(key))
    .reduce((sum, [, n]) => sum + n, 0);
const listRequests = (c) => c.methods['SYNO.FileStation.List.list'] ?? 0;
const allRequests = (c) => Object.values(c.methods).reduce((sum, n) => sum + n, 0);

/**
 * `args.tasks` Download Station tasks, then synology-watch on the download source with its real interval
 * (`args.interval` s). Untimed: the baseline poll and (unless `args.warmPoll` is false) one more. Timed: `args.polls`
 * intervals; at the end of each poll (its status call) the CPU of this process and the simulator's counters are read.
 * The counter read's own CPU is taken out of the next interval's figure.
 */
async function watchTasks() {
  const { red, load } = await nodeRed();
  const cpuNow = () => {
    const c = process.cpuUsage();
    return (c.user + c.system) / 1e6;
  };
  /** CPU and counters at a poll's end; `probe_cpu_s` is what reading the counters cost. */
  const sample = async () => {
    const cpu = cpuNow();
    const counters = await simCounters();
    return { cpu, counters, probe_cpu_s: cpuNow() - cpu };
  };
  await simCounters(); // fetch loads undici on first use: not a cost of the watch
  send({ ready: true });
  await waitForGo();
  const runs = [];
  for (const tasks of args.sizes) {
    const { client } = fileStation();
    const { DownloadStation } = require(dist);
    const ds = new DownloadStation(client);
    await ds.delete('all');
    const urls = Array.from({ length: tasks }, (_, i) => `https://example.com/bench/${i}.bin`);
    // The bench account has no default destination: the `bench` share.
    const { created } = await ds.create(urls, { destination: 'bench' });
    if (created.length !== tasks) throw new Error(`created ${created.length} of ${tasks} tasks`);
    await client.close();

    await load([{ id: 'n1', type: 'synology-watch', sources: 'download', interval: args.interval }]);
    const n1 = red.getNode('n1');
    let pollEnded;
    // A poll ends with the node's status; the real runtime has no spies, so the status call is wrapped here.
    const status = n1.status.bind(n1);
    n1.status = (s) => {
      if (s?.text !== 'stopped') pollEnded?.();
      return status(s);
    };
    const nextPoll = () => new Promise((resolve) => (pollEnded = resolve));
    await nextPoll(); // the baseline (emits nothing)
    // A first diff over all tasks, untimed: its end starts the first interval (quick runs time it instead).
    if (args.warmPoll !== false) await nextPoll();
    let last = await sample();
    const intervals = [];
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < args.polls; i += 1) {
      await nextPoll();
      const now = await sample();
      intervals.push({
        lists: taskLists(now.counters) - taskLists(last.counters),
        requests: allRequests(now.counters) - allRequests(last.counters),
        cpu_s: now.cpu - last.cpu - last.probe_cpu_s,
      });
      last = now;
    }
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    n1.receive({ command: 'stop' });
    runs.push({ ms, tasks, intervals });
  }
  await red.stop();
  return { runs };
}

const VARIANTS = {
  'fs-upload': fsUpload,
  'fs-download': fsDownload,
  'node-upload': () => nodeTransfer('upload'),
  'node-download': () => nodeTransfer('download'),
  'msgs-list': () => nodeMessages('list'),
  'msgs-api': () => nodeMessages('api'),
  'msgs-axios-list': () => axiosMessages('list'),
  'msgs-axios-api': () => axiosMessages('api'),
  'calls-client': clientCalls,
  'calls-http': httpCalls,
  'list-node': listFolder,
  'watch-tasks': watchTasks,
};

const run = VARIANTS[variant];
if (!run) {
  console.error(`unknown variant ${variant}; one of ${Object.keys(VARIANTS).join(', ')}`);
  process.exit(2);
}
run()
  .then((result) => {
    send({ result });
    process.exit(0);
  })
  .catch((err) => {
    send({ error: String(err?.stack ?? err) });
    process.exit(1);
  });
