'use strict';
// The Node-RED runtime the bench measures the nodes in: the real one, embedded in the worker process, with this
// package installed in a temp user dir as a user installs it. node-red-node-test-helper is for tests: it wraps every
// node's send, status and log in sinon spies that keep each call and its msg, which costs about 15% CPU per msg and
// memory that grows with every msg; no user runs that.
const fs = require('node:fs');
const http = require('node:http');
const { OFFLINE_SETTINGS, tempUserDir } = require('../lib/node-red');

/** Starts Node-RED with `root` (a build of this package) installed; resolves with deploy/getNode/stop. */
async function startRuntime(root) {
  // CI's Node-RED 5 leg points NODE_RED_PATH at another Node-RED's lib/red.js.
  const RED = require(process.env.NODE_RED_PATH || 'node-red');
  const userDir = tempUserDir('synoflow-bench-red-', root);
  RED.init(http.createServer(), {
    userDir,
    flowFile: 'flows.json',
    ...OFFLINE_SETTINGS,
    httpAdminRoot: false,
    httpNodeRoot: false,
    logging: { console: { level: 'warn', metrics: false, audit: false } },
  });
  // RED.start() resolves before the saved (empty) flows are loaded, and loading them resets the credentials store:
  // a deploy before that would lose its credentials.
  const flowsStarted = () => new Promise((resolve) => RED.events.once('flows:started', resolve));
  const firstStart = flowsStarted();
  await RED.start();
  await firstStart;
  return {
    /** Deploys `flow` (credentials inline on their nodes, as the editor sends them) and waits until it runs. */
    async deploy(flow) {
      const started = flowsStarted();
      await RED.runtime.flows.setFlows({ flows: { flows: flow }, deploymentType: 'full' });
      await started; // setFlows answers before the flows start
    },
    getNode: (id) => RED.nodes.getNode(id),
    async stop() {
      await RED.stop();
      fs.rmSync(userDir, { recursive: true, force: true });
    },
  };
}

module.exports = { startRuntime };
