'use strict';
const assert = require('node:assert/strict');
const { helper, dsmNode, apiNode, apiFlow } = require('./support/node-red');
const { useSimulator, demo, otpUser } = require('./support/sim');

const formFor = (sim, extra = {}) => ({
  id: 'dsm',
  host: '127.0.0.1',
  port: new URL(sim.url).port,
  protocol: 'http',
  tlsMode: 'verify',
  timeout: 10,
  ...extra,
});

describe('synology-dsm editor endpoints', function () {
  const ref = useSimulator();
  beforeEach(() => ref.sim.control.resetCounters());
  afterEach(async () => {
    await helper.unload();
  });

  it('Test connection logs in with the typed credentials and reports the DSM, then logs out', async function () {
    await helper.load([dsmNode, apiNode], apiFlow(ref.sim), {});
    const res = await helper
      .request()
      .post('/synology-dsm/test')
      .send(formFor(ref.sim, { username: demo.username, password: demo.password }))
      .expect(200);
    assert.equal(res.body.ok, true);
    assert.ok(res.body.apis > 3);
    assert.match(res.body.version, /^DSM 7/);
    const counters = ref.sim.control.counters();
    assert.equal(counters.loginSuccesses, 1);
    assert.equal(counters.logouts, 1);
  });

  it('Test connection uses the stored password when the editor sends the placeholder', async function () {
    await helper.load([dsmNode, apiNode], apiFlow(ref.sim), {
      dsm: { username: demo.username, password: demo.password },
    });
    const res = await helper
      .request()
      .post('/synology-dsm/test')
      .send(formFor(ref.sim, { username: demo.username, password: '__PWRD__' }))
      .expect(200);
    assert.equal(res.body.ok, true, res.body.message);
  });

  it('Test connection explains a failure without echoing credentials', async function () {
    await helper.load([dsmNode, apiNode], apiFlow(ref.sim), {});
    const res = await helper
      .request()
      .post('/synology-dsm/test')
      .send(formFor(ref.sim, { username: demo.username, password: 'secret-but-wrong' }))
      .expect(200);
    assert.equal(res.body.ok, false);
    assert.equal(res.body.code, 400);
    assert.match(res.body.message, /incorrect password/);
    assert.ok(!JSON.stringify(res.body).includes('secret-but-wrong'));
  });

  it('Test connection names a bad setting', async function () {
    await helper.load([dsmNode, apiNode], apiFlow(ref.sim), {});
    const res = await helper
      .request()
      .post('/synology-dsm/test')
      .send(formFor(ref.sim, { port: 'abc', username: 'a', password: 'b' }))
      .expect(200);
    assert.equal(res.body.ok, false);
    assert.match(res.body.message, /^port:/);
  });

  it('Trust this device stores a device token on the runtime side only; later logins need no code', async function () {
    await helper.load([dsmNode, apiNode], apiFlow(ref.sim), {
      dsm: { username: otpUser.username, password: otpUser.password },
    });
    const bad = await helper
      .request()
      .post('/synology-dsm/trust')
      .send(formFor(ref.sim, { username: otpUser.username, password: '__PWRD__', otp: '12' }))
      .expect(200);
    assert.equal(bad.body.ok, false);
    assert.match(bad.body.message, /^otp:/);

    const res = await helper
      .request()
      .post('/synology-dsm/trust')
      .send(
        formFor(ref.sim, {
          username: otpUser.username,
          password: '__PWRD__',
          otp: ref.sim.control.totpCode(otpUser.username),
        }),
      )
      .expect(200);
    assert.deepEqual(res.body, { ok: true });
    const [deviceId] = ref.sim.control.issuedSecrets().filter((s) => s.length > 60);
    assert.ok(deviceId);

    const test = await helper
      .request()
      .post('/synology-dsm/test')
      .send(formFor(ref.sim, { username: otpUser.username, password: '__PWRD__', deviceId: '__PWRD__' }))
      .expect(200);
    assert.equal(test.body.ok, true, test.body.message);
    const login = ref.sim.control
      .requestLog()
      .filter((r) => r.method === 'login')
      .pop();
    assert.equal(login.params.device_id, '***');
    assert.equal(login.params.otp_code, undefined);
  });

  it('Trust this device reports a wrong code', async function () {
    await helper.load([dsmNode, apiNode], apiFlow(ref.sim), {});
    const res = await helper
      .request()
      .post('/synology-dsm/trust')
      .send(formFor(ref.sim, { username: otpUser.username, password: otpUser.password, otp: '000000' }))
      .expect(200);
    assert.equal(res.body.ok, false);
    assert.equal(res.body.code, 404);
  });
});

describe('synology-dsm editor endpoints: stored secrets go only where the deployed settings point, TLS included', function () {
  const { X509Certificate } = require('node:crypto');
  const { caPem, otherTls } = require('./support/sim');
  const ref = useSimulator({ tls: otherTls() });
  const serverPin = () => new X509Certificate(otherTls().cert).fingerprint256;
  // A pin of another certificate: the one a user (or someone with editor access) might switch to.
  const otherPin = () => new X509Certificate(caPem()).fingerprint256;
  const tlsForm = (extra) =>
    formFor(ref.sim, { protocol: 'https', tlsMode: 'fingerprint', username: demo.username, ...extra });

  beforeEach(() => ref.sim.control.resetCounters());
  afterEach(async () => {
    await helper.unload();
  });

  /** Deploys a config node pinned to `pin` with the demo account's credentials stored. */
  async function deployPinned(pin) {
    const config = { protocol: 'https', tlsMode: 'fingerprint', fingerprint: pin };
    await helper.load([dsmNode, apiNode], apiFlow(ref.sim, { config }), {
      dsm: { username: demo.username, password: demo.password },
    });
  }

  const post = async (endpoint, form) =>
    (await helper.request().post(`/synology-dsm/${endpoint}`).send(form).expect(200)).body;

  it('reuses the stored password when every setting, the pin included, is the deployed one', async function () {
    await deployPinned(serverPin());
    // Same pin in another notation: still the same certificate.
    const bare = serverPin().replace(/:/g, '').toLowerCase();
    const body = await post('test', tlsForm({ fingerprint: bare, password: '__PWRD__' }));
    assert.equal(body.ok, true, body.message);
  });

  const changes = [
    ['another pinned certificate', () => ({ fingerprint: serverPin() })],
    ['another TLS mode (own CA)', () => ({ tlsMode: 'ca', ca: caPem() })],
    ['another TLS mode (verify)', () => ({ tlsMode: 'verify' })],
  ];
  for (const [what, change] of changes) {
    it(`Test connection with ${what} and no typed password asks for it and sends no login`, async function () {
      // Deployed: pinned to another certificate than the server's; the form now pins the server's own.
      await deployPinned(otherPin());
      const body = await post(
        'test',
        tlsForm({ fingerprint: otherPin(), ...change(), password: '__PWRD__' }),
      );
      assert.equal(body.ok, false);
      assert.equal(body.kind, 'input');
      assert.match(body.message, /^password: type the password again/);
      assert.equal(ref.sim.control.counters().loginAttempts, 0);
    });
  }

  it('Trust this device with another pin and no typed password sends no login either', async function () {
    await deployPinned(otherPin());
    const body = await post(
      'trust',
      tlsForm({ fingerprint: serverPin(), password: '__PWRD__', otp: '123456' }),
    );
    assert.equal(body.ok, false);
    assert.match(body.message, /^password: type the password again/);
    assert.equal(ref.sim.control.counters().loginAttempts, 0);
  });

  it('a typed password may go to the new settings', async function () {
    await deployPinned(otherPin());
    const body = await post('test', tlsForm({ fingerprint: serverPin(), password: demo.password }));
    assert.equal(body.ok, true, body.message);
    assert.equal(ref.sim.control.counters().loginSuccesses, 1);
  });
});

describe('synology-dsm Test connection: the refused certificate, for "Pin this certificate"', function () {
  const { X509Certificate } = require('node:crypto');
  const { otherTls } = require('./support/sim');
  const ref = useSimulator({ tls: otherTls() });
  const served = () => new X509Certificate(otherTls().cert);
  const tlsForm = (extra) =>
    formFor(ref.sim, {
      protocol: 'https',
      username: demo.username,
      password: demo.password,
      ...extra,
    });
  const post = async (form) =>
    (await helper.request().post('/synology-dsm/test').send(form).expect(200)).body;

  beforeEach(() => ref.sim.control.resetCounters());
  afterEach(async () => {
    await helper.unload();
  });

  it('shows fingerprint, subject, issuer and validity of an untrusted certificate, sending no login', async function () {
    await helper.load([dsmNode, apiNode], apiFlow(ref.sim), {});
    const body = await post(tlsForm({ tlsMode: 'verify' }));
    assert.equal(body.ok, false);
    assert.equal(body.kind, 'tls');
    const cert = served();
    assert.deepEqual(body.certificate, {
      fingerprint: cert.fingerprint256,
      subject: cert.subject.split('\n').join(', '),
      issuer: cert.issuer.split('\n').join(', '),
      validFrom: new Date(cert.validFrom).toISOString(),
      validTo: new Date(cert.validTo).toISOString(),
      altNames: cert.subjectAltName,
      selfSigned: cert.subject === cert.issuer,
    });
    assert.equal(ref.sim.control.counters().loginAttempts, 0);
    assert.ok(!JSON.stringify(body).includes(demo.password));
  });

  it('pinning the fingerprint it showed makes the next Test connection pass', async function () {
    await helper.load([dsmNode, apiNode], apiFlow(ref.sim), {});
    const { certificate } = await post(tlsForm({ tlsMode: 'verify' }));
    const body = await post(tlsForm({ tlsMode: 'fingerprint', fingerprint: certificate.fingerprint }));
    assert.equal(body.ok, true, body.message);
  });

  it('shows the certificate when a pinned fingerprint no longer matches', async function () {
    await helper.load([dsmNode, apiNode], apiFlow(ref.sim), {});
    const body = await post(tlsForm({ tlsMode: 'fingerprint', fingerprint: 'AB'.repeat(32) }));
    assert.equal(body.ok, false);
    assert.equal(body.code, 'CERT_FINGERPRINT_MISMATCH');
    assert.equal(body.certificate.fingerprint, served().fingerprint256);
  });

  it('sends no certificate for other failures', async function () {
    await helper.load([dsmNode, apiNode], apiFlow(ref.sim), {});
    const fingerprint = served().fingerprint256;
    const body = await post(tlsForm({ tlsMode: 'fingerprint', fingerprint, password: 'wrong-password' }));
    assert.equal(body.ok, false);
    assert.equal(body.code, 400);
    assert.equal(body.certificate, undefined);
  });
});

describe('synology-dsm Trust this device, then Test connection before deploy', function () {
  const ref = useSimulator();
  afterEach(async () => {
    await helper.unload();
  });
  // A config node added in the editor and not deployed yet: nothing with its id runs.
  const newForm = (extra) =>
    formFor(ref.sim, { id: 'new-dsm', username: otpUser.username, password: otpUser.password, ...extra });
  const post = async (endpoint, form) =>
    (await helper.request().post(`/synology-dsm/${endpoint}`).send(form).expect(200)).body;

  it('the next Test connection uses the token the trust stored, for the same target only', async function () {
    await helper.load([dsmNode, apiNode], apiFlow(ref.sim), {});
    const before = await post('test', newForm({ deviceId: '' }));
    assert.equal(before.ok, false);
    assert.equal(before.kind, 'two-factor');

    const trust = await post('trust', newForm({ otp: ref.sim.control.totpCode(otpUser.username) }));
    assert.deepEqual(trust, { ok: true });

    const after = await post('test', newForm({ deviceId: '__PWRD__' }));
    assert.equal(after.ok, true, after.message);
    const login = ref.sim.control
      .requestLog()
      .filter((r) => r.method === 'login')
      .pop();
    assert.equal(login.params.device_id, '***');

    // Another host name for the same NAS is another target: the token stays home.
    const elsewhere = await post('test', newForm({ host: 'localhost', deviceId: '__PWRD__' }));
    assert.equal(elsewhere.ok, false);
    assert.equal(elsewhere.kind, 'two-factor');
  });
});
