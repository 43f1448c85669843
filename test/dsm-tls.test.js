'use strict';
const assert = require('node:assert/strict');
const { X509Certificate } = require('node:crypto');
const path = require('node:path');
const https = require('node:https');
const tls = require('node:tls');
const execFile = require('node:util').promisify(require('node:child_process').execFile);
const { DsmClient } = require('../dist');
const { useSimulator, demo, caPem, otherTls } = require('./support/sim');

const call = async (url, tls) => {
  const client = new DsmClient({ url, username: demo.username, password: demo.password, tls });
  try {
    return await client.call('SYNO.FileStation.Info', 'get');
  } finally {
    await client.close();
  }
};
const fingerprintOf = (pem) => new X509Certificate(pem).fingerprint256;

describe('TLS per connection', function () {
  const signed = useSimulator({ tls: true });
  const selfSigned = useSimulator({ tls: otherTls() });

  it('verify mode rejects a certificate from an unknown CA and names the fingerprint seen', async function () {
    await assert.rejects(call(signed.sim.url, { mode: 'verify' }), (err) => {
      assert.equal(err.kind, 'tls');
      assert.ok(err.hint.includes(signed.sim.tlsFingerprint), err.hint);
      return true;
    });
    assert.equal(signed.sim.control.counters().loginAttempts, 0);
  });

  it('verify mode accepts a certificate the system trusts', async function () {
    // A child process that trusts the test CA the way a system trusts a public CA.
    const script = `
      const { DsmClient } = require(${JSON.stringify(require.resolve('../dist'))});
      const c = new DsmClient({ url: process.argv[1], username: process.argv[2], password: process.argv[3] });
      c.call('SYNO.FileStation.Info', 'get').then((d) => { console.log(d.hostname); return c.close(); })
        .catch((e) => { console.log('FAILED ' + e.message); process.exitCode = 1; });`;
    const { stdout } = await execFile(
      process.execPath,
      ['-e', script, signed.sim.url, demo.username, demo.password],
      { env: { ...process.env, NODE_EXTRA_CA_CERTS: path.join(__dirname, 'fixtures', 'tls', 'ca.pem') } },
    );
    assert.match(stdout, /^\w+/);
    assert.doesNotMatch(stdout, /FAILED/);
  });

  it('ca mode accepts a certificate signed by the given CA', async function () {
    const data = await call(signed.sim.url, { mode: 'ca', ca: caPem() });
    assert.ok(data.hostname);
  });

  it('ca mode rejects a certificate the CA did not sign', async function () {
    await assert.rejects(call(selfSigned.sim.url, { mode: 'ca', ca: caPem() }), (err) => err.kind === 'tls');
    assert.equal(selfSigned.sim.control.counters().loginAttempts, 0);
  });

  it('fingerprint mode accepts exactly the pinned certificate, in any notation', async function () {
    const fp = fingerprintOf(otherTls().cert);
    assert.ok((await call(selfSigned.sim.url, { mode: 'fingerprint', fingerprint: fp })).hostname);
    const bare = fp.replace(/:/g, '').toLowerCase();
    assert.ok((await call(selfSigned.sim.url, { mode: 'fingerprint', fingerprint: bare })).hostname);
  });

  it('fingerprint mode rejects another certificate before sending credentials, naming the fingerprint seen', async function () {
    signed.sim.control.resetCounters();
    const pinned = fingerprintOf(otherTls().cert);
    await assert.rejects(call(signed.sim.url, { mode: 'fingerprint', fingerprint: pinned }), (err) => {
      assert.equal(err.kind, 'tls');
      assert.equal(err.code, 'CERT_FINGERPRINT_MISMATCH');
      assert.ok(err.message.includes(signed.sim.tlsFingerprint), err.message);
      return true;
    });
    assert.equal(signed.sim.control.counters().loginAttempts, 0);
    assert.deepEqual(signed.sim.control.counters().requests, {});
  });

  it('names the bad TLS setting', function () {
    const make = (tls) => new DsmClient({ url: 'https://127.0.0.1:1', username: 'a', password: 'b', tls });
    assert.throws(
      () => make({ mode: 'fingerprint', fingerprint: 'abc' }),
      /tls\.fingerprint: must be a SHA-256/,
    );
    assert.throws(() => make({ mode: 'ca', ca: 'not a pem' }), /tls\.ca: must be a PEM/);
  });

  it('does not change process-wide TLS settings', async function () {
    const snapshot = () =>
      JSON.stringify({
        env: process.env.NODE_TLS_REJECT_UNAUTHORIZED ?? null,
        agent: https.globalAgent.options,
        min: tls.DEFAULT_MIN_VERSION,
        max: tls.DEFAULT_MAX_VERSION,
        ciphers: tls.DEFAULT_CIPHERS,
      });
    const before = snapshot();
    await call(selfSigned.sim.url, { mode: 'fingerprint', fingerprint: fingerprintOf(otherTls().cert) });
    await call(signed.sim.url, { mode: 'ca', ca: caPem() });
    assert.equal(snapshot(), before);
    // and an ordinary https request in this process still rejects the self-signed certificate
    await assert.rejects(fetch(`${selfSigned.sim.url}/webapi/query.cgi`), /fetch failed/);
  });
});
