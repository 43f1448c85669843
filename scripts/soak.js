#!/usr/bin/env node
'use strict';
// `npm run soak` (10,000 msgs; `-- --quick`: 1,000): a real Node-RED runtime with our nodes, driven through http-in
// endpoints in batches while the DSM simulator (in this process) loses sessions, kicks logins, resets sockets,
// answers HTTP 502/503, answers late and restarts once. Writes bench/soak.json and bench/SOAK.md; exits 1 when a target is missed.
// What it proves and what it leaves out: bench/SOAK.md.
const fs = require('node:fs');
const http = require('node:http');
const os = require('node:os');
const path = require('node:path');
const { startSimulator, DEFAULT_USERS } = require('@synoflow/dsm-simulator');
const { startNodeRed, freePort, rssMib } = require('./soak/node-red');
const { KINDS, NON_IDEMPOTENT, buildFlow } = require('./soak/flow');
const { SESSION_FAULTS, faultPicker } = require('./soak/faults');
const { writeSoakReport } = require('./soak/report');
const { nasTasks } = require('./soak/nas-tasks');

const root = path.resolve(__dirname, '..');
const quick = process.argv.includes('--quick');
const TOTAL = quick ? 1000 : 10000;
const BATCH = 50;
const TIMEOUT_S = 2;
const RESULT_WAIT_MS = 20000;
const user = DEFAULT_USERS.find((u) => !u.totpSecret);
const kinds = Object.keys(KINDS);

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Receives what the flow posts: one outcome per msg, and the watch node's events. */
function startCollector(onResult, onWatch) {
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', () => {
      const data = JSON.parse(body);
      if (req.url === '/result') onResult(data);
      else if (req.url === '/watch') onWatch(data);
      res.end('ok');
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

function postJson(url, body) {
  return new Promise((resolve, reject) => {
    const data = Buffer.from(JSON.stringify(body));
    const req = http.request(
      url,
      { method: 'POST', headers: { 'Content-Type': 'application/json', 'Content-Length': data.length } },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode));
      },
    );
    req.on('error', reject);
    req.end(data);
  });
}

/** The seeded files: a folder to list and download from, and one file per move and delete msg. */
function seed(dataDir) {
  const soak = path.join(dataDir, 'home', 'soak');
  for (const dir of ['listing', 'up', 'mv', 'moved', 'del'])
    fs.mkdirSync(path.join(soak, dir), { recursive: true });
  for (let i = 0; i < 20; i++)
    fs.writeFileSync(path.join(soak, 'listing', `f${i}.txt`), `file ${i}\n`.repeat(50));
  fs.mkdirSync(path.join(dataDir, 'downloads', 'soak'), { recursive: true });
}

/** msg number i: its kind and the fields the prep function puts on the msg. */
function msgFor(i, dataDir) {
  const kind = kinds[i % kinds.length];
  const id = `m${i}`;
  const fields = {};
  let body;
  if (kind === 'upload') {
    fields.filename = `${id}.txt`;
    body = `soak ${id}\n`;
  } else if (kind === 'download') fields.path = `/home/soak/listing/f${i % 20}.txt`;
  else if (kind === 'move' || kind === 'delete') {
    const dir = kind === 'move' ? 'mv' : 'del';
    fs.writeFileSync(path.join(dataDir, 'home', 'soak', dir, `${id}.txt`), id);
    fields.path = `/home/soak/${dir}/${id}.txt`;
  } else if (kind === 'download-create') fields.uri = `https://downloads.example.com/soak/${id}.iso`;
  return { id, kind, fields, body };
}

async function main() {
  const started = Date.now();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'synoflow-soak-nas-'));
  for (const share of ['home', 'photo', 'video', 'downloads']) fs.mkdirSync(path.join(dataDir, share));
  seed(dataDir);
  // The simulator's Download Station tasks live in memory: a restart starts their ids again (epoch 1).
  let epoch = 0;
  const simPort = await freePort();
  let sim = await startSimulator({ port: simPort, host: '127.0.0.1', dataDir });

  const results = new Map(); // id -> outcomes
  const waiters = new Map();
  const watchEvents = [];
  const strays = [];
  const collector = await startCollector(
    (r) => {
      if (!results.has(r.id)) {
        if (!sent.has(r.id)) strays.push(r);
        results.set(r.id, []);
      }
      results.get(r.id).push({ ...r, ms: Date.now() - (sent.get(r.id)?.at ?? Date.now()) });
      waiters.get(r.id)?.();
    },
    (e) => watchEvents.push({ ...e, epoch, at: Date.now() - started }),
  );
  const sent = new Map();
  const unhandledLines = [];
  const watchErrorLines = [];
  const nodeRed = await startNodeRed({
    onLine: (line) => {
      if (!/\[error\]/.test(line)) return;
      if (/synology-watch/.test(line)) watchErrorLines.push(line);
      else unhandledLines.push(line);
    },
  });
  let exitCode;
  try {
    const flow = buildFlow({
      simUrl: sim.url,
      collectorUrl: `http://127.0.0.1:${collector.address().port}`,
      username: user.username,
      password: user.password,
      timeoutS: TIMEOUT_S,
      watchIntervalS: 1,
    });
    const deployed = await postJson(`${nodeRed.url}/flows`, flow);
    if (deployed !== 200 && deployed !== 204) throw new Error(`deploying the flow answered ${deployed}`);
    await sleep(1500);

    /** The runtime's RSS after a full GC: the lowest of 3 samples 200 ms apart. */
    const settledRss = async () => {
      const samples = [];
      for (let k = 0; k < 3; k++) {
        if ((await postJson(`${nodeRed.url}/soak-gc`, {})) !== 200) throw new Error('the GC endpoint failed');
        await sleep(200);
        samples.push(rssMib(nodeRed.pid));
      }
      return Math.min(...samples.filter((v) => v !== undefined));
    };
    const finishedTasks = new Set();
    const nasTaskLinks = [];
    const batches = [];
    const totalBatches = Math.ceil(TOTAL / BATCH);
    const warmupBatches = Math.max(2, Math.round(totalBatches / 10));
    const restartBatch = Math.floor(totalBatches / 2);
    let rssAfterWarmup;
    const faults = faultPicker();

    /** Sends a batch at once; resolves when every msg has an outcome or its wait ran out. */
    const runBatch = async (from, to) => {
      const ids = [];
      await Promise.all(
        Array.from({ length: to - from }, async (_, k) => {
          const msg = msgFor(from + k, dataDir);
          sent.set(msg.id, { ...msg, at: Date.now() });
          ids.push(msg.id);
          const arrived = new Promise((resolve) => {
            if (results.has(msg.id)) return resolve();
            const timer = setTimeout(resolve, RESULT_WAIT_MS);
            waiters.set(msg.id, () => {
              clearTimeout(timer);
              resolve();
            });
          });
          const status = await postJson(`${nodeRed.url}/soak/${msg.kind}`, msg);
          if (status !== 202) throw new Error(`http-in ${msg.kind} answered ${status}`);
          await arrived;
        }),
      );
      // A second outcome (a duplicate) would follow within moments: give it the chance to show.
      await sleep(20);
      return ids;
    };

    /** Finishes the Download Station tasks created so far: the watch node must report each exactly once. */
    const finishCreated = (ids) => {
      for (const id of ids) {
        for (const r of results.get(id) ?? []) {
          for (const task of r.created ?? []) {
            if (finishedTasks.has(`${epoch}:${task}`)) continue;
            sim.control.finishDownloadTask(task);
            finishedTasks.add(`${epoch}:${task}`);
          }
        }
      }
    };
    const watchSaw = () =>
      new Set(watchEvents.filter((e) => e.topic === 'download.finished').map((e) => `${e.epoch}:${e.id}`));
    /**
     * The simulator's tasks also finish on their own (its clock runs with real time), those created by a create
     * whose answer was lost included: every task the NAS lists as finished is a change the watch node must report.
     * Lists the NAS and waits for the watch until a listing shows nothing new. Returns the last listing.
     */
    const settleWatch = async () => {
      for (;;) {
        const tasks = await nasTasks(sim.url, user.username, user.password);
        const before = finishedTasks.size;
        for (const t of tasks)
          if (t.status === 'finished' || t.status === 'seeding') finishedTasks.add(`${epoch}:${t.id}`);
        for (let t = 0; t < 50; t++) {
          const seen = watchSaw();
          if ([...finishedTasks].every((task) => seen.has(task))) break;
          await sleep(200);
        }
        if (finishedTasks.size === before) return tasks;
      }
    };

    for (let b = 0; b < totalBatches; b++) {
      const from = b * BATCH;
      const to = Math.min(TOTAL, from + BATCH);
      let fault = { name: 'none' };
      if (b === restartBatch) {
        nasTaskLinks.push(...(await settleWatch()).map((t) => t.uri));
        // The restart loses the session too: it waits for the re-login allowance.
        await sleep(faults.budget.waitMs());
        faults.budget.take();
        await sim.close();
        sim = await startSimulator({ port: simPort, host: '127.0.0.1', dataDir });
        epoch += 1;
        fault = { name: 'simulator restart', session: true };
      } else if (b >= warmupBatches && (quick || b % 2 === 0)) {
        fault = faults.next();
        fault.arm(sim.control);
      }
      const loginsBefore = sim.control.counters().loginSuccesses;
      const t0 = Date.now();
      const ids = await runBatch(from, to);
      const loginsAfter = sim.control.counters().loginSuccesses;
      sim.control.clearFaults();
      finishCreated(ids);
      batches.push({
        batch: b,
        fault: fault.name,
        session: Boolean(fault.session || SESSION_FAULTS.includes(fault.name)),
        ids,
        // After a restart the counters start again at 0.
        logins: fault.name === 'simulator restart' ? loginsAfter : loginsAfter - loginsBefore,
        ms: Date.now() - t0,
      });
      if (process.env.SOAK_DEBUG)
        console.error(`batch ${b} ${fault.name} ${Date.now() - t0} ms at ${Date.now() - started}`);
      if (b === warmupBatches - 1) rssAfterWarmup = await settledRss();
    }
    await settleWatch();
    await sleep(1500); // a duplicate watch event would come with the next polls
    const rssEnd = await settledRss();
    nasTaskLinks.push(...(await settleWatch()).map((t) => t.uri));

    const report = evaluate({
      sent,
      results,
      strays,
      batches,
      unhandledLines,
      watchErrorLines,
      watchEvents,
      finishedTasks,
      nasTaskLinks,
      dataDir,
      rssAfterWarmup,
      rssEnd,
    });
    report.quick = quick;
    report.msgs = sent.size;
    report.seconds = Math.round((Date.now() - started) / 1000);
    report.machine = {
      node: process.version,
      node_red: require('node-red/package.json').version,
      cpus: os.cpus().length,
      cpu_model: os.cpus()[0]?.model,
      platform: `${os.platform()} ${os.release()}`,
    };
    report.date = new Date().toISOString();
    await writeSoakReport(root, report);
    console.log(
      `lost=${report.lost} duplicated=${report.duplicated} unhandled=${report.unhandled} ` +
        `session_faults=${report.session_faults} recovered=${report.recovered}`,
    );
    const missed = Object.entries(report.met)
      .filter(([, ok]) => !ok)
      .map(([k]) => k);
    if (missed.length) console.log(`targets missed: ${missed.join(', ')}`);
    exitCode = missed.length ? 1 : 0;
  } finally {
    await nodeRed.stop();
    await sim.close();
    collector.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
  process.exit(exitCode);
}

/** The figures and the targets. */
function evaluate(ctx) {
  const { sent, results, batches } = ctx;
  let lost = 0;
  let duplicated = 0;
  let errors = 0;
  const unexpected = [];
  const byKind = {};
  const faultedIds = new Set(batches.filter((b) => b.fault !== 'none').flatMap((b) => b.ids));
  for (const [id, msg] of sent) {
    const outcomes = results.get(id) ?? [];
    const k = (byKind[msg.kind] ??= { msgs: 0, ok: 0, errors: 0, ms: [] });
    k.msgs += 1;
    if (outcomes[0]) k.ms.push(outcomes[0].ms);
    if (outcomes.length === 0) lost += 1;
    if (outcomes.length > 1) duplicated += 1;
    const first = outcomes[0];
    if (!first) continue;
    if (first.ok) k.ok += 1;
    else {
      k.errors += 1;
      errors += 1;
      if (!faultedIds.has(id))
        unexpected.push({ id, kind: msg.kind, code: first.code, message: first.message });
    }
  }
  // A socket reset, an HTTP error page or a late answer hits one request: more than one error in its batch is
  // unexpected, and so is an HTTP fault that reaches the Catch node as anything but its own status.
  for (const b of batches) {
    if (b.fault === 'none' || b.session) continue;
    const failed = b.ids.filter((id) => results.get(id)?.[0] && !results.get(id)[0].ok);
    for (const id of failed.slice(1)) unexpected.push({ id, kind: sent.get(id).kind, ...results.get(id)[0] });
    const status = /^HTTP (\d{3}) /.exec(b.fault)?.[1];
    for (const id of status ? failed.slice(0, 1) : []) {
      const { code } = results.get(id)[0];
      if (code !== `HTTP_${status}`) unexpected.push({ id, kind: sent.get(id).kind, ...results.get(id)[0] });
    }
  }
  // Session faults: every msg of the batch succeeds, with exactly one login.
  const sessionBatches = batches.filter((b) => b.session);
  const notRecovered = [];
  let recovered = 0;
  let maxLogins = 0;
  for (const b of sessionBatches) {
    const allOk = b.ids.every((id) => results.get(id)?.length === 1 && results.get(id)[0].ok);
    maxLogins = Math.max(maxLogins, b.logins);
    if (allOk && b.logins === 1) recovered += 1;
    else
      notRecovered.push({
        fault: b.fault,
        logins: b.logins,
        failed: b.ids
          .filter((id) => !results.get(id)?.[0]?.ok)
          .map((id) => ({ id, ...(results.get(id)?.[0] ?? { lost: true }) })),
      });
  }
  // Non-idempotent operations applied twice: the second application fails on the first one's effect (the upload's
  // file exists, the moved or deleted file is gone, the task URI is taken), and the files on disk match the count.
  const soak = path.join(ctx.dataDir, 'home', 'soak');
  const appliedTwice = [];
  for (const [id, msg] of sent) {
    if (!NON_IDEMPOTENT.includes(msg.kind)) continue;
    const outcomes = results.get(id) ?? [];
    if (outcomes.filter((o) => o.ok).length > 1)
      appliedTwice.push({ id, kind: msg.kind, why: 'two successes' });
    const first = outcomes[0];
    if (first && !first.ok && !faultedIds.has(id))
      appliedTwice.push({ id, kind: msg.kind, why: first.message });
  }
  const links = new Map();
  for (const link of ctx.nasTaskLinks) links.set(link, (links.get(link) ?? 0) + 1);
  for (const [link, n] of links)
    if (n > 1) appliedTwice.push({ kind: 'download-create', why: `${n} tasks for ${link}` });
  const uploadedFiles = fs.readdirSync(path.join(soak, 'up')).length;
  const movedFiles = fs.readdirSync(path.join(soak, 'moved')).length;
  const tasksCreated = [...results.values()].flat().reduce((n, r) => n + (r.created?.length ?? 0), 0);
  // The watch node: each finished task reported once, nothing reported that was not finished.
  const finishedEvents = ctx.watchEvents.filter((e) => e.topic === 'download.finished');
  const counts = new Map();
  for (const e of finishedEvents)
    counts.set(`${e.epoch}:${e.id}`, (counts.get(`${e.epoch}:${e.id}`) ?? 0) + 1);
  const watchMissed = [...ctx.finishedTasks].filter((t) => !counts.has(t)).length;
  const watchDuplicated = [...counts.values()].filter((n) => n > 1).length;
  const watchUnexpected = [...counts.keys()].filter((t) => !ctx.finishedTasks.has(t)).length;
  const rssGrowth =
    ctx.rssAfterWarmup && ctx.rssEnd ? ((ctx.rssEnd - ctx.rssAfterWarmup) / ctx.rssAfterWarmup) * 100 : null;
  const faults = {};
  for (const b of batches) {
    if (b.fault === 'none') continue;
    const f = (faults[b.fault] ??= { batches: 0, msgs: 0, errors: 0, logins: 0 });
    f.batches += 1;
    f.msgs += b.ids.length;
    f.errors += b.ids.filter((id) => results.get(id)?.[0] && !results.get(id)[0].ok).length;
    f.logins += b.logins;
  }
  for (const k of Object.values(byKind)) {
    const sorted = k.ms.sort((a, b) => a - b);
    k.median_ms = sorted[Math.floor(sorted.length / 2)] ?? null;
    k.max_ms = sorted[sorted.length - 1] ?? null;
    delete k.ms;
  }
  const figures = {
    lost,
    duplicated,
    unhandled: ctx.unhandledLines.length + ctx.strays.length,
    session_faults: sessionBatches.length,
    recovered,
    logins_per_session_loss_max: maxLogins,
    rss_growth_pct: rssGrowth === null ? null : Math.round(rssGrowth * 10) / 10,
    rss_mib: { after_warmup: round1(ctx.rssAfterWarmup), end: round1(ctx.rssEnd) },
    errors,
    unexpected_errors: unexpected.length,
    applied_twice: appliedTwice.length,
    watch_finished_expected: ctx.finishedTasks.size,
    watch_finished_missed: watchMissed,
    watch_finished_duplicated: watchDuplicated,
    watch_finished_unexpected: watchUnexpected,
    watch_errors_logged: ctx.watchErrorLines.length,
    uploaded_files: uploadedFiles,
    moved_files: movedFiles,
    tasks_created: tasksCreated,
    tasks_on_nas: ctx.nasTaskLinks.length,
    by_kind: byKind,
    faults,
  };
  const met = {
    lost: lost === 0,
    duplicated: duplicated === 0,
    unhandled: figures.unhandled === 0,
    recovered: recovered === sessionBatches.length && sessionBatches.length > 0,
    logins_per_session_loss: maxLogins === 1,
    rss_growth_pct: rssGrowth !== null && rssGrowth <= 10,
    unexpected_errors: unexpected.length === 0,
    applied_twice: appliedTwice.length === 0,
    watch_each_change_once: watchMissed === 0 && watchDuplicated === 0 && watchUnexpected === 0,
  };
  return {
    ...figures,
    targets: {
      lost: '== 0',
      duplicated: '== 0',
      unhandled: '== 0',
      recovered: '== session_faults',
      logins_per_session_loss: '== 1',
      rss_growth_pct: '<= 10',
      unexpected_errors: '== 0',
      applied_twice: '== 0',
      watch_each_change_once: 'missed, duplicated, unexpected == 0',
    },
    met,
    detail: {
      not_recovered: notRecovered.slice(0, 20),
      unexpected: unexpected.slice(0, 20),
      applied_twice: appliedTwice.slice(0, 20),
      unhandled_lines: ctx.unhandledLines.slice(0, 20),
      strays: ctx.strays.slice(0, 20),
      watch_duplicates: ctx.watchEvents
        .filter((e) => (counts.get(`${e.epoch}:${e.id}`) ?? 0) > 1)
        .slice(0, 20),
    },
  };
}

const round1 = (v) => (v === undefined ? null : Math.round(v * 10) / 10);

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
