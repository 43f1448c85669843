'use strict';
// A real Node-RED runtime for the soak (scripts/lib/node-red.js: this package linked into a temp user dir), the
// flows deployed later through the admin API.
const fs = require('node:fs');
const nodeRed = require('../lib/node-red');

/** Starts Node-RED with an empty flow; resolves once it serves. `onLine` sees every line it logs. */
function startNodeRed({ onLine } = {}) {
  return nodeRed.startNodeRed({
    prefix: 'synoflow-soak-',
    nodeArgs: ['--expose-gc'],
    // The soak's memory figure is taken after a full GC: function nodes reach it as global.get('soakGc').
    settingsSource: 'functionGlobalContext: { soakGc: global.gc }',
    onLine,
  });
}

/** Resident set size of a process in MiB (/proc; undefined off Linux). */
function rssMib(pid) {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const match = /VmRSS:\s+(\d+) kB/.exec(status);
    return match ? Number(match[1]) / 1024 : undefined;
  } catch {
    return undefined;
  }
}

module.exports = { startNodeRed, freePort: nodeRed.freePort, rssMib };
