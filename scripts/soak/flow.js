'use strict';
// The soak's flow: per kind of msg an http-in endpoint feeding one of our nodes; every output and every error a
// Catch node gets is posted to the soak's collector (one POST per outcome), as is every event of the watch node.

/** The node each kind drives, with its settings; the prep function copies msg.payload.fields onto the msg. */
const KINDS = {
  list: {
    type: 'synology-file-list',
    mode: 'list',
    path: '/home/soak/listing',
    pathType: 'str',
    recursive: false,
    filetype: 'all',
    output: 'array',
  },
  upload: {
    type: 'synology-file-upload',
    folder: '/home/soak/up',
    folderType: 'str',
    filename: 'filename',
    filenameType: 'msg',
    source: 'payload',
    overwrite: 'error',
    createParents: true,
  },
  download: {
    type: 'synology-file-download',
    path: 'path',
    pathType: 'msg',
    target: 'buffer',
    localPath: '',
    localPathType: 'str',
    maxSize: '10MB',
  },
  move: {
    type: 'synology-file-op',
    operation: 'move',
    path: 'path',
    pathType: 'msg',
    destination: '/home/soak/moved',
    destinationType: 'str',
    overwrite: 'error',
    dryRun: false,
    createParents: true,
  },
  delete: {
    type: 'synology-file-op',
    operation: 'delete',
    path: 'path',
    pathType: 'msg',
    overwrite: 'error',
    dryRun: false,
    createParents: false,
  },
  'download-create': {
    type: 'synology-download-create',
    uri: 'uri',
    uriType: 'msg',
    destination: 'downloads/soak',
    destinationType: 'str',
    createFolder: true,
    skipDuplicates: false,
    fileIndexes: '',
    fileIndexesType: 'json',
  },
  'download-task': {
    type: 'synology-download-task',
    operation: 'list',
    ids: 'all',
    idsType: 'str',
    status: '',
    statusType: 'str',
    output: 'array',
    withFiles: false,
  },
  cloudsync: {
    type: 'synology-cloudsync',
    operation: 'list',
    connection: 'all',
    connectionType: 'str',
  },
  health: { type: 'synology-health', operation: 'system', task: '', taskType: 'str' },
  api: {
    type: 'synology-api',
    api: 'SYNO.FileStation.List',
    apiType: 'str',
    method: 'list_share',
    methodType: 'str',
    version: 'auto',
    versionType: 'str',
    params: '{}',
    paramsType: 'json',
  },
};

/** The kinds DSM may not apply twice: never retried after a request that might have reached DSM. */
const NON_IDEMPOTENT = ['upload', 'move', 'delete', 'download-create'];

const PREP = `const p = msg.payload;
msg.soakId = p.id;
msg.soakKind = p.kind;
Object.assign(msg, p.fields || {});
msg.payload = p.body === undefined ? undefined : Buffer.from(p.body, 'utf8');
return msg;`;

/** What reaches the collector: never the msg itself (it holds req/res and buffers). */
const OK = `const p = msg.payload;
const created = p && Array.isArray(p.created) ? p.created : undefined;
return { payload: { id: msg.soakId, kind: msg.soakKind, ok: true, created } };`;

const ERR = `const e = msg.error || {};
return { payload: { id: msg.soakId, kind: msg.soakKind, ok: false, message: String(e.message || ''),
  code: msg.error && msg.error.code !== undefined ? msg.error.code : null,
  source: e.source ? e.source.type : null } };`;

const WATCH = `const p = msg.payload || {};
return { payload: { topic: msg.topic, id: p.id, uri: p.uri || (p.additional && p.additional.detail && p.additional.detail.uri) } };`;

const GC = `const gc = global.get('soakGc');
if (gc) { gc(); gc(); }
msg.payload = gc ? 'gc' : 'no gc';
return msg;`;

function buildFlow({ simUrl, collectorUrl, username, password, timeoutS, watchIntervalS }) {
  const sim = new URL(simUrl);
  const tab = 'soak-tab';
  const nodes = [{ id: tab, type: 'tab', label: 'soak' }];
  let y = 40;
  const add = (node) => nodes.push({ z: tab, x: 200, y: (y += 40), wires: [], ...node });
  nodes.push({
    id: 'soak-dsm',
    type: 'synology-dsm',
    name: 'soak simulator',
    host: sim.hostname,
    port: Number(sim.port),
    protocol: 'http',
    tlsMode: 'verify',
    ca: '',
    fingerprint: '',
    sessionName: '',
    deviceName: 'Node-RED soak',
    timeout: timeoutS,
    deviceTrustedAt: '',
    credentials: { username, password },
  });
  const post = (id, path) =>
    add({
      id,
      type: 'http request',
      method: 'POST',
      ret: 'txt',
      paytoqs: 'ignore',
      url: `${collectorUrl}${path}`,
      tls: '',
      persist: true,
      proxy: '',
      insecureHTTPParser: false,
      authType: '',
      senderr: false,
      headers: [],
    });
  post('soak-post-result', '/result');
  post('soak-post-watch', '/watch');
  add({ id: 'soak-ok', type: 'function', name: 'ok', func: OK, outputs: 1, wires: [['soak-post-result']] });
  const actionIds = [];
  for (const [kind, settings] of Object.entries(KINDS)) {
    const id = `soak-node-${kind}`;
    actionIds.push(id);
    add({
      id: `soak-in-${kind}`,
      type: 'http in',
      url: `/soak/${kind}`,
      method: 'post',
      upload: false,
      wires: [[`soak-ack-${kind}`, `soak-prep-${kind}`]],
    });
    add({ id: `soak-ack-${kind}`, type: 'http response', statusCode: '202', headers: {} });
    add({
      id: `soak-prep-${kind}`,
      type: 'function',
      name: `prep ${kind}`,
      func: PREP,
      outputs: 1,
      wires: [[id]],
    });
    // Second outputs (progress) stay unwired: only the first output is the result.
    add({ id, name: kind, server: 'soak-dsm', ...settings, wires: [['soak-ok']] });
  }
  // A full GC on request, before the soak reads the runtime's RSS.
  add({
    id: 'soak-in-gc',
    type: 'http in',
    url: '/soak-gc',
    method: 'post',
    upload: false,
    wires: [['soak-gc']],
  });
  add({ id: 'soak-gc', type: 'function', name: 'gc', func: GC, outputs: 1, wires: [['soak-gc-done']] });
  add({ id: 'soak-gc-done', type: 'http response', statusCode: '200', headers: {} });
  add({ id: 'soak-catch', type: 'catch', scope: actionIds, uncaught: false, wires: [['soak-err']] });
  add({
    id: 'soak-err',
    type: 'function',
    name: 'err',
    func: ERR,
    outputs: 1,
    wires: [['soak-post-result']],
  });
  add({
    id: 'soak-watch',
    type: 'synology-watch',
    name: 'watch downloads',
    server: 'soak-dsm',
    sources: 'download',
    interval: watchIntervalS,
    emitCurrent: false,
    progressThrottle: 0,
    ids: '',
    statuses: '',
    connections: '',
    startOnDeploy: true,
    store: '',
    wires: [['soak-watch-fn']],
  });
  add({
    id: 'soak-watch-fn',
    type: 'function',
    name: 'watch event',
    func: WATCH,
    outputs: 1,
    wires: [['soak-post-watch']],
  });
  return nodes;
}

module.exports = { KINDS, NON_IDEMPOTENT, buildFlow };
