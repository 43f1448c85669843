'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { startSimulator, DEFAULT_USERS } = require('@synoflow/dsm-simulator');

const TLS_DIR = path.join(__dirname, '..', 'fixtures', 'tls');
const readTls = (name) => fs.readFileSync(path.join(TLS_DIR, name), 'utf8');

const demo = DEFAULT_USERS.find((u) => !u.totpSecret);
const otpUser = DEFAULT_USERS.find((u) => u.totpSecret);

/** Starts a simulator for one test file and stops it after. */
function useSimulator(options = {}) {
  const ref = { sim: undefined };
  before(async () => {
    ref.sim = await startSimulator({ port: 0, ...options });
  });
  after(async () => {
    if (ref.sim) await ref.sim.close();
  });
  return ref;
}

module.exports = {
  startSimulator,
  useSimulator,
  demo,
  otpUser,
  caPem: () => readTls('ca.pem'),
  otherTls: () => ({ key: readTls('other.key'), cert: readTls('other.pem') }),
};
