'use strict';
// Turns the bench samples into bench/results.json (the issue's keys, medians) and the tables of BENCHMARKS.md.
const fs = require('node:fs');
const path = require('node:path');

const root = path.join(__dirname, '..', '..');
const GiB = 1 << 30;

function stats(values) {
  const sorted = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  if (sorted.length === 0) return undefined;
  const mid = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  return { median, min: sorted[0], max: sorted[sorted.length - 1], n: sorted.length };
}

const round = (v, digits = 2) => (v === undefined ? null : Number(v.toFixed(digits)));
const fmt = (s, digits = 2) =>
  s ? `${s.median.toFixed(digits)} [${s.min.toFixed(digits)}-${s.max.toFixed(digits)}]` : 'n/a';
const sizeKey = (mib) => (mib >= 1024 ? `${mib / 1024}GiB` : `${mib}MiB`);

function transferFigures(t) {
  const per = (name, f) => stats(t.rounds.map((r) => (r[name] ? f(r[name], r) : undefined)));
  // A sample's MiB: the transfer size times the transfers it timed (older results: one).
  const gib = (s) => ((s.mib ?? t.mib) * (1 << 20)) / GiB;
  const figures = {};
  for (const name of Object.keys(t.rounds[0])) {
    figures[name] = {
      mib_s: per(name, (s) => s.mib_s),
      cpu_s_per_gib: per(name, (s) => s.cpu_s / gib(s)),
      server_cpu_s_per_gib: per(name, (s) =>
        s.server_cpu_s === undefined ? undefined : s.server_cpu_s / gib(s),
      ),
    };
  }
  const ratio = (a, b, f) => per(a, (s, r) => f(s) / f(r[b]));
  return {
    figures,
    upload_ratio: ratio('upload node', 'upload curl', (s) => s.mib_s),
    download_ratio: ratio('download node', 'download curl', (s) => s.mib_s),
    upload_fs_ratio: ratio('upload FileStation', 'upload curl', (s) => s.mib_s),
    download_fs_ratio: ratio('download FileStation', 'download curl', (s) => s.mib_s),
    upload_cpu_ratio: ratio('upload node', 'upload curl', (s) => s.cpu_s),
    download_cpu_ratio: ratio('download node', 'download curl', (s) => s.cpu_s),
    upload_fs_cpu_ratio: ratio('upload FileStation', 'upload curl', (s) => s.cpu_s),
    download_fs_cpu_ratio: ratio('download FileStation', 'download curl', (s) => s.cpu_s),
    curl_sim_vs_minimal_upload: ratio('upload curl', 'upload curl, minimal server', (s) => s.mib_s),
    curl_sim_vs_minimal_download: ratio('download curl', 'download curl, minimal server', (s) => s.mib_s),
  };
}

function messageFigures(m) {
  const per = (f) => stats(m.rounds.map(f));
  const variants = ['msgs-list', 'msgs-axios-list', 'msgs-api', 'msgs-axios-api'];
  const ratio = (r, kind) => r[`msgs-${kind}`].msgs_s / r[`msgs-axios-${kind}`].msgs_s;
  return {
    rates: Object.fromEntries(variants.map((v) => [v, per((r) => r[v].msgs_s)])),
    cpu_ms_per_msg: Object.fromEntries(variants.map((v) => [v, per((r) => (r[v].cpu_s * 1000) / m.calls)])),
    server_cpu_ms_per_msg: Object.fromEntries(
      variants.map((v) => [v, per((r) => (r[v].server_cpu_s * 1000) / m.calls)]),
    ),
    list_ratio: per((r) => ratio(r, 'list')),
    api_ratio: per((r) => ratio(r, 'api')),
    msg_ratio: per((r) => Math.min(ratio(r, 'list'), ratio(r, 'api'))),
    logins: Math.max(...m.rounds.flatMap((r) => [r['msgs-list'].cold_logins, r['msgs-api'].cold_logins])),
  };
}

function callFigures(c) {
  const per = (f) => stats(c.rounds.map(f));
  return {
    client_cpu_ms: per((r) => r['calls-client'].cpu_ms_per_call),
    http_cpu_ms: per((r) => r['calls-http'].cpu_ms_per_call),
    cpu_ratio: per((r) => r['calls-client'].cpu_ms_per_call / r['calls-http'].cpu_ms_per_call),
    client_calls_s: per((r) => r['calls-client'].calls_s),
    http_calls_s: per((r) => r['calls-http'].calls_s),
    rate_ratio: per((r) => r['calls-client'].calls_s / r['calls-http'].calls_s),
  };
}

/**
 * Per size: Task list requests and all DSM requests in each timed interval, CPU ms per poll (stats over every interval
 * of every round), and the key's figure: the one count every interval had, or "min-max" when they differ (not met).
 */
function watchFigures(runs) {
  const per = (f) =>
    Object.fromEntries(
      Object.entries(runs).map(([n, rows]) => [n, stats(rows.flatMap((r) => r.intervals.map(f)))]),
    );
  const all = per((i) => i.requests);
  return {
    requests_per_interval: per((i) => i.lists),
    all_requests_per_interval: all,
    cpu_ms_per_poll: per((i) => i.cpu_s * 1000),
    // The target counts every DSM request of an interval, not only the task lists.
    key: Object.fromEntries(
      Object.entries(all).map(([n, s]) => [n, s.min === s.max ? s.max : `${s.min}-${s.max}`]),
    ),
    runs,
  };
}

const TARGETS = {
  upload_ratio: ['>=', 0.9],
  download_ratio: ['>=', 0.9],
  upload_cpu_ratio: ['<=', 2.5],
  download_cpu_ratio: ['<=', 2.5],
  upload_rss_mib: ['<=', 64],
  download_rss_mib: ['<=', 64],
  msg_ratio: ['>=', 0.8],
  logins: ['==', 1],
  list_20k_s: ['<=', 3],
  list_20k_requests: ['<=', 21],
  watch_requests_per_interval: ['==', 1],
};

function meets(key, value) {
  if (value === null || value === undefined) return undefined;
  if (typeof value === 'object') return Object.values(value).every((v) => meets(key, v));
  const [op, target] = TARGETS[key];
  return op === '>=' ? value >= target : op === '<=' ? value <= target : value === target;
}

/** Formatted as `npm run lint` wants it (prettier checks the repository's JSON and Markdown). */
async function pretty(text, parser) {
  try {
    const prettier = require('prettier');
    const options = (await prettier.resolveConfig(path.join(root, 'BENCHMARKS.md'))) ?? {};
    return await prettier.format(text, { ...options, parser });
  } catch {
    return text;
  }
}

async function writeReport({ quick, config, machine, results, seconds }) {
  const t = results.transfers && transferFigures(results.transfers);
  const m = results.messages && messageFigures(results.messages);
  const c = results.calls && callFigures(results.calls);
  const rss = {};
  for (const kind of ['upload', 'download']) {
    if (!results.rss) break;
    rss[kind] = Object.fromEntries(
      Object.entries(results.rss).map(([mib, rows]) => [
        sizeKey(Number(mib)),
        stats(rows[kind].map((r) => r.rss_mib)),
      ]),
    );
  }
  const list = results.listing;
  const list20k = list && {
    s: stats(list[20000].map((r) => r.ms / 1000)),
    requests: stats(list[20000].map((r) => r.requests)),
  };
  const watch = results.watch && watchFigures(results.watch);
  const medians = (obj) =>
    obj && Object.fromEntries(Object.entries(obj).map(([k, s]) => [k, round(s?.median, 1)]));
  const keys = {
    upload_ratio: round(t?.upload_ratio.median),
    download_ratio: round(t?.download_ratio.median),
    upload_cpu_ratio: round(t?.upload_cpu_ratio.median),
    download_cpu_ratio: round(t?.download_cpu_ratio.median),
    upload_rss_mib: medians(rss.upload) ?? null,
    download_rss_mib: medians(rss.download) ?? null,
    msg_ratio: round(m?.msg_ratio.median),
    logins: m?.logins ?? null,
    list_20k_s: round(list20k?.s.median),
    list_20k_requests: list20k ? list20k.requests.max : null,
    watch_requests_per_interval: watch ? watch.key : null,
  };
  const met = Object.fromEntries(Object.keys(keys).map((k) => [k, meets(k, keys[k]) ?? null]));
  const reasons = whyNotMet(met, { t, m, rss, list20k, watch });
  const json = {
    ...keys,
    targets: Object.fromEntries(Object.entries(TARGETS).map(([k, [op, v]]) => [k, `${op} ${v}`])),
    met,
    reasons,
    not_measured: watch ? {} : { watch_requests_per_interval: 'not in this run (--only)' },
    quick,
    config,
    machine,
    date: new Date().toISOString(),
    seconds: Math.round(seconds),
    detail: { transfers: t, messages: m, calls: c, rss, list20k, listing: list, watch },
  };
  fs.mkdirSync(path.join(root, 'bench'), { recursive: true });
  fs.writeFileSync(
    path.join(root, 'bench', 'results.json'),
    await pretty(JSON.stringify(json, null, 2), 'json'),
  );
  const markdown = await pretty(renderMarkdown(json, { t, m, c, rss, list, watch }), 'markdown');
  if (!quick) fs.writeFileSync(path.join(root, 'BENCHMARKS.md'), markdown);
  console.log(markdown);
}

/** What the figures say about a target not met: where the time or the CPU went. */
function whyNotMet(met, { t, m, rss, list20k, watch }) {
  const reasons = {};
  const ms = (s) => (s ? `${s.median.toFixed(3)} ms` : 'n/a');
  const perGib = (name, key) => t?.figures[name]?.[key]?.median?.toFixed(2) ?? 'n/a';
  for (const kind of ['upload', 'download']) {
    for (const key of [`${kind}_ratio`, `${kind}_cpu_ratio`]) {
      if (met[key] !== false) continue;
      reasons[key] =
        `node ${perGib(`${kind} node`, 'cpu_s_per_gib')} CPU-s/GiB, curl ${perGib(`${kind} curl`, 'cpu_s_per_gib')}, ` +
        `simulator ${perGib(`${kind} node`, 'server_cpu_s_per_gib')} with the node; see the ranges below`;
    }
    if (met[`${kind}_rss_mib`] === false) reasons[`${kind}_rss_mib`] = `peaks: ${JSON.stringify(rss[kind])}`;
  }
  if (met.msg_ratio === false && m) {
    const bound = (v) =>
      `${ms(m.cpu_ms_per_msg[v])} client / ${ms(m.server_cpu_ms_per_msg[v])} simulator CPU per msg`;
    reasons.msg_ratio =
      `client-bound: synology-file-list ${bound('msgs-list')} vs raw axios ${bound('msgs-axios-list')}; ` +
      `synology-api ${bound('msgs-api')} vs ${bound('msgs-axios-api')}. Profiled (node --cpu-prof): the node's extra ` +
      'CPU is the client call (session, API resolution, abort signal), the entries mapped to FileEntry, the sort ' +
      'and the Node-RED msg and status';
  }
  if (met.list_20k_s === false && list20k) reasons.list_20k_s = `${list20k.s.median.toFixed(2)} s`;
  if (met.watch_requests_per_interval === false && watch) {
    reasons.watch_requests_per_interval = `DSM requests per interval: ${JSON.stringify(
      Object.fromEntries(
        Object.entries(watch.runs).map(([n, rows]) => [
          n,
          rows.map((r) => r.intervals.map((i) => i.requests)),
        ]),
      ),
    )}`;
  }
  return reasons;
}

/** Renders BENCHMARKS.md again from bench/results.json (after a change to the text, without measuring again). */
async function rerender() {
  const json = JSON.parse(fs.readFileSync(path.join(root, 'bench', 'results.json'), 'utf8'));
  const d = json.detail;
  json.reasons = whyNotMet(json.met, {
    t: d.transfers,
    m: d.messages,
    rss: d.rss,
    list20k: d.list20k,
    watch: d.watch,
  });
  fs.writeFileSync(
    path.join(root, 'bench', 'results.json'),
    await pretty(JSON.stringify(json, null, 2), 'json'),
  );
  const markdown = await pretty(
    renderMarkdown(json, {
      t: d.transfers,
      m: d.messages,
      c: d.calls,
      rss: d.rss,
      list: d.listing,
      watch: d.watch,
    }),
    'markdown',
  );
  if (!json.quick) fs.writeFileSync(path.join(root, 'BENCHMARKS.md'), markdown);
  console.log(markdown);
}

/** How a transfer sample was taken (the same words for quick and full runs). */
function transferMethod(config) {
  const reps = config.transferReps ?? 1;
  const each =
    reps > 1
      ? `A sample is ${reps} timed transfers of ${config.transferMiB} MiB: in one worker process after its warm-up (each measured on its own, summed), or in one curl process (\`--next\`, each to its own file) after a warm-up curl; dd times one. `
      : `A sample is one timed transfer of ${config.transferMiB} MiB, after a warm-up. `;
  return (
    each +
    "Every timed upload writes a new file (replacing one costs the server the old file's removal, which varies); " +
    'after each sample its uploads and downloads are removed and the disk is settled (`sync`, untimed), so no ' +
    'sample pays for the writeback of the one before.'
  );
}

function renderMarkdown(json, { t, m, c, rss, list, watch }) {
  const { machine, config } = json;
  const lines = [];
  const row = (...cells) => lines.push(`| ${cells.join(' | ')} |`);
  const yes = (k) => (json.met[k] === null ? 'not measured' : json.met[k] ? 'met' : '**not met**');
  lines.push('# Benchmarks', '');
  lines.push(
    `Generated by \`npm run bench\`${json.quick ? ' -- --quick' : ''} (scripts/bench.js) on ${json.date.slice(0, 10)} in ${json.seconds} s. ` +
      `Machine: ${machine.cpu}, ${machine.cores} cores, ${machine.memory_gib} GiB, ${machine.os}; Node ${machine.node}, ` +
      `Node-RED ${machine.node_red}, axios ${machine.axios}, ${machine.curl ?? 'no curl'}.`,
    '',
    'How: the DSM simulator runs in its own long-lived process; each client variant and curl runs in a fresh process ' +
      'with one untimed warm-up' +
      (machine.taskset
        ? ', the server pinned to core 0 and the client to core 1 (`taskset`)'
        : ' (no `taskset`: not pinned)') +
      `; ${config.rounds} interleaved rounds with the order rotated each round. Figures: median [min-max] over the rounds; ` +
      'ratios are taken within a round (same load) and then summarised. CPU is user+sys seconds of the one process ' +
      "(the worker's timed part from `process.cpuUsage()`; curl's and dd's whole process from bash `times`; the servers' from " +
      '`/proc/<pid>/stat`). Loopback only: this shows what the client and the simulator cost, not what a NAS takes. ' +
      'Other work on the machine during a run shows up as a wider range.',
    '',
    'Needs: Linux (for `/proc` CPU and peak RSS; elsewhere those columns are empty), `curl` and `dd` on the PATH, ' +
      '`taskset` (util-linux) for pinning. CI does not run the bench (it is not part of `npm test`).',
    '',
  );
  lines.push('## Targets (issue 12)', '', '| key | figure | target | |', '|---|---|---|---|');
  for (const key of Object.keys(json.targets)) {
    const value = json[key];
    const shown = value === null ? 'not measured' : typeof value === 'object' ? JSON.stringify(value) : value;
    const reason = json.not_measured[key] ?? json.reasons?.[key];
    const why = reason ? ` (${reason})` : '';
    row(`\`${key}\``, shown, json.targets[key], `${yes(key)}${why}`);
  }
  lines.push('');
  if (t) {
    lines.push(
      `## Transfers: ${config.transferMiB} MiB, MiB/s and CPU-seconds per GiB`,
      '',
      transferMethod(config),
      '',
      '| variant | MiB/s | client CPU-s/GiB | server CPU-s/GiB |',
      '|---|---|---|---|',
    );
    for (const [name, f] of Object.entries(t.figures)) {
      row(name, fmt(f.mib_s, 0), fmt(f.cpu_s_per_gib), fmt(f.server_cpu_s_per_gib));
    }
    lines.push(
      '',
      '"node" is the Node-RED node (synology-file-upload from a local file, synology-file-download to a local file) in a ' +
        'real Node-RED runtime embedded in the worker (scripts/bench/runtime.js: this package installed in a temp user ' +
        'dir, the flow deployed through the runtime API); "FileStation" the client library alone. "server" is the simulator, or the minimal node:http ' +
        'server (scripts/bench/minimal-server.js: the body written to disk unparsed / the file streamed) for the ' +
        'ceiling rows; "loopback, body discarded" moves the bytes and drops them; dd writes and reads the same file through the page cache (no fsync, as the transfers).',
      '',
      '| ratio (per round) | median [min-max] |',
      '|---|---|',
    );
    row('upload: node / curl (MiB/s)', fmt(t.upload_ratio));
    row('download: node / curl (MiB/s)', fmt(t.download_ratio));
    row('upload: FileStation / curl (MiB/s)', fmt(t.upload_fs_ratio));
    row('download: FileStation / curl (MiB/s)', fmt(t.download_fs_ratio));
    row('upload: node / curl (CPU-s)', fmt(t.upload_cpu_ratio));
    row('download: node / curl (CPU-s)', fmt(t.download_cpu_ratio));
    row('upload: FileStation / curl (CPU-s)', fmt(t.upload_fs_cpu_ratio));
    row('download: FileStation / curl (CPU-s)', fmt(t.download_fs_cpu_ratio));
    row('curl: simulator / minimal server, upload (MiB/s)', fmt(t.curl_sim_vs_minimal_upload));
    row('curl: simulator / minimal server, download (MiB/s)', fmt(t.curl_sim_vs_minimal_download));
    lines.push('');
  }
  if (Object.keys(rss).length) {
    lines.push(
      `## Node-RED memory: RSS peak minus idle (MiB), ${config.rssRounds} runs per size, each a fresh process`,
      '',
      '| size | upload node | download node |',
      '|---|---|---|',
    );
    for (const size of Object.keys(rss.upload))
      row(size, fmt(rss.upload[size], 1), fmt(rss.download[size], 1));
    lines.push(
      '',
      "Idle: RSS after a warm-up transfer and a forced GC; peak: the kernel's high-water mark (VmHWM, reset before the timed " +
        'transfer) and 20 ms samples.',
      '',
    );
  }
  if (m) {
    lines.push(
      `## Messages: ${json.detail.messages && config.msgs} msgs at 64 in flight (SYNO.FileStation.List list of a 20-entry folder)`,
      '',
      '| variant | msgs/s | client CPU ms per msg | simulator CPU ms per msg |',
      '|---|---|---|---|',
    );
    const label = {
      'msgs-list': 'synology-file-list',
      'msgs-axios-list': 'raw axios + keep-alive, the same request',
      'msgs-api': 'synology-api',
      'msgs-axios-api': 'raw axios + keep-alive, the same request',
    };
    for (const v of Object.keys(m.rates))
      row(label[v], fmt(m.rates[v], 0), fmt(m.cpu_ms_per_msg[v], 3), fmt(m.server_cpu_ms_per_msg[v], 3));
    lines.push(
      '',
      `Ratios to raw axios (msgs/s, per round): synology-file-list ${fmt(m.list_ratio)}, synology-api ${fmt(m.api_ratio)}. ` +
        'synology-file-list asks for the additional fields (real_path, size, owner, time, perm, type) and pages of ' +
        '1,000; synology-api sends the params it is given. ' +
        `Logins per Node-RED run (a cold start, 64 msgs at once): ${m.logins}.`,
      '',
    );
  }
  if (c) {
    lines.push(
      `## Small calls: ${config.calls} sequential SYNO.FileStation.Info get`,
      '',
      '| | DsmClient.call | plain node:http | ratio |',
      '|---|---|---|---|',
    );
    row('CPU ms per call', fmt(c.client_cpu_ms, 3), fmt(c.http_cpu_ms, 3), fmt(c.cpu_ratio));
    row('calls/s', fmt(c.client_calls_s, 0), fmt(c.http_calls_s, 0), fmt(c.rate_ratio));
    lines.push('');
  }
  if (list) {
    lines.push(
      '## Listing through synology-file-list',
      '',
      '| files | seconds | List.list requests |',
      '|---|---|---|',
    );
    for (const [n, rows] of Object.entries(list)) {
      row(n, fmt(stats(rows.map((r) => r.ms / 1000))), fmt(stats(rows.map((r) => r.requests)), 0));
    }
    lines.push(
      '',
      'Each round is one fresh Node-RED runtime that lists the sizes one after the other (their order rotated); the ' +
        'folders are changed before each round, so every round lists them cold (no cached listing).',
      '',
    );
  }
  lines.push('## synology-watch', '');
  if (watch) {
    lines.push(
      '| tasks | Task list requests per interval | all DSM requests per interval | watch process CPU ms per poll |',
      '|---|---|---|---|',
    );
    for (const n of Object.keys(watch.requests_per_interval))
      row(
        n,
        fmt(watch.requests_per_interval[n], 0),
        fmt(watch.all_requests_per_interval[n], 0),
        fmt(watch.cpu_ms_per_poll[n], 2),
      );
    lines.push(
      '',
      `synology-watch on the download source, interval ${config.watchInterval ?? 1} s, ${config.watchRounds} rounds, each ` +
        'a fresh process (one Node-RED runtime) that runs the sizes one after the other, their order rotated each round; ' +
        `each size: its tasks created, the watch node deployed, ${config.watchPolls} timed interval(s) after the ` +
        (config.watchWarmPoll === false
          ? "baseline poll, the first of them the first diff over all tasks (quick: not left out, so its CPU includes the diff code's first run); "
          : 'baseline poll and an untimed first diff over all tasks; ') +
        'figures are median [min-max] over all timed intervals. Requests come from the simulator counters read at the end ' +
        'of each poll; CPU is the whole Node-RED process over the interval (the poll, the diff, the msgs and the idle ' +
        "runtime), less the counter read's own CPU. The tasks are created fresh for each run and progress on the " +
        "simulator's clock, so later intervals carry progress msgs.",
    );
  } else {
    lines.push('Not in this run (`--only`).');
  }
  lines.push('');
  // The soak writes its own page: this one is rewritten by every full bench run.
  lines.push(
    '## Soak',
    '',
    '`npm run soak` (10,000 msgs through a real Node-RED runtime under injected faults; `-- --quick`: 1,000) writes',
    '`bench/soak.json` and, on a full run, [bench/SOAK.md](bench/SOAK.md): its figures, targets, and what it covers.',
    '',
  );
  return lines.join('\n');
}

module.exports = { writeReport, rerender, stats };
