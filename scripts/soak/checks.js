'use strict';
// The soak's checks from the NAS's side: the simulator's request log (a non-idempotent operation run twice), the
// files and tasks on the NAS against the msgs' outcomes, the watch node's events against the tasks the NAS had,
// and the watch node's errors against the outages the soak caused. Pure functions of what the soak recorded, so
// each can be shown to fail on a crafted record (test/soak-checks.test.js).

/** The requests that change the NAS in a way DSM must not apply twice, as the request log names them. */
const APPLYING_METHODS = new Set([
  'SYNO.FileStation.Upload.upload',
  'SYNO.FileStation.CopyMove.start',
  'SYNO.FileStation.Delete.start',
  'SYNO.DownloadStation.Task.create',
  'SYNO.DownloadStation2.Task.create',
]);

/** The soak msg ids a request names: each msg's file (`m12.txt`) or link (`m15.iso`) carries its id. */
function msgIdsOf(entry) {
  const named = [entry.params?.path, entry.params?.uri, entry.params?.url, ...(entry.files ?? [])];
  const text = named.filter((v) => typeof v === 'string').join('\n');
  return new Set([...text.matchAll(/\bm(\d+)\.(?:txt|iso)\b/g)].map((m) => `m${m[1]}`));
}

/**
 * Adds to `counts` (msg id -> n), from request log entries, the requests of an applying method that ran on the NAS:
 * past routing, a fault set before them and the session check. A request refused with a session error did not run;
 * one that ran and failed on the first one's effect (the file exists, the source is gone) did.
 */
function countApplied(entries, counts) {
  for (const entry of entries) {
    if (!entry.performed || !APPLYING_METHODS.has(`${entry.api}.${entry.method}`)) continue;
    for (const id of msgIdsOf(entry)) counts.set(id, (counts.get(id) ?? 0) + 1);
  }
  return counts;
}

/**
 * Non-idempotent msgs whose operation ran more than once on the NAS, and those with an output whose operation the
 * log never saw run (the check would be blind to them); also two tasks on the NAS with one msg's link.
 */
function appliedTwice({ sent, results, applied, nonIdempotent, nasTaskLinks }) {
  const twice = [];
  const unseen = [];
  let checked = 0;
  for (const [id, msg] of sent) {
    if (!nonIdempotent.includes(msg.kind)) continue;
    checked += 1;
    const runs = applied.get(id) ?? 0;
    if (runs > 1) twice.push({ id, kind: msg.kind, why: `its request ran ${runs} times on the NAS` });
    else if (runs === 0 && results.get(id)?.[0]?.ok) unseen.push({ id, kind: msg.kind });
  }
  const links = new Map();
  for (const link of nasTaskLinks) links.set(link, (links.get(link) ?? 0) + 1);
  for (const [link, n] of links)
    if (n > 1) twice.push({ kind: 'download-create', why: `${n} tasks on the NAS for ${link}` });
  return { checked, twice, unseen };
}

/**
 * What the non-idempotent msgs left on the NAS against their outcomes: each output's effect, plus the effect of the
 * msg a fault hit after DSM performed it (its batch's `performedKinds`); nothing else. `onNas` per kind: files in
 * the upload folder, files in the move destination (and `sourcesLeft` in its source folder), files deleted, tasks.
 */
function nasEffects({ sent, results, batches, onNas }) {
  const batchOf = new Map();
  for (const b of batches) for (const id of b.ids) batchOf.set(id, b);
  const effects = {};
  for (const kind of Object.keys(onNas)) effects[kind] = { msgs: 0, outputs: 0, performed_despite_error: 0 };
  for (const [id, msg] of sent) {
    const e = effects[msg.kind];
    if (!e) continue;
    e.msgs += 1;
    const first = results.get(id)?.[0];
    if (first?.ok) e.outputs += 1;
    else if (first && batchOf.get(id)?.performedKinds?.includes(msg.kind)) e.performed_despite_error += 1;
  }
  const mismatched = [];
  for (const [kind, e] of Object.entries(effects)) {
    Object.assign(e, onNas[kind]);
    e.expected = e.outputs + e.performed_despite_error;
    const sourcesOk = e.sourcesLeft === undefined || e.sourcesLeft + e.on_nas === e.msgs;
    if (e.on_nas !== e.expected || !sourcesOk) mismatched.push(kind);
  }
  return { effects, mismatched };
}

/** Topics that tell a one-time transition of a task: each at most once per task. */
const ONE_TIME_TOPICS = ['download.added', 'download.finished', 'download.removed', 'download.error'];
/** Topics that may come any number of times for a task the NAS had. */
const REPEATABLE_TOPICS = ['download.status', 'download.progress'];

/**
 * The watch node's download events against the NAS's task lists, one per simulator run (tasks told apart by their
 * link, unique per msg): `download.added` once for every task; `download.finished` once for every task the NAS
 * listed as finished (the soak finishes them all before it lists); `download.removed` once for every task the
 * restart took away; no `download.error`; no one-time event twice; no event about a task the NAS never had; status
 * and progress changes as they come. `watch.offline` only inside an outage window the soak made, each followed by
 * `watch.online`.
 */
function watchCheck({ events, taskLists, windows }) {
  const expected = new Map();
  const known = new Set();
  for (const list of taskLists) {
    for (const task of list.tasks) {
      known.add(task.uri);
      expected.set(`download.added ${task.uri}`, 1);
      if (task.status === 'finished' || task.status === 'seeding')
        expected.set(`download.finished ${task.uri}`, 1);
      if (list.removedByRestart) expected.set(`download.removed ${task.uri}`, 1);
    }
  }
  const counts = new Map();
  const unexpected = [];
  const offline = [];
  let open;
  for (const e of events) {
    if (e.topic === 'watch.offline' || e.topic === 'watch.online') {
      const online = e.topic === 'watch.online';
      if (online !== Boolean(open) || (!online && !inWindow(e.at, windows))) unexpected.push(e);
      if (online && open) offline.push({ from: open.at, to: e.at });
      open = online ? undefined : e;
      continue;
    }
    if (ONE_TIME_TOPICS.includes(e.topic)) {
      const key = `${e.topic} ${e.uri}`;
      counts.set(key, (counts.get(key) ?? 0) + 1);
      if (!expected.has(key)) unexpected.push(e);
    } else if (!REPEATABLE_TOPICS.includes(e.topic) || !known.has(e.uri)) unexpected.push(e);
  }
  if (open) unexpected.push({ ...open, why: 'never followed by watch.online' });
  const byTopic = {};
  for (const topic of ONE_TIME_TOPICS) byTopic[topic] = { expected: 0, seen: 0, missed: 0, twice: 0 };
  for (const key of expected.keys()) {
    const t = byTopic[key.slice(0, key.indexOf(' '))];
    t.expected += 1;
    if (!counts.has(key)) t.missed += 1;
  }
  const twice = [];
  for (const [key, n] of counts) {
    const t = byTopic[key.slice(0, key.indexOf(' '))];
    t.seen += n;
    if (n > 1) {
      t.twice += 1;
      twice.push({ event: key, times: n });
    }
  }
  const missed = [...expected.keys()].filter((key) => !counts.has(key));
  return { byTopic, missed, twice, unexpected, offline };
}

/** The watch node's `[error]` lines: those inside an outage window the soak made are its report of that outage. */
function watchErrors(lines, windows) {
  const outside = lines.filter((l) => !inWindow(l.at, windows));
  return { logged: lines.length, outside };
}

const inWindow = (at, windows) => windows.some((w) => at >= w.from && at <= w.to);

module.exports = { countApplied, appliedTwice, nasEffects, watchCheck, watchErrors, msgIdsOf };
