'use strict';

const assert = require('node:assert/strict');
const { spawn } = require('node:child_process');
const { X509Certificate } = require('node:crypto');
const fs = require('node:fs');
const https = require('node:https');
const os = require('node:os');
const path = require('node:path');
const { startSimulator, DEFAULT_USERS, decodeJsonParam } = require('..');

const TLS_DIR = path.join(__dirname, 'fixtures', 'tls');
const AUTH = { api: 'SYNO.API.Auth', method: 'login', version: '7' };
const DEMO = { account: 'demo', passwd: 'synology' };
const OTP_USER = { account: 'otp-user', passwd: 'otp-pass' };

/** One /webapi request over real HTTP; POST sends a form body. Answers { status, body, headers }. */
async function call(sim, cgi, params, { post = false, headers = {} } = {}) {
  const url = new URL(`/webapi/${cgi}`, sim.url);
  const form = new URLSearchParams(params);
  let response;
  if (post) {
    response = await fetch(url, { method: 'POST', body: form, headers });
  } else {
    url.search = form.toString();
    response = await fetch(url, { headers });
  }
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : undefined };
}

async function login(sim, params = {}) {
  const { body } = await call(sim, 'entry.cgi', { ...AUTH, ...DEMO, format: 'sid', ...params });
  assert.equal(body.success, true, JSON.stringify(body));
  return body.data;
}

function listShares(sim, sid, extra = {}) {
  return call(sim, 'entry.cgi', {
    api: 'SYNO.FileStation.List',
    version: '2',
    method: 'list_share',
    _sid: sid,
    ...extra,
  });
}

function errorCode(response) {
  assert.equal(response.status, 200);
  assert.equal(response.body.success, false, JSON.stringify(response.body));
  return response.body.error.code;
}

function wrongOtp(code) {
  return String((Number(code) + 500000) % 1000000).padStart(6, '0');
}

async function control(sim, method, route, body) {
  const response = await fetch(new URL(route, sim.url), {
    method,
    headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, body: await response.json() };
}

describe('DSM simulator', function () {
  let sim;

  beforeEach(async function () {
    sim = await startSimulator();
  });

  afterEach(async function () {
    await sim.close();
  });

  describe('startSimulator', function () {
    it('listens on an ephemeral port and seeds a temp data dir with the default shares', async function () {
      assert.match(sim.url, /^http:\/\/127\.0\.0\.1:\d+$/);
      assert.equal(sim.url, `http://127.0.0.1:${sim.port}`);
      assert.equal(sim.profile, 'dsm7');
      assert.equal(sim.tlsFingerprint, undefined);
      assert.deepEqual(fs.readdirSync(sim.dataDir).sort(), ['downloads', 'home', 'photo', 'video']);
      assert.ok(fs.existsSync(path.join(sim.dataDir, 'home', 'README.txt')));
    });

    it('exports the demo accounts', function () {
      assert.deepEqual(
        DEFAULT_USERS.map((user) => ({ ...user })),
        [
          { username: 'demo', password: 'synology', downloadDestination: 'downloads' },
          {
            username: 'otp-user',
            password: 'otp-pass',
            totpSecret: 'JBSWY3DPEHPK3PXP',
            downloadDestination: 'downloads',
          },
        ],
      );
    });

    it('closes promptly with a keep-alive connection open and removes its temp data dir', async function () {
      const other = await startSimulator();
      await call(other, 'entry.cgi', { api: 'SYNO.API.Info', version: '1', method: 'query' });
      const started = Date.now();
      await other.close();
      assert.ok(Date.now() - started < 1000);
      assert.equal(fs.existsSync(other.dataDir), false);
    });

    it('keeps a given data dir', async function () {
      const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sim-test-'));
      fs.mkdirSync(path.join(dataDir, 'music'));
      const other = await startSimulator({ dataDir });
      try {
        const { sid } = await login(other);
        const { body } = await listShares(other, sid);
        assert.deepEqual(body.data, {
          offset: 0,
          shares: [{ isdir: true, name: 'music', path: '/music' }],
          total: 1,
        });
      } finally {
        await other.close();
        assert.ok(fs.existsSync(path.join(dataDir, 'music')));
        fs.rmSync(dataDir, { recursive: true, force: true });
      }
    });
  });

  describe('SYNO.API.Info', function () {
    it('answers query=all with the profile table', async function () {
      const { status, headers, body } = await call(sim, 'entry.cgi', {
        api: 'SYNO.API.Info',
        version: '1',
        method: 'query',
        query: 'all',
      });
      assert.equal(status, 200);
      assert.match(headers.get('content-type'), /^application\/json/);
      assert.equal(body.success, true);
      assert.deepEqual(body.data['SYNO.API.Auth'], { maxVersion: 7, minVersion: 1, path: 'entry.cgi' });
      assert.ok(body.data['SYNO.FileStation.List']);
    });

    it('answers all APIs when query is left out, and at query.cgi too (DSM 7.2)', async function () {
      const atEntry = await call(sim, 'entry.cgi', { api: 'SYNO.API.Info', version: '1', method: 'query' });
      const atQuery = await call(sim, 'query.cgi', { api: 'SYNO.API.Info', version: '1', method: 'query' });
      assert.deepEqual(atQuery.body, atEntry.body);
      assert.ok(Object.keys(atEntry.body.data).length >= 5);
    });

    it('answers a comma list of names and name prefixes', async function () {
      const { body } = await call(sim, 'entry.cgi', {
        api: 'SYNO.API.Info',
        version: '1',
        method: 'query',
        query: 'SYNO.API.Auth,SYNO.FileStation,SYNO.Nothing',
      });
      const names = Object.keys(body.data).sort();
      // A name is a prefix too: SYNO.API.Auth brings SYNO.API.Auth.UIConfig along.
      assert.deepEqual(names.slice(0, 2), ['SYNO.API.Auth', 'SYNO.API.Auth.UIConfig']);
      assert.deepEqual(
        names.slice(2).map((name) => name.replace(/^SYNO\.FileStation\./, '')),
        [
          'BackgroundTask',
          'CheckPermission',
          'Compress',
          'CopyMove',
          'CreateFolder',
          'Delete',
          'DirSize',
          'Download',
          'Extract',
          'Favorite',
          'Info',
          'List',
          'MD5',
          'Rename',
          'Search',
          'Sharing',
          'Thumb',
          'Upload',
          'VirtualFolder',
        ],
      );
    });

    it('accepts a JSON-encoded query (requestFormat JSON)', async function () {
      const { body } = await call(sim, 'entry.cgi', {
        api: 'SYNO.API.Info',
        version: '1',
        method: 'query',
        query: '"SYNO.API.Auth"',
      });
      assert.deepEqual(Object.keys(body.data), ['SYNO.API.Auth', 'SYNO.API.Auth.UIConfig']);
    });
  });

  describe('routing and common errors', function () {
    it('answers HTTP 404 for an unknown path under /webapi and elsewhere', async function () {
      assert.equal((await fetch(`${sim.url}/webapi/nothing.cgi?api=SYNO.API.Info`)).status, 404);
      assert.equal((await fetch(`${sim.url}/index.html`)).status, 404);
    });

    it('101 without api, method or version', async function () {
      assert.equal(
        errorCode(await call(sim, 'entry.cgi', { api: 'SYNO.FileStation.Info', version: '2' })),
        101,
      );
      assert.equal(errorCode(await call(sim, 'entry.cgi', { method: 'get', version: '2' })), 101);
      assert.equal(
        errorCode(await call(sim, 'entry.cgi', { api: 'SYNO.FileStation.Info', method: 'get' })),
        101,
      );
    });

    it('102 for an unknown API or an API asked at another cgi', async function () {
      assert.equal(
        errorCode(await call(sim, 'entry.cgi', { api: 'SYNO.No.Such', version: '1', method: 'get' })),
        102,
      );
      assert.equal(errorCode(await call(sim, 'query.cgi', { ...AUTH, ...DEMO })), 102);
    });

    it('103 for an unknown method and for Auth versions 1 and 2 on DSM 7', async function () {
      assert.equal(errorCode(await call(sim, 'entry.cgi', { ...AUTH, method: 'frobnicate' })), 103);
      assert.equal(errorCode(await call(sim, 'entry.cgi', { ...AUTH, ...DEMO, version: '2' })), 103);
      assert.equal(errorCode(await call(sim, 'entry.cgi', { ...AUTH, ...DEMO, version: '1' })), 103);
      assert.equal(errorCode(await call(sim, 'entry.cgi', { ...AUTH, method: 'toString' })), 103);
    });

    it('104 for a version outside [minVersion, maxVersion]', async function () {
      assert.equal(errorCode(await call(sim, 'entry.cgi', { ...AUTH, ...DEMO, version: '8' })), 104);
      assert.equal(errorCode(await call(sim, 'entry.cgi', { ...AUTH, ...DEMO, version: 'x' })), 104);
      const dsmInfo = { api: 'SYNO.DSM.Info', version: '1', method: 'getinfo' };
      assert.equal(errorCode(await call(sim, 'entry.cgi', dsmInfo)), 104);
    });

    it('114 for a login without passwd or account', async function () {
      assert.equal(errorCode(await call(sim, 'entry.cgi', { ...AUTH, account: 'demo' })), 114);
      assert.equal(errorCode(await call(sim, 'entry.cgi', { ...AUTH, passwd: 'synology' })), 114);
    });

    it('accepts POST form bodies merged with query parameters', async function () {
      const url = new URL('/webapi/entry.cgi?api=SYNO.API.Auth&version=7', sim.url);
      const response = await fetch(url, {
        method: 'POST',
        body: new URLSearchParams({ method: 'login', ...DEMO, format: 'sid' }),
      });
      const body = await response.json();
      assert.equal(body.success, true);
      const shares = await call(
        sim,
        'entry.cgi',
        { api: 'SYNO.FileStation.List', version: '2', method: 'list_share', _sid: body.data.sid },
        { post: true },
      );
      assert.equal(shares.body.data.total, 4);
    });

    it('accepts JSON-encoded and bare parameters of JSON APIs', async function () {
      const { sid } = await login(sim);
      const bare = await listShares(sim, sid, { offset: '1', limit: '2' });
      const encoded = await listShares(sim, sid, { offset: 1, limit: 2, sort_direction: '"asc"' });
      assert.deepEqual(encoded.body, bare.body);
      assert.deepEqual(bare.body.data, {
        offset: 1,
        shares: [
          { isdir: true, name: 'home', path: '/home' },
          { isdir: true, name: 'photo', path: '/photo' },
        ],
        total: 4,
      });
      const desc = await listShares(sim, sid, { sort_direction: 'desc', limit: '1' });
      assert.deepEqual(desc.body.data.shares, [{ isdir: true, name: 'video', path: '/video' }]);
      assert.equal(errorCode(await listShares(sim, sid, { offset: 'abc' })), 120);
    });

    it('decodes JSON parameters, keeping bare strings as they are', function () {
      assert.equal(decodeJsonParam('"value"'), 'value');
      assert.equal(decodeJsonParam('value'), 'value');
      assert.equal(decodeJsonParam('5'), 5);
      assert.equal(decodeJsonParam('true'), true);
      assert.deepEqual(decodeJsonParam('["a","b"]'), ['a', 'b']);
      assert.deepEqual(decodeJsonParam('{"a":1}'), { a: 1 });
      assert.equal(decodeJsonParam('2024-01-01'), '2024-01-01');
      assert.equal(decodeJsonParam('007'), '007');
      assert.equal(decodeJsonParam('[broken'), '[broken');
      assert.equal(decodeJsonParam('/video/a,b'), '/video/a,b');
    });
  });

  describe('SYNO.API.Auth login and logout', function () {
    it('logs in with version 7 and answers the DSM 7 shape', async function () {
      const data = await login(sim);
      assert.deepEqual(Object.keys(data).sort(), [
        'account',
        'device_id',
        'ik_message',
        'is_portal_port',
        'sid',
        'synotoken',
      ]);
      assert.equal(data.account, 'demo');
      assert.equal(data.device_id, '');
      assert.equal(data.is_portal_port, false);
      assert.equal(data.synotoken, '--------');
      assert.match(data.sid, /^[A-Za-z0-9_-]{20,}$/);
    });

    it('logs in with version 6 and answers the DSM 6 shape', async function () {
      const data = await login(sim, { version: '6' });
      assert.deepEqual(Object.keys(data).sort(), ['is_portal_port', 'sid', 'synotoken']);
    });

    it('400 for a wrong password or an unknown account', async function () {
      assert.equal(
        errorCode(await call(sim, 'entry.cgi', { ...AUTH, account: 'demo', passwd: 'nope' })),
        400,
      );
      assert.equal(
        errorCode(await call(sim, 'entry.cgi', { ...AUTH, account: 'ghost', passwd: 'synology' })),
        400,
      );
    });

    it('403 with an OTP token for a 2FA user without a code, 404 for a wrong code, ok with the right one', async function () {
      const needed = await call(sim, 'entry.cgi', { ...AUTH, ...OTP_USER });
      assert.equal(errorCode(needed), 403);
      assert.deepEqual(needed.body.error.errors.types, [{ type: 'otp' }]);
      assert.equal(typeof needed.body.error.errors.token, 'string');

      const code = sim.control.totpCode('otp-user');
      assert.match(code, /^\d{6}$/);
      const wrong = await call(sim, 'entry.cgi', { ...AUTH, ...OTP_USER, otp_code: wrongOtp(code) });
      assert.equal(errorCode(wrong), 404);

      const ok = await call(sim, 'entry.cgi', { ...AUTH, ...OTP_USER, otp_code: code });
      assert.equal(ok.body.success, true);
      assert.equal(ok.body.data.device_id, '');
    });

    it('accepts the OTP code of the previous 30 s window', async function () {
      const code = sim.control.totpCode('otp-user');
      sim.control.advanceClock(30_000);
      const ok = await call(sim, 'entry.cgi', { ...AUTH, ...OTP_USER, otp_code: code });
      assert.equal(ok.body.success, true);
    });

    it('issues a device token that later skips the OTP step (v7 device_id, v6 did)', async function () {
      const first = await login(sim, {
        ...OTP_USER,
        otp_code: sim.control.totpCode('otp-user'),
        enable_device_token: 'yes',
        device_name: 'node-red',
      });
      assert.ok(first.device_id.length > 20);

      const again = await login(sim, { ...OTP_USER, device_name: 'node-red', device_id: first.device_id });
      assert.equal(again.device_id, first.device_id);

      const v6 = await login(sim, { ...OTP_USER, version: '6', device_id: first.device_id });
      assert.equal(v6.did, first.device_id);

      const unknown = await call(sim, 'entry.cgi', { ...AUTH, ...OTP_USER, device_id: 'not-a-device' });
      assert.equal(errorCode(unknown), 403);
    });

    it('format=cookie (the default) sets the id cookie, which authenticates', async function () {
      const { headers, body } = await call(sim, 'entry.cgi', { ...AUTH, ...DEMO });
      const cookie = headers.getSetCookie().find((text) => text.startsWith('id='));
      assert.equal(cookie, `id=${body.data.sid}; path=/; HttpOnly`);
      const info = await call(
        sim,
        'entry.cgi',
        { api: 'SYNO.FileStation.Info', version: '2', method: 'get' },
        { headers: { Cookie: `lang=en; id=${body.data.sid}` } },
      );
      assert.equal(info.body.success, true);
      assert.equal(info.body.data.hostname, 'synosim');
    });

    it('format=sid sets no cookie', async function () {
      const { headers } = await call(sim, 'entry.cgi', { ...AUTH, ...DEMO, format: 'sid' });
      assert.deepEqual(headers.getSetCookie(), []);
    });

    it('enable_syno_token=yes issues a SynoToken; requests carrying it are counted', async function () {
      const { sid, synotoken } = await login(sim, { enable_syno_token: 'yes' });
      assert.notEqual(synotoken, '--------');
      await listShares(sim, sid);
      await call(
        sim,
        'entry.cgi',
        { api: 'SYNO.FileStation.List', version: '2', method: 'list_share', _sid: sid },
        { headers: { 'X-SYNO-TOKEN': synotoken } },
      );
      await listShares(sim, sid, { SynoToken: synotoken });
      await listShares(sim, sid, { SynoToken: 'wrong' });
      assert.equal(sim.control.counters().requestsWithSynoToken, 2);
    });

    it('records the session name, never the sid', async function () {
      await login(sim, { session: 'FileStation' });
      assert.deepEqual(
        sim.control.sessions().map(({ account, sessionName }) => ({ account, sessionName })),
        [{ account: 'demo', sessionName: 'FileStation' }],
      );
      assert.deepEqual(Object.keys(sim.control.sessions()[0]).sort(), [
        'account',
        'createdAt',
        'sessionName',
      ]);
    });

    it('logout ends the session named by the sid', async function () {
      const { sid } = await login(sim);
      const out = await call(sim, 'entry.cgi', { ...AUTH, method: 'logout', _sid: sid });
      assert.deepEqual(out.body, { success: true });
      assert.equal(errorCode(await listShares(sim, sid)), 119);
      assert.equal(sim.control.counters().logouts, 1);
      assert.deepEqual((await call(sim, 'entry.cgi', { ...AUTH, method: 'logout' })).body, { success: true });
    });

    it('blocks an IP after 10 failed logins (407) until the block duration has passed', async function () {
      for (let i = 0; i < 9; i += 1) {
        assert.equal(
          errorCode(await call(sim, 'entry.cgi', { ...AUTH, account: 'demo', passwd: 'bad' })),
          400,
        );
      }
      const wrongCode = wrongOtp(sim.control.totpCode('otp-user'));
      assert.equal(
        errorCode(await call(sim, 'entry.cgi', { ...AUTH, ...OTP_USER, otp_code: wrongCode })),
        404,
      );
      assert.equal(errorCode(await call(sim, 'entry.cgi', { ...AUTH, ...DEMO })), 407);
      sim.control.advanceClock(29 * 60_000);
      assert.equal(errorCode(await call(sim, 'entry.cgi', { ...AUTH, ...DEMO })), 407);
      sim.control.advanceClock(60_000);
      assert.equal((await call(sim, 'entry.cgi', { ...AUTH, ...DEMO })).body.success, true);
    });

    it('does not block for failures spread wider than the window, and unblockAll releases', async function () {
      const bad = { ...AUTH, account: 'demo', passwd: 'bad' };
      for (let i = 0; i < 9; i += 1) await call(sim, 'entry.cgi', bad);
      sim.control.advanceClock(5 * 60_000);
      assert.equal(errorCode(await call(sim, 'entry.cgi', bad)), 400);
      assert.equal((await call(sim, 'entry.cgi', { ...AUTH, ...DEMO })).body.success, true);

      for (let i = 0; i < 10; i += 1) await call(sim, 'entry.cgi', bad);
      assert.equal(errorCode(await call(sim, 'entry.cgi', { ...AUTH, ...DEMO })), 407);
      sim.control.unblockAll();
      assert.equal((await call(sim, 'entry.cgi', { ...AUTH, ...DEMO })).body.success, true);
    });

    it('honours blockAfterFailures and blockDurationMs options', async function () {
      const strict = await startSimulator({ blockAfterFailures: 2, blockDurationMs: 1000 });
      try {
        const bad = { ...AUTH, account: 'demo', passwd: 'bad' };
        await call(strict, 'entry.cgi', bad);
        await call(strict, 'entry.cgi', bad);
        assert.equal(errorCode(await call(strict, 'entry.cgi', { ...AUTH, ...DEMO })), 407);
        strict.control.advanceClock(1000);
        assert.equal((await call(strict, 'entry.cgi', { ...AUTH, ...DEMO })).body.success, true);
      } finally {
        await strict.close();
      }
    });
  });

  describe('sessions', function () {
    it('119 without a sid or with an unknown sid', async function () {
      assert.equal(errorCode(await listShares(sim, undefined)), 119);
      assert.equal(errorCode(await listShares(sim, 'no-such-sid')), 119);
    });

    it('106 after the idle timeout, then 119', async function () {
      const { sid } = await login(sim);
      sim.control.advanceClock(15 * 60_000 + 1);
      assert.equal(errorCode(await listShares(sim, sid)), 106);
      assert.equal(errorCode(await listShares(sim, sid)), 119);
    });

    it('each call refreshes the idle time', async function () {
      const { sid } = await login(sim);
      for (let i = 0; i < 3; i += 1) {
        sim.control.advanceClock(10 * 60_000);
        assert.equal((await listShares(sim, sid)).body.success, true);
      }
    });

    it('honours sessionTimeoutMs and does not spend the 106 on a public call carrying the sid', async function () {
      const quick = await startSimulator({ sessionTimeoutMs: 1000 });
      try {
        const { sid } = await login(quick);
        quick.control.advanceClock(1001);
        const info = await call(quick, 'entry.cgi', {
          api: 'SYNO.API.Info',
          version: '1',
          method: 'query',
          _sid: sid,
        });
        assert.equal(info.body.success, true);
        assert.equal(errorCode(await listShares(quick, sid)), 106);
      } finally {
        await quick.close();
      }
    });

    it('expireAllSessions makes the next use answer 106', async function () {
      const { sid } = await login(sim);
      sim.control.expireAllSessions();
      assert.equal(sim.control.counters().activeSessions, 0);
      assert.equal(errorCode(await listShares(sim, sid)), 106);
    });

    it('kickAllSessions makes the next use answer 107, as a duplicate login does, then 119', async function () {
      const first = await login(sim, { session: 'FileStation' });
      const second = await login(sim, { session: 'DownloadStation' });
      sim.control.kickAllSessions();
      assert.equal(sim.control.counters().activeSessions, 0);
      assert.equal(errorCode(await listShares(sim, first.sid)), 107);
      assert.equal(errorCode(await listShares(sim, first.sid)), 119);
      assert.equal(errorCode(await listShares(sim, second.sid)), 107);
      const fresh = await login(sim);
      assert.equal((await listShares(sim, fresh.sid)).body.success, true);
    });

    it('kickAllSessions: a logout of a kicked sid ends it without a 107', async function () {
      const { sid } = await login(sim);
      sim.control.kickAllSessions();
      await call(sim, 'entry.cgi', { ...AUTH, method: 'logout', _sid: sid });
      assert.equal(errorCode(await listShares(sim, sid)), 119);
    });

    it('forgetAllSessions makes every sid unknown (119), as a reboot does', async function () {
      const { sid } = await login(sim);
      sim.control.forgetAllSessions();
      assert.equal(sim.control.counters().activeSessions, 0);
      assert.equal(errorCode(await listShares(sim, sid)), 119);
      assert.equal(errorCode(await listShares(sim, sid)), 119);
      const fresh = await login(sim);
      assert.equal((await listShares(sim, fresh.sid)).body.success, true);
    });

    it('invalidateAllSessions makes every use answer 105, as after a reboot', async function () {
      const { sid } = await login(sim);
      sim.control.invalidateAllSessions();
      assert.equal(errorCode(await listShares(sim, sid)), 105);
      assert.equal(errorCode(await listShares(sim, sid)), 105);
      const fresh = await login(sim);
      assert.equal((await listShares(sim, fresh.sid)).body.success, true);
    });
  });

  describe('DSM.Info and FileStation.Info', function () {
    it('SYNO.DSM.Info getinfo answers the captured shape, uptime on the simulator clock', async function () {
      const { sid } = await login(sim);
      const params = { api: 'SYNO.DSM.Info', version: '2', method: 'getinfo', _sid: sid };
      const { body } = await call(sim, 'entry.cgi', params);
      const capture = require('./fixtures/captures/SYNO.DSM.Info-getinfo.json');
      assert.deepEqual(Object.keys(body.data).sort(), Object.keys(capture).sort());
      for (const key of Object.keys(capture)) assert.equal(typeof body.data[key], typeof capture[key], key);
      assert.equal(body.data.version_string, 'DSM 7.2.2-72806 Update 3');
      assert.equal(body.data.version, '72806');
      assert.match(body.data.time, /^[A-Z][a-z]{2} [A-Z][a-z]{2} \d{2} \d{2}:\d{2}:\d{2} \d{4}$/);
      sim.control.advanceClock(3600_000);
      const later = await call(sim, 'entry.cgi', { ...params, _sid: (await login(sim)).sid });
      assert.ok(later.body.data.uptime - body.data.uptime >= 3600);
    });

    it('SYNO.FileStation.Info get answers the File Station guide shape', async function () {
      const { sid } = await login(sim);
      const { body } = await call(sim, 'entry.cgi', {
        api: 'SYNO.FileStation.Info',
        version: '2',
        method: 'get',
        _sid: sid,
      });
      assert.equal(body.data.hostname, 'synosim');
      assert.equal(body.data.is_manager, true);
      assert.equal(body.data.support_sharing, true);
      assert.equal(typeof body.data.uid, 'number');
      assert.deepEqual(body.data.support_virtual_protocol, ['cifs', 'nfs', 'iso']);
    });
  });

  describe('faults', function () {
    it('code: the next matching request answers the error and is not performed', async function () {
      sim.control.injectFault({ api: 'SYNO.API.Auth', method: 'login', code: 400 });
      assert.equal(errorCode(await call(sim, 'entry.cgi', { ...AUTH, ...DEMO })), 400);
      assert.equal(sim.control.counters().loginAttempts, 0);
      assert.equal(sim.control.sessions().length, 0);
      assert.equal((await call(sim, 'entry.cgi', { ...AUTH, ...DEMO })).body.success, true);
    });

    it('matches api and method, and lasts count requests', async function () {
      const { sid } = await login(sim);
      sim.control.injectFault({ api: 'SYNO.FileStation.List', count: 2, code: 119 });
      assert.equal(
        (await call(sim, 'entry.cgi', { api: 'SYNO.API.Info', version: '1', method: 'query' })).body.success,
        true,
      );
      assert.equal(errorCode(await listShares(sim, sid)), 119);
      assert.equal(errorCode(await listShares(sim, sid)), 119);
      assert.equal((await listShares(sim, sid)).body.success, true);

      sim.control.injectFault({ method: 'get', code: 105 });
      assert.equal((await listShares(sim, sid)).body.success, true);
      const info = await call(sim, 'entry.cgi', {
        api: 'SYNO.FileStation.Info',
        version: '2',
        method: 'get',
        _sid: sid,
      });
      assert.equal(errorCode(info), 105);
    });

    it('reset: the connection is destroyed without an answer', async function () {
      sim.control.injectFault({ api: 'SYNO.API.Info', reset: true });
      await assert.rejects(call(sim, 'entry.cgi', { api: 'SYNO.API.Info', version: '1', method: 'query' }));
      assert.equal(sim.control.requestLog().at(-1).reset, true);
      assert.equal(
        (await call(sim, 'entry.cgi', { api: 'SYNO.API.Info', version: '1', method: 'query' })).body.success,
        true,
      );
    });

    it('delayMs: the request is answered normally after the delay', async function () {
      sim.control.injectFault({ delayMs: 300 });
      const started = Date.now();
      const { body } = await call(sim, 'entry.cgi', { api: 'SYNO.API.Info', version: '1', method: 'query' });
      assert.ok(Date.now() - started >= 290);
      assert.equal(body.success, true);
    });

    it("when:'after' with a code: the request is performed, then the answer is lost", async function () {
      sim.control.injectFault({ api: 'SYNO.API.Auth', method: 'login', code: 100, when: 'after' });
      const response = await call(sim, 'entry.cgi', { ...AUTH, ...DEMO });
      assert.equal(errorCode(response), 100);
      assert.deepEqual(response.headers.getSetCookie(), []);
      assert.equal(sim.control.counters().loginSuccesses, 1);
      assert.equal(sim.control.sessions().length, 1);
    });

    it("when:'after' with reset: the request is performed, then the connection is destroyed", async function () {
      const { sid } = await login(sim);
      sim.control.injectFault({ api: 'SYNO.API.Auth', method: 'logout', reset: true, when: 'after' });
      await assert.rejects(call(sim, 'entry.cgi', { ...AUTH, method: 'logout', _sid: sid }));
      assert.equal(sim.control.counters().logouts, 1);
      assert.equal(errorCode(await listShares(sim, sid)), 119);
    });

    it('clearFaults drops pending faults; invalid faults are refused', async function () {
      sim.control.injectFault({ code: 100, count: 5 });
      assert.equal(sim.control.pendingFaults().length, 1);
      sim.control.clearFaults();
      assert.equal(
        (await call(sim, 'entry.cgi', { api: 'SYNO.API.Info', version: '1', method: 'query' })).body.success,
        true,
      );
      assert.throws(() => sim.control.injectFault({ api: 'SYNO.API.Info' }), TypeError);
      assert.throws(() => sim.control.injectFault({ code: 100, reset: true }), TypeError);
      assert.throws(() => sim.control.injectFault({ code: 100, when: 'later' }), TypeError);
      assert.throws(() => sim.control.injectFault({ code: 100, count: 0 }), TypeError);
    });

    it('never applies to /sim/ requests or to requests that fail routing', async function () {
      sim.control.injectFault({ code: 117 });
      assert.equal((await control(sim, 'GET', '/sim/counters')).status, 200);
      assert.equal(
        errorCode(await call(sim, 'entry.cgi', { api: 'SYNO.No.Such', version: '1', method: 'x' })),
        102,
      );
      assert.equal(
        errorCode(await call(sim, 'entry.cgi', { api: 'SYNO.API.Info', version: '1', method: 'query' })),
        117,
      );
    });
  });

  describe('counters and request log', function () {
    it('counts logins, logouts, requests per API and method, and active sessions', async function () {
      const { sid } = await login(sim);
      await call(sim, 'entry.cgi', { ...AUTH, account: 'demo', passwd: 'bad' });
      await listShares(sim, sid);
      await call(sim, 'entry.cgi', { ...AUTH, method: 'logout', _sid: sid });
      await login(sim);
      assert.deepEqual(sim.control.counters(), {
        loginAttempts: 3,
        loginSuccesses: 2,
        loginFailures: 1,
        logouts: 1,
        requests: { 'SYNO.API.Auth': 4, 'SYNO.FileStation.List': 1 },
        methods: {
          'SYNO.API.Auth.login': 3,
          'SYNO.FileStation.List.list_share': 1,
          'SYNO.API.Auth.logout': 1,
        },
        requestsWithSynoToken: 0,
        activeSessions: 1,
      });
      sim.control.resetCounters();
      const reset = sim.control.counters();
      assert.equal(reset.loginAttempts, 0);
      assert.deepEqual(reset.requests, {});
      assert.equal(reset.activeSessions, 1);
    });

    it('logs requests with secrets masked and whether X-SYNO-TOKEN was sent', async function () {
      const { sid } = await login(sim, { otp_code: '123456', device_id: 'dev' });
      await call(
        sim,
        'entry.cgi',
        { api: 'SYNO.FileStation.List', version: '2', method: 'list_share', _sid: sid },
        {
          post: true,
          headers: { 'X-SYNO-TOKEN': 'abc' },
        },
      );
      const [loginEntry, listEntry] = sim.control.requestLog();
      assert.equal(loginEntry.httpMethod, 'GET');
      assert.equal(loginEntry.path, 'entry.cgi');
      assert.equal(loginEntry.api, 'SYNO.API.Auth');
      assert.equal(loginEntry.method, 'login');
      assert.equal(loginEntry.version, 7);
      assert.equal(loginEntry.params.account, 'demo');
      for (const secret of ['passwd', 'otp_code', 'device_id'])
        assert.equal(loginEntry.params[secret], '***');
      assert.equal(loginEntry.headers['x-syno-token'], false);
      assert.equal(JSON.stringify(sim.control.requestLog()).includes('synology'), false);

      assert.equal(listEntry.httpMethod, 'POST');
      assert.equal(listEntry.params._sid, '***');
      assert.equal(listEntry.headers['x-syno-token'], true);
      assert.match(listEntry.headers['content-type'], /x-www-form-urlencoded/);
    });

    it('logs the text fields of a multipart upload, secrets masked', async function () {
      const { sid } = await login(sim);
      const form = new FormData();
      form.append('path', '/home');
      form.append('create_parents', 'false');
      form.append('SynoToken', 'form-secret');
      form.append('file', new Blob(['hello']), 'logged.txt');
      const url = new URL('/webapi/entry.cgi', sim.url);
      url.search = new URLSearchParams({
        api: 'SYNO.FileStation.Upload',
        version: '2',
        method: 'upload',
        _sid: sid,
      });
      const body = await (await fetch(url, { method: 'POST', body: form })).json();
      assert.equal(body.success, true, JSON.stringify(body));
      const entry = sim.control.requestLog().at(-1);
      assert.equal(entry.method, 'upload');
      assert.deepEqual(
        [entry.params.path, entry.params.create_parents, entry.params.SynoToken, entry.params._sid],
        ['/home', 'false', '***', '***'],
      );
      assert.equal(JSON.stringify(sim.control.requestLog()).includes('form-secret'), false);
      assert.equal('file' in entry.params, false, 'file parts are not params');
    });

    it('logs the name of an upload file part, and which requests ran their method', async function () {
      const { sid } = await login(sim);
      const upload = async (name, query = {}) => {
        const form = new FormData();
        form.append('path', '/home');
        form.append('file', new Blob(['hello']), name);
        const url = new URL('/webapi/entry.cgi', sim.url);
        url.search = new URLSearchParams({
          api: 'SYNO.FileStation.Upload',
          version: '2',
          method: 'upload',
          _sid: sid,
          ...query,
        });
        return (await fetch(url, { method: 'POST', body: form })).json();
      };
      assert.equal((await upload('first.txt')).success, true);
      // The same name again without overwrite: the method ran and refused (1805).
      assert.equal((await upload('first.txt')).error.code, 1805);
      // A stale sid: refused before the method ran, its body never read.
      assert.equal((await upload('second.txt', { _sid: 'stale' })).error.code, 119);
      sim.control.injectFault({ api: 'SYNO.FileStation.Upload', code: 106 });
      assert.equal((await upload('third.txt')).error.code, 106);
      sim.control.injectFault({ api: 'SYNO.FileStation.Upload', status: 502, when: 'after' });
      await upload('fourth.txt').catch(() => undefined);
      const uploads = sim.control.requestLog().filter((entry) => entry.method === 'upload');
      assert.deepEqual(
        uploads.map((entry) => [entry.files, entry.performed, entry.errorCode]),
        [
          [['first.txt'], true, undefined],
          [['first.txt'], true, 1805],
          [undefined, undefined, 119],
          [undefined, undefined, 106],
          [['fourth.txt'], true, undefined],
        ],
      );
      assert.equal(uploads[4].httpStatus, 502);
      assert.equal(sim.control.requestLog()[0].performed, true, 'a login runs its method');
    });

    it('logs the file name of a torrent sent to Download Station', async function () {
      const { sid } = await login(sim);
      const form = new FormData();
      form.append('api', 'SYNO.DownloadStation.Task');
      form.append('version', '1');
      form.append('method', 'create');
      form.append('_sid', sid);
      form.append('file', new Blob(['not a torrent']), 'logged.torrent');
      const url = new URL('/webapi/DownloadStation/task.cgi', sim.url);
      await (await fetch(url, { method: 'POST', body: form })).json();
      const entry = sim.control.requestLog().at(-1);
      assert.equal(entry.method, 'create');
      assert.equal(entry.performed, true);
      assert.deepEqual(entry.files, ['logged.torrent']);
    });

    it('records the error code answered', async function () {
      await call(sim, 'entry.cgi', { ...AUTH, account: 'demo', passwd: 'bad' });
      assert.equal(sim.control.requestLog()[0].errorCode, 400);
      sim.control.clearRequestLog();
      assert.deepEqual(sim.control.requestLog(), []);
    });

    it('keeps requestLogSize requests when given', async function () {
      const small = await startSimulator({ requestLogSize: 3 });
      try {
        for (let i = 0; i < 5; i += 1) {
          await call(small, 'entry.cgi', {
            api: 'SYNO.API.Info',
            version: '1',
            method: 'query',
            query: `q${i}`,
          });
        }
        assert.deepEqual(
          small.control.requestLog().map((entry) => entry.params.query),
          ['q2', 'q3', 'q4'],
        );
      } finally {
        await small.close();
      }
      await assert.rejects(startSimulator({ requestLogSize: 0 }), /requestLogSize/);
    });

    it('keeps only the last 200 requests', async function () {
      for (let i = 0; i < 205; i += 1) {
        await call(sim, 'entry.cgi', { api: 'SYNO.API.Info', version: '1', method: 'query', query: `q${i}` });
      }
      const log = sim.control.requestLog();
      assert.equal(log.length, 200);
      assert.equal(log[0].params.query, 'q5');
    });
  });

  describe('control over HTTP (/sim/)', function () {
    it('counters and their reset', async function () {
      await login(sim);
      const counters = await control(sim, 'GET', '/sim/counters');
      assert.equal(counters.body.loginSuccesses, 1);
      assert.deepEqual((await control(sim, 'POST', '/sim/counters/reset')).body, { ok: true });
      assert.equal((await control(sim, 'GET', '/sim/counters')).body.loginSuccesses, 0);
    });

    it('faults: inject, list, clear, refuse invalid ones', async function () {
      const injected = await control(sim, 'POST', '/sim/faults', {
        api: 'SYNO.API.Info',
        code: 150,
        count: 2,
      });
      assert.equal(injected.status, 200);
      assert.equal((await control(sim, 'GET', '/sim/faults')).body[0].remaining, 2);
      assert.equal(
        errorCode(await call(sim, 'entry.cgi', { api: 'SYNO.API.Info', version: '1', method: 'query' })),
        150,
      );
      await control(sim, 'DELETE', '/sim/faults');
      assert.deepEqual((await control(sim, 'GET', '/sim/faults')).body, []);
      const invalid = await control(sim, 'POST', '/sim/faults', { when: 'sometime', code: 1 });
      assert.equal(invalid.status, 400);
      assert.match(invalid.body.error, /when/);
    });

    it('clock', async function () {
      const before = (await control(sim, 'GET', '/sim/clock')).body.now;
      const { body } = await control(sim, 'POST', '/sim/clock', { advanceMs: 3_600_000 });
      assert.ok(body.now - before >= 3_600_000);
      assert.ok(Math.abs(sim.control.now() - body.now) < 1000);
      assert.equal((await control(sim, 'POST', '/sim/clock', {})).status, 400);
    });

    it('sessions: list, expire, invalidate, kick, forget', async function () {
      const first = await login(sim, { session: 'Flow' });
      assert.deepEqual(
        (await control(sim, 'GET', '/sim/sessions')).body.map((session) => session.sessionName),
        ['Flow'],
      );
      await control(sim, 'POST', '/sim/sessions/expire');
      assert.equal(errorCode(await listShares(sim, first.sid)), 106);
      const second = await login(sim);
      await control(sim, 'POST', '/sim/sessions/invalidate');
      assert.equal(errorCode(await listShares(sim, second.sid)), 105);
      const third = await login(sim);
      assert.deepEqual((await control(sim, 'POST', '/sim/sessions/kick')).body, { ok: true });
      assert.equal(errorCode(await listShares(sim, third.sid)), 107);
      const fourth = await login(sim);
      assert.deepEqual((await control(sim, 'POST', '/sim/sessions/forget')).body, { ok: true });
      assert.equal(errorCode(await listShares(sim, fourth.sid)), 119);
    });

    it('totp code, unblock, request log', async function () {
      const { body } = await control(sim, 'GET', '/sim/totp/otp-user');
      assert.equal(body.code, sim.control.totpCode('otp-user'));
      assert.equal((await control(sim, 'GET', '/sim/totp/demo')).status, 400);

      for (let i = 0; i < 10; i += 1)
        await call(sim, 'entry.cgi', { ...AUTH, account: 'demo', passwd: 'bad' });
      assert.equal(errorCode(await call(sim, 'entry.cgi', { ...AUTH, ...DEMO })), 407);
      await control(sim, 'POST', '/sim/unblock');
      assert.equal((await call(sim, 'entry.cgi', { ...AUTH, ...DEMO })).body.success, true);

      const log = (await control(sim, 'GET', '/sim/requests')).body;
      assert.equal(log.length, 12);
      assert.equal(log[0].params.passwd, '***');
      await control(sim, 'DELETE', '/sim/requests');
      assert.deepEqual((await control(sim, 'GET', '/sim/requests')).body, []);
    });

    it('404 for an unknown control endpoint', async function () {
      assert.equal((await control(sim, 'GET', '/sim/nothing')).status, 404);
      assert.equal((await control(sim, 'PUT', '/sim/counters')).status, 404);
    });
  });

  describe('TLS', function () {
    it('tls:true serves https with a certificate that verifies against the test CA', async function () {
      const secure = await startSimulator({ tls: true });
      try {
        assert.match(secure.url, /^https:\/\/127\.0\.0\.1:\d+$/);
        const cert = new X509Certificate(fs.readFileSync(path.join(TLS_DIR, 'server.pem')));
        assert.equal(secure.tlsFingerprint, cert.fingerprint256);
        assert.match(secure.tlsFingerprint, /^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);

        const ca = fs.readFileSync(path.join(TLS_DIR, 'ca.pem'));
        const body = await new Promise((resolve, reject) => {
          const url = `${secure.url}/webapi/entry.cgi?api=SYNO.API.Info&version=1&method=query&query=SYNO.API.Auth`;
          https
            .get(url, { ca, agent: false }, (res) => {
              let text = '';
              res.setEncoding('utf8');
              res.on('data', (chunk) => (text += chunk));
              res.on('end', () => resolve(JSON.parse(text)));
            })
            .on('error', reject);
        });
        assert.deepEqual(body.data['SYNO.API.Auth'], { maxVersion: 7, minVersion: 1, path: 'entry.cgi' });

        await assert.rejects(
          new Promise((resolve, reject) => {
            https.get(`${secure.url}/webapi/query.cgi`, { agent: false }, resolve).on('error', reject);
          }),
          /certificate/,
        );
      } finally {
        await secure.close();
      }
    });

    it('tls:{key,cert} serves the given certificate', async function () {
      const key = fs.readFileSync(path.join(TLS_DIR, 'other.key'));
      const cert = fs.readFileSync(path.join(TLS_DIR, 'other.pem'));
      const secure = await startSimulator({ tls: { key, cert } });
      try {
        assert.equal(secure.tlsFingerprint, new X509Certificate(cert).fingerprint256);
      } finally {
        await secure.close();
      }
    });
  });

  describe('bin/synology-dsm-sim.js', function () {
    it('starts, prints its URL, serves DSM and exits on SIGTERM', async function () {
      const bin = path.join(__dirname, '..', 'bin', 'synology-dsm-sim.js');
      const child = spawn(process.execPath, [bin, '--port', '0', '--user', 'alice:secret'], {
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      const exited = new Promise((resolve) =>
        child.once('exit', (code, signal) => resolve({ code, signal })),
      );
      try {
        const firstLine = await new Promise((resolve, reject) => {
          let text = '';
          child.stdout.setEncoding('utf8');
          child.stdout.on('data', (chunk) => {
            text += chunk;
            if (text.includes('\n')) resolve(text.split('\n')[0]);
          });
          child.once('exit', () => reject(new Error(`bin exited early: ${text}`)));
        });
        const match =
          /^synology-dsm-sim listening on (http:\/\/127\.0\.0\.1:\d+) \(profile dsm7, data (.+)\)$/.exec(
            firstLine,
          );
        assert.ok(match, firstLine);
        const response = await fetch(
          `${match[1]}/webapi/entry.cgi?api=SYNO.API.Auth&version=7&method=login&account=alice&passwd=secret&format=sid`,
        );
        assert.equal((await response.json()).success, true);
      } finally {
        child.kill('SIGTERM');
      }
      assert.deepEqual(await exited, { code: 0, signal: null });
    });

    it('prints its usage with --help', async function () {
      const bin = path.join(__dirname, '..', 'bin', 'synology-dsm-sim.js');
      const child = spawn(process.execPath, [bin, '--help'], { stdio: ['ignore', 'pipe', 'inherit'] });
      let text = '';
      child.stdout.setEncoding('utf8');
      child.stdout.on('data', (chunk) => (text += chunk));
      const code = await new Promise((resolve) => child.once('exit', resolve));
      assert.equal(code, 0);
      assert.match(text, /--profile dsm7\|dsm6/);
      assert.match(text, /otp-user/);
    });
  });
});
