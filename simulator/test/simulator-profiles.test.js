'use strict';

const assert = require('node:assert/strict');
const { startSimulator } = require('..');

const CAPTURES = {
  dsm7: require('./fixtures/captures/query-all-dsm-7.2.2.json').data,
  dsm6: {
    ...require('./fixtures/captures/dsm_6__const_6_api_info.json').DSM_6_API_INFO.data,
    // The 6.2.2 box has no Cloud Sync installed; a DSM 6 box that has it lists it so.
    'SYNO.CloudSync': require('./fixtures/captures/dsm_6__surveillance_station__const_6_api_info.json')
      .DSM_6_API_INFO.data['SYNO.CloudSync'],
  },
};
const DSM_INFO_CAPTURE = require('./fixtures/captures/SYNO.DSM.Info-getinfo.json');

async function call(sim, cgi, params) {
  const url = new URL(`/webapi/${cgi}`, sim.url);
  url.search = new URLSearchParams(params).toString();
  const response = await fetch(url);
  return { status: response.status, body: response.status === 200 ? await response.json() : undefined };
}

/**
 * A method of each API that needs no other state, its parameters and the answer expected: 'success', a DSM
 * error code that shows the request was routed (not 101-104), 'raw' for file bytes or 'http404' (Thumb of a
 * file that is no image), or an object of these by profile. Run in this order.
 */
const SERVED_BY = {
  'SYNO.API.Encryption': ['getinfo'],
  'SYNO.DSM.Info': ['getinfo'],
  'SYNO.FileStation.Info': ['get'],
  'SYNO.FileStation.List': ['list_share'],
  'SYNO.FileStation.Search': ['start', { folder_path: '/home' }],
  'SYNO.FileStation.DirSize': ['start', { path: '/home' }],
  'SYNO.FileStation.MD5': ['start', { file_path: '/home/README.txt' }],
  // A GET has no Content-Length: DSM 6 answers 1800; DSM 7.2 takes chunked uploads and finds no file part.
  'SYNO.FileStation.Upload': ['upload', {}, { dsm7: 1802, dsm6: 1800 }],
  'SYNO.FileStation.Download': ['download', { path: '/home/README.txt' }, 'raw'],
  'SYNO.FileStation.Sharing': ['list'],
  'SYNO.FileStation.CreateFolder': ['create', { folder_path: '/home', name: 'made' }],
  'SYNO.FileStation.Rename': ['rename', { path: '/home/made', name: 'renamed' }],
  'SYNO.FileStation.CopyMove': [
    'start',
    { path: '/home/README.txt', dest_folder_path: '/video', overwrite: 'true' },
  ],
  'SYNO.FileStation.Delete': ['delete', { path: '/home/renamed' }],
  'SYNO.FileStation.Extract': ['list', { file_path: '/home/README.txt' }, 1401],
  'SYNO.FileStation.Compress': ['start', { path: '/home/README.txt', dest_file_path: '/home/readme.zip' }],
  'SYNO.FileStation.BackgroundTask': ['list'],
  'SYNO.FileStation.Favorite': ['list'],
  'SYNO.FileStation.VirtualFolder': ['list', { type: 'cifs' }],
  'SYNO.FileStation.CheckPermission': ['write', { path: '/home', filename: 'new.txt' }],
  'SYNO.FileStation.Thumb': ['get', { path: '/home/README.txt' }, 'http404'],
  'SYNO.DownloadStation.Info': ['getinfo'],
  'SYNO.DownloadStation.Statistic': ['getinfo'],
  'SYNO.DownloadStation.Task': ['list'],
  'SYNO.DownloadStation2.Settings.Location': ['get'],
  'SYNO.DownloadStation2.Task': ['list'],
  'SYNO.DownloadStation2.Task.List': ['get', { list_id: '"btdl0"' }, 120],
  'SYNO.DownloadStation2.Task.List.Polling': ['download_status', { task_id: '"x"' }, 120],
  'SYNO.DownloadStation2.Task.Statistic': ['get'],
  'SYNO.CloudSync': ['list_conn'],
  'SYNO.Storage.CGI.Storage': ['load_info'],
  // Max version 3 has info only (shutdown and reboot end at v2).
  'SYNO.Core.System': ['info'],
  'SYNO.Core.System.Utilization': ['get'],
  'SYNO.Core.System.Status': ['get'],
  'SYNO.Core.Upgrade.Server': ['check'],
};

/** APIs that only one profile has (the DSM 6.2.2 capture has no UIConfig and no Hyper Backup). */
const SERVED_BY_PROFILE = {
  dsm7: { 'SYNO.API.Auth.UIConfig': ['get'], 'SYNO.Backup.Task': ['list'] },
  dsm6: {},
};

const PROFILES = [
  {
    profile: 'dsm7',
    infoPaths: ['entry.cgi', 'query.cgi'],
    notInfoPaths: [],
    authPath: 'entry.cgi',
    authMax: 7,
    versionString: 'DSM 7.2.2-72806 Update 3',
  },
  {
    profile: 'dsm6',
    infoPaths: ['query.cgi'],
    notInfoPaths: ['entry.cgi'],
    authPath: 'auth.cgi',
    authMax: 6,
    versionString: 'DSM 6.2.2-24922 Update 6',
  },
];

for (const expected of PROFILES) {
  describe(`DSM simulator profile ${expected.profile}`, function () {
    let sim;
    let advertised;

    before(async function () {
      sim = await startSimulator({ profile: expected.profile });
      const [infoPath] = expected.infoPaths;
      advertised = (
        await call(sim, infoPath, { api: 'SYNO.API.Info', version: '1', method: 'query', query: 'all' })
      ).body.data;
    });

    after(async function () {
      await sim.close();
    });

    it('reports its profile', function () {
      assert.equal(sim.profile, expected.profile);
    });

    it('advertises every implemented API exactly as the real DSM capture does', function () {
      const capture = CAPTURES[expected.profile];
      const names = Object.keys(advertised);
      const served = [...Object.keys(SERVED_BY), ...Object.keys(SERVED_BY_PROFILE[expected.profile])];
      for (const api of ['SYNO.API.Info', 'SYNO.API.Auth', ...served]) {
        assert.ok(names.includes(api), `${api} is advertised`);
      }
      for (const api of names) {
        assert.ok(capture[api], `${api} exists in the capture`);
        assert.deepEqual(advertised[api], capture[api], api);
      }
    });

    it('answers SYNO.API.Info only where the profile serves it', async function () {
      for (const cgi of expected.infoPaths) {
        const { body } = await call(sim, cgi, {
          api: 'SYNO.API.Info',
          version: '1',
          method: 'query',
          query: 'all',
        });
        assert.deepEqual(body.data, advertised, cgi);
      }
      for (const cgi of expected.notInfoPaths) {
        const { body } = await call(sim, cgi, {
          api: 'SYNO.API.Info',
          version: '1',
          method: 'query',
          query: 'all',
        });
        assert.deepEqual(body, { success: false, error: { code: 102 } }, cgi);
      }
    });

    it('serves every advertised API at its advertised path and max version', async function () {
      const login = await call(sim, expected.authPath, {
        api: 'SYNO.API.Auth',
        version: String(expected.authMax),
        method: 'login',
        account: 'demo',
        passwd: 'synology',
        format: 'sid',
      });
      assert.equal(login.body.success, true);
      const sid = login.body.data.sid;
      const served = { ...SERVED_BY, ...SERVED_BY_PROFILE[expected.profile] };
      for (const [api, [method, params = {}, answer = 'success']] of Object.entries(served)) {
        const wanted = typeof answer === 'object' ? answer[expected.profile] : answer;
        const entry = advertised[api];
        const url = new URL(`/webapi/${entry.path}`, sim.url);
        url.search = new URLSearchParams({
          api,
          version: String(entry.maxVersion),
          method,
          _sid: sid,
          ...params,
        }).toString();
        const response = await fetch(url);
        const text = await response.text();
        if (wanted === 'raw') {
          assert.match(text, /^Shared folder "home"/, api);
          continue;
        }
        if (wanted === 'http404') {
          assert.equal(response.status, 404, api);
          continue;
        }
        const body = JSON.parse(text);
        if (wanted === 'success') assert.equal(body.success, true, `${api} ${JSON.stringify(body)}`);
        else assert.equal(body.error.code, wanted, `${api} ${JSON.stringify(body)}`);
      }
    });

    it('refuses Auth beyond its max version (104)', async function () {
      const { body } = await call(sim, expected.authPath, {
        api: 'SYNO.API.Auth',
        version: String(expected.authMax + 1),
        method: 'login',
        account: 'demo',
        passwd: 'synology',
      });
      assert.equal(body.error.code, 104);
    });

    it('answers SYNO.DSM.Info getinfo with the captured keys and its own version string', async function () {
      const login = await call(sim, expected.authPath, {
        api: 'SYNO.API.Auth',
        version: '6',
        method: 'login',
        account: 'demo',
        passwd: 'synology',
        format: 'sid',
      });
      const { body } = await call(sim, 'entry.cgi', {
        api: 'SYNO.DSM.Info',
        version: '2',
        method: 'getinfo',
        _sid: login.body.data.sid,
      });
      assert.deepEqual(Object.keys(body.data).sort(), Object.keys(DSM_INFO_CAPTURE).sort());
      assert.equal(body.data.version_string, expected.versionString);
    });
  });
}

describe('DSM simulator profile differences', function () {
  it('dsm6 has no Auth at entry.cgi and answers the v6 login shape with did', async function () {
    const sim = await startSimulator({ profile: 'dsm6' });
    try {
      const atEntry = await call(sim, 'entry.cgi', { api: 'SYNO.API.Auth', version: '6', method: 'login' });
      assert.equal(atEntry.body.error.code, 102);
      const code = sim.control.totpCode('otp-user');
      const { body } = await call(sim, 'auth.cgi', {
        api: 'SYNO.API.Auth',
        version: '6',
        method: 'login',
        account: 'otp-user',
        passwd: 'otp-pass',
        otp_code: code,
        enable_device_token: 'yes',
        device_name: 'test',
        format: 'sid',
      });
      assert.deepEqual(Object.keys(body.data).sort(), ['did', 'is_portal_port', 'sid', 'synotoken']);
      assert.equal(body.data.synotoken, '--------');
      const v3 = await call(sim, 'auth.cgi', {
        api: 'SYNO.API.Auth',
        version: '3',
        method: 'login',
        account: 'demo',
        passwd: 'synology',
      });
      assert.deepEqual(Object.keys(v3.body.data).sort(), ['is_portal_port', 'sid']);
    } finally {
      await sim.close();
    }
  });

  it('dsm7 answers HTTP 404 only at paths DSM lacks; auth.cgi serves Auth only (102 for others)', async function () {
    const sim = await startSimulator();
    try {
      for (const cgi of ['nothing.cgi', 'NoSuchPackage/task.cgi', 'auth.cgi/extra']) {
        const { status } = await call(sim, cgi, { api: 'SYNO.API.Auth', version: '6', method: 'login' });
        assert.equal(status, 404, cgi);
      }
      const elsewhere = await call(sim, 'auth.cgi', {
        api: 'SYNO.DSM.Info',
        version: '2',
        method: 'getinfo',
      });
      assert.equal(elsewhere.body.error.code, 102);
    } finally {
      await sim.close();
    }
  });

  it('dsm6 answers support_virtual_protocol as a comma string, like the File Station guide', async function () {
    const sim = await startSimulator({ profile: 'dsm6' });
    try {
      const login = await call(sim, 'auth.cgi', {
        api: 'SYNO.API.Auth',
        version: '6',
        method: 'login',
        account: 'demo',
        passwd: 'synology',
        format: 'sid',
      });
      const { body } = await call(sim, 'entry.cgi', {
        api: 'SYNO.FileStation.Info',
        version: '2',
        method: 'get',
        _sid: login.body.data.sid,
      });
      assert.equal(body.data.support_virtual_protocol, 'cifs,nfs,iso');
    } finally {
      await sim.close();
    }
  });

  it('refuses an unknown profile', async function () {
    await assert.rejects(startSimulator({ profile: 'dsm5' }), RangeError);
  });
});
