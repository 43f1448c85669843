'use strict';
const helper = require('node-red-node-test-helper');

// CI runs the node tests a second time under Node-RED 5 by pointing NODE_RED_PATH at its install.
helper.init(process.env.NODE_RED_PATH || require.resolve('node-red'));

const dsmNode = require('../../nodes/synology-dsm.js');
const apiNode = require('../../nodes/synology-api.js');

/** A config node + API node + catch + helper flow, wired as users wire it. */
function apiFlow(sim, { config = {}, api = {} } = {}) {
  const onTab = (n) => ({ z: 'tab', ...n });
  return [
    { id: 'tab', type: 'tab', label: 'test' },
    {
      id: 'dsm',
      type: 'synology-dsm',
      host: '127.0.0.1',
      port: sim ? new URL(sim.url).port : '1',
      protocol: 'http',
      tlsMode: 'verify',
      timeout: 10,
      ...config,
    },
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

/** Resolves with the next msg a helper node receives. */
function nextMessage(node) {
  return new Promise((resolve) => node.once('input', resolve));
}

module.exports = { helper, dsmNode, apiNode, apiFlow, nextMessage };
