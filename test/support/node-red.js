'use strict';
const helper = require('node-red-node-test-helper');

// CI runs the node tests a second time under Node-RED 5 by pointing NODE_RED_PATH at its install.
helper.init(process.env.NODE_RED_PATH || require.resolve('node-red'));

const dsmNode = require('../../nodes/synology-dsm.js');
const apiNode = require('../../nodes/synology-api.js');
const fileNodes = ['file-list', 'file-upload', 'file-download', 'file-op'].map((n) =>
  require(`../../nodes/synology-${n}.js`),
);

const downloadNodes = ['download-create', 'download-task'].map((n) =>
  require(`../../nodes/synology-${n}.js`),
);

const watchNode = require('../../nodes/synology-watch.js');

/**
 * Node context in a localfilesystem store under `dir` (Node-RED's file store, written at once: no cache), as a
 * user's settings.js would configure it. Call before helper.load; `persistentContext(undefined)` goes back to
 * memory. The helper's own start-up skips loading context stores: loadFlows is wrapped to load them first.
 */
function persistentContext(dir) {
  const redNodes = helper._redNodes;
  helper.settings(
    dir ? { contextStorage: { default: { module: 'localfilesystem', config: { dir, cache: false } } } } : {},
  );
  if (!redNodes._plainLoadFlows) redNodes._plainLoadFlows = redNodes.loadFlows;
  redNodes.loadFlows = dir
    ? async (...args) => {
        await redNodes.loadContextsPlugin();
        return redNodes._plainLoadFlows(...args);
      }
    : redNodes._plainLoadFlows;
}

/**
 * Stops the flows as Node-RED does on shutdown, keeping node context (helper.unload would delete the context of
 * every node, on disk too).
 */
async function restartable() {
  const context = helper._context;
  const clean = context.clean;
  context.clean = () => Promise.resolve();
  try {
    await helper.unload();
    await helper._redNodes.closeContextsPlugin();
  } finally {
    context.clean = clean;
  }
}
const cloudSyncNode = require('../../nodes/synology-cloudsync.js');
const healthNode = require('../../nodes/synology-health.js');

/** A config node + API node + catch + helper flow, wired as users wire it. */
function apiFlow(sim, { config = {}, api = {} } = {}) {
  const onTab = (n) => ({ z: 'tab', ...n });
  return [
    { id: 'tab', type: 'tab', label: 'test' },
    configNode(sim, config),
    onTab({
      id: 'api',
      type: 'synology-api',
      server: 'dsm',
      api: 'SYNO.FileStation.Info',
      apiType: 'str',
      method: 'get',
      methodType: 'str',
      version: 'auto',
      versionType: 'str',
      params: '{}',
      paramsType: 'json',
      wires: [['out']],
      ...api,
    }),
    onTab({ id: 'catcher', type: 'catch', scope: null, uncaught: false, wires: [['caught']] }),
    onTab({ id: 'out', type: 'helper' }),
    onTab({ id: 'caught', type: 'helper' }),
  ];
}

/** The config node for a simulator, as a user would set it up for plain HTTP. */
function configNode(sim, extra = {}) {
  return {
    id: 'dsm',
    type: 'synology-dsm',
    host: '127.0.0.1',
    port: sim ? new URL(sim.url).port : '1',
    protocol: 'http',
    tlsMode: 'verify',
    timeout: 10,
    ...extra,
  };
}

/** One node under test (id "n1") wired to helper nodes "out" and "progress", plus a catch-all into "caught". */
function nodeFlow(sim, node) {
  const onTab = (n) => ({ z: 'tab', ...n });
  return [
    { id: 'tab', type: 'tab', label: 'test' },
    configNode(sim),
    onTab({ id: 'n1', server: 'dsm', wires: [['out'], ['progress']], ...node }),
    onTab({ id: 'catcher', type: 'catch', scope: null, uncaught: false, wires: [['caught']] }),
    onTab({ id: 'out', type: 'helper' }),
    onTab({ id: 'progress', type: 'helper' }),
    onTab({ id: 'caught', type: 'helper' }),
  ];
}

/** Resolves with the next msg a helper node receives. */
function nextMessage(node) {
  return new Promise((resolve) => node.once('input', resolve));
}

module.exports = {
  helper,
  dsmNode,
  apiNode,
  fileNodes,
  downloadNodes,
  watchNode,
  persistentContext,
  restartable,
  cloudSyncNode,
  healthNode,
  apiFlow,
  nodeFlow,
  configNode,
  nextMessage,
};
