#!/usr/bin/env node
'use strict';
// `npm run soak` (10,000 msgs; `-- --quick`: 1,000): a real Node-RED runtime with our nodes, driven through http-in
// endpoints in batches while the DSM simulator (in this process) ends sessions (106, 105, 119, 107), resets sockets,
// answers HTTP 502/503, answers late and restarts once; the NAS-side checks read its request log, files and tasks.
// Writes bench/soak.json and bench/SOAK.md; exits 1 when a target is missed.
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
const { countApplied, appliedTwice, nasEffects, watchCheck, watchErrors } = require('./soak/checks');

const root = path.resolve(__dirname, '..');
const quick = process.argv.includes('--quick');
const TOTAL = quick ? 1000 : 10000;
const BATCH = 50;
const TIMEOUT_S = 2;
const RESULT_WAIT_MS = 20000;
// The soak reads and empties the simulator's request log after every batch: room for a batch's requests.
const REQUEST_LOG_SIZE = 100_000;
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
  const simOptions = { port: simPort, host: '127.0.0.1', dataDir, requestLogSize: REQUEST_LOG_SIZE };
  let sim = await startSimulator(simOptions);
  // msg id -> requests of a non-idempotent operation that ran on the NAS (simulator request log).
  const applied = new Map();
  const readRequestLog = () => {
    countApplied(sim.control.requestLog(), applied);
    sim.control.clearRequestLog();
  };
  // Outages the soak makes (the restart): [from, to] in ms since the start, where the watch node may go offline.
  const outages = [];

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
      if (/synology-watch/.test(line)) watchErrorLines.push({ line, at: Date.now() - started });
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
    // The NAS's task list per simulator run, read at its end: what the watch node must have reported.
    const taskLists = [];
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
    const watchSaw = () => new Set(watchEvents.map((e) => `${e.topic} ${e.uri}`));
    /** Waits (at most `ms`) until the watch node has sent each of `events` (`topic uri`). */
    const waitForWatch = async (events, ms) => {
      for (const until = Date.now() + ms; Date.now() < until; await sleep(100)) {
        const seen = watchSaw();
        if (events.every((e) => seen.has(e))) return;
      }
    };
    /**
     * Finishes every task the NAS has (those whose create answer was lost finish on their own as the simulator's
     * clock runs: one finishing between the last listing and the restart or the end would be a change no listing
     * shows), lists them and waits until the watch node has told each as added and finished. Returns the listing.
     */
    const settleWatch = async () => {
      for (const t of await nasTasks(sim.url, user.username, user.password))
        if (t.status !== 'finished' && t.status !== 'seeding') sim.control.finishDownloadTask(t.id);
      const tasks = await nasTasks(sim.url, user.username, user.password);
      const events = tasks.flatMap((t) => [`download.added ${t.uri}`, `download.finished ${t.uri}`]);
      await waitForWatch(events, 10_000);
      return tasks;
    };

    for (let b = 0; b < totalBatches; b++) {
      const from = b * BATCH;
      const to = Math.min(TOTAL, from + BATCH);
      let fault = { name: 'none' };
      let outage;
      if (b === restartBatch) {
        const tasks = await settleWatch();
        taskLists.push({ epoch, tasks, removedByRestart: true });
        // The restart loses the session too: it waits for the re-login allowance.
        await sleep(faults.budget.waitMs());
        faults.budget.take();
        readRequestLog();
        outage = { from: Date.now() - started, to: Infinity };
        outages.push(outage);
        // In this process: the server closes (connections refused meanwhile) and a new one starts on the same port
        // and data folder, with no sessions and no Download Station tasks (they live in memory, unlike a real DSM's).
        await sim.close();
        sim = await startSimulator(simOptions);
        epoch += 1;
        // The new simulator numbers its tasks from dbid_1 again, which a real DSM never does: the batch waits until
        // the watch node has seen the empty list (each old task removed), or it would take a new dbid_1 for the old.
        await waitForWatch(
          tasks.map((t) => `download.removed ${t.uri}`),
          20_000,
        );
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
      readRequestLog();
      if (outage) outage.to = Date.now() - started + 1000;
      finishCreated(ids);
      batches.push({
        batch: b,
        fault: fault.name,
        session: Boolean(fault.session || SESSION_FAULTS.includes(fault.name)),
        performedKinds: fault.performedKinds ?? [],
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
    taskLists.push({ epoch, tasks: await settleWatch(), removedByRestart: false });
    readRequestLog();

    const report = evaluate({
      sent,
      results,
      strays,
      batches,
      unhandledLines,
      watchErrorLines,
      watchEvents,
      taskLists,
      outages,
      applied,
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
  // Non-idempotent operations applied twice, from the NAS's side: the simulator's request log counts per msg the
  // requests that ran the operation (a retry after a reset or a 502 after DSM did the work would run it again, and
  // fail on the first one's effect: that error alone would pass for the batch's one allowed Catch error).
  const twice = appliedTwice({
    sent,
    results,
    applied: ctx.applied,
    nonIdempotent: NON_IDEMPOTENT,
    nasTaskLinks: ctx.taskLists.flatMap((l) => l.tasks.map((t) => t.uri)),
  });
  // What is on the NAS: each output's effect, plus that of a msg a fault hit after DSM performed it.
  const soak = path.join(ctx.dataDir, 'home', 'soak');
  const filesIn = (dir) => fs.readdirSync(path.join(soak, dir)).length;
  const deleteMsgs = [...sent.values()].filter((m) => m.kind === 'delete').length;
  const effects = nasEffects({
    sent,
    results,
    batches,
    onNas: {
      upload: { on_nas: filesIn('up') },
      move: { on_nas: filesIn('moved'), sourcesLeft: filesIn('mv') },
      delete: { on_nas: deleteMsgs - filesIn('del') },
      'download-create': { on_nas: ctx.taskLists.reduce((n, l) => n + l.tasks.length, 0) },
    },
  });
  // The watch node: each task's one-time changes told once, none about a task the NAS did not have.
  const watch = watchCheck({ events: ctx.watchEvents, taskLists: ctx.taskLists, windows: ctx.outages });
  const watchErr = watchErrors(ctx.watchErrorLines, ctx.outages);
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
    unhandled: ctx.unhandledLines.length + ctx.strays.length + watchErr.outside.length,
    session_faults: sessionBatches.length,
    recovered,
    logins_per_session_loss_max: maxLogins,
    rss_growth_pct: rssGrowth === null ? null : Math.round(rssGrowth * 10) / 10,
    rss_mib: { after_warmup: round1(ctx.rssAfterWarmup), end: round1(ctx.rssEnd) },
    errors,
    unexpected_errors: unexpected.length,
    applied_twice: twice.twice.length,
    applied_checked: twice.checked,
    applied_unseen: twice.unseen.length,
    nas_effects: effects.effects,
    nas_effects_mismatched: effects.mismatched.length,
    watch: {
      ...watch.byTopic,
      unexpected: watch.unexpected.length,
      offline: watch.offline.length,
    },
    watch_errors_logged: watchErr.logged,
    watch_errors_outside_outage: watchErr.outside.length,
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
    applied_twice: twice.twice.length === 0 && twice.unseen.length === 0 && twice.checked > 0,
    nas_effects: effects.mismatched.length === 0,
    watch_errors: watchErr.outside.length === 0,
    watch_each_change_once:
      watch.missed.length === 0 &&
      watch.twice.length === 0 &&
      watch.unexpected.length === 0 &&
      watch.byTopic['download.added'].expected > 0,
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
      applied_twice: '== 0 (and every output seen run once)',
      nas_effects: 'files and tasks on the NAS == outputs + msgs hit after DSM performed them',
      watch_each_change_once: 'missed, twice, unexpected == 0',
      watch_errors: 'none outside an outage the soak made (counted in unhandled)',
    },
    met,
    detail: {
      not_recovered: notRecovered.slice(0, 20),
      unexpected: unexpected.slice(0, 20),
      applied_twice: twice.twice.slice(0, 20),
      applied_unseen: twice.unseen.slice(0, 20),
      nas_effects_mismatched: effects.mismatched,
      unhandled_lines: ctx.unhandledLines.slice(0, 20),
      strays: ctx.strays.slice(0, 20),
      watch_errors_outside_outage: watchErr.outside.slice(0, 20),
      watch_missed: watch.missed.slice(0, 20),
      watch_twice: watch.twice.slice(0, 20),
      watch_unexpected: watch.unexpected.slice(0, 20),
      outages: ctx.outages,
    },
  };
}

const round1 = (v) => (v === undefined ? null : Math.round(v * 10) / 10);

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
