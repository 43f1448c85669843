'use strict';
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const sinon = require('sinon');
const { helper, dsmNode, apiNode, apiFlow, configNode } = require('./support/node-red');
const { useSimulator, demo } = require('./support/sim');

const creds = { dsm: { username: demo.username, password: demo.password } };
const get = (path) => helper.request().get(path);

describe('synology-dsm editor lookups (browse, APIs, destinations, connections)', function () {
  const ref = useSimulator();
  beforeEach(() => ref.sim.control.resetCounters());
  afterEach(async () => {
    sinon.restore();
    await helper.unload();
  });

  const deploy = (config = {}) => helper.load([dsmNode, apiNode], apiFlow(ref.sim, { config }), creds);

  it('browse / lists the shared folders, names and paths only', async function () {
    await deploy();
    const res = await get('/synology-dsm/dsm/browse?path=/').expect(200);
    assert.equal(res.body.path, '/');
    assert.equal(res.body.parent, undefined);
    const names = res.body.entries.map((e) => e.name);
    for (const share of ['home', 'photo', 'video', 'downloads'])
      assert.ok(names.includes(share), names.join());
    assert.deepEqual(
      res.body.entries.find((e) => e.name === 'home'),
      { name: 'home', path: '/home', isdir: true },
    );
    assert.equal(res.body.truncated, false);
  });

  it('browse lists the folders of a folder, and its files only when asked', async function () {
    await deploy();
    fs.mkdirSync(path.join(ref.sim.dataDir, 'home', 'camera'), { recursive: true });
    const folders = await get('/synology-dsm/dsm/browse?path=%2Fhome').expect(200);
    assert.deepEqual(folders.body, {
      path: '/home',
      parent: '/',
      entries: [{ name: 'camera', path: '/home/camera', isdir: true }],
      truncated: false,
    });
    const all = await get('/synology-dsm/dsm/browse?path=/home/&files=true').expect(200);
    assert.deepEqual(
      all.body.entries.map((e) => [e.name, e.isdir]),
      [
        ['camera', true],
        ['README.txt', false],
      ],
    );
    const deeper = await get('/synology-dsm/dsm/browse?path=/home/camera').expect(200);
    assert.equal(deeper.body.parent, '/home');
    assert.deepEqual(deeper.body.entries, []);
  });

  it('browse names a bad path (400) and a missing folder (502 with DSM code 408), as JSON', async function () {
    await deploy();
    const bad = await get('/synology-dsm/dsm/browse?path=home/../etc').expect(400);
    assert.match(bad.body.message, /^path: /);
    assert.equal(bad.body.kind, 'input');
    const twice = await get('/synology-dsm/dsm/browse?path=/home&path=/photo').expect(400);
    assert.match(twice.body.message, /^path: must be one folder path/);
    const missing = await get('/synology-dsm/dsm/browse?path=/home/nothing-here').expect(502);
    assert.equal(missing.body.code, 408);
    assert.match(missing.body.message, /408/);
  });

  it('answers 404 with a message for an id that is not a deployed synology-dsm node', async function () {
    await deploy();
    for (const id of ['not-deployed', 'api']) {
      const res = await get(`/synology-dsm/${id}/browse?path=/`).expect(404);
      assert.equal(res.body.code, 'ENOTDEPLOYED');
      assert.match(res.body.message, /^server: .*not deployed/);
    }
    assert.equal(ref.sim.control.counters().loginAttempts, 0);
  });

  it('answers 400 naming the setting when the deployed settings are unusable', async function () {
    await deploy({ port: 'abc' });
    const res = await get('/synology-dsm/dsm/apis').expect(400);
    assert.equal(res.body.code, 'ECONFIG');
    assert.match(res.body.message, /^server: port:/);
  });

  it('apis lists API.Info names and versions with the documented methods', async function () {
    await deploy();
    const res = await get('/synology-dsm/dsm/apis').expect(200);
    const byName = Object.fromEntries(res.body.apis.map((a) => [a.name, a]));
    assert.deepEqual(byName['SYNO.FileStation.List'].methods, ['list_share', 'list', 'getinfo']);
    assert.equal(typeof byName['SYNO.FileStation.List'].maxVersion, 'number');
    assert.ok(byName['SYNO.DownloadStation2.Task'].methods.includes('create'));
    assert.ok(byName['SYNO.CloudSync'].methods.includes('list_conn'));
    const names = res.body.apis.map((a) => a.name);
    assert.deepEqual(names, [...names].sort());
    // An API the documents do not cover still comes, without methods: the editor keeps free text.
    assert.ok(res.body.apis.some((a) => a.methods.length === 0));
  });

  it('download-destinations gives the default destination and the shared folders, share-relative', async function () {
    await deploy();
    const res = await get('/synology-dsm/dsm/download-destinations').expect(200);
    assert.equal(res.body.defaultDestination, 'downloads');
    assert.ok(res.body.destinations.includes('home'));
    assert.ok(res.body.destinations.every((d) => !d.startsWith('/')));
    assert.equal(res.body.note, undefined);
  });

  it('download-destinations without Download Station lists the shared folders and says why there is no default', async function () {
    await deploy();
    ref.sim.control.setDownloadStationInstalled(false);
    try {
      const res = await get('/synology-dsm/dsm/download-destinations').expect(200);
      assert.equal(res.body.defaultDestination, null);
      assert.ok(res.body.destinations.includes('downloads'));
      assert.match(res.body.note, /Download Station/i);
    } finally {
      ref.sim.control.setDownloadStationInstalled(true);
    }
  });

  it('cloudsync-connections lists the connections by id and name', async function () {
    await deploy();
    const res = await get('/synology-dsm/dsm/cloudsync-connections').expect(200);
    assert.equal(res.body.connections.length, 1);
    const [connection] = res.body.connections;
    assert.deepEqual(Object.keys(connection).sort(), ['displayName', 'id', 'name', 'state']);
    assert.equal(typeof connection.id, 'number');
  });

  it('cloudsync-connections reports a NAS without Cloud Sync as a 502 with a message', async function () {
    await deploy();
    ref.sim.control.setCloudSyncInstalled(false);
    try {
      const res = await get('/synology-dsm/dsm/cloudsync-connections').expect(502);
      assert.match(res.body.message, /Cloud Sync/);
    } finally {
      ref.sim.control.setCloudSyncInstalled(true);
    }
  });

  it("uses the deployed node's own session: one login for many lookups, and no secret in any answer", async function () {
    await deploy();
    const bodies = [];
    for (const lookup of ['browse?path=/', 'browse?path=/home&files=true', 'apis', 'download-destinations']) {
      bodies.push(JSON.stringify((await get(`/synology-dsm/dsm/${lookup}`).expect(200)).body));
    }
    bodies.push(JSON.stringify((await get('/synology-dsm/dsm/browse?path=/nope').expect(502)).body));
    assert.equal(ref.sim.control.counters().loginSuccesses, 1);
    const secrets = [demo.password, ...ref.sim.control.issuedSecrets()];
    assert.ok(secrets.length > 1);
    for (const body of bodies) for (const secret of secrets) assert.ok(!body.includes(secret), body);
    const sessions = ref.sim.control.sessions().map((s) => s.sessionName);
    assert.deepEqual(sessions, ['NodeRED_dsm']);
  });

  it('asks for synology-dsm.read on every lookup (permission wiring)', async function () {
    // Node-RED's adminAuth is stubbed by the test helper; put a checking one in its place.
    const createNodeApi = helper._registryUtil.createNodeApi;
    const asked = new Set();
    sinon.stub(helper._registryUtil, 'createNodeApi').callsFake(function (...args) {
      const red = createNodeApi.apply(this, args);
      red.auth = {
        needsPermission: (permission) => {
          asked.add(permission);
          return (req, res, next) =>
            (req.get('x-permissions') || '').split(',').includes(permission)
              ? next()
              : res.status(401).json({ message: 'unauthorized' });
        },
      };
      return red;
    });
    await helper.load([dsmNode], [configNode(ref.sim)], creds);
    assert.ok(asked.has('synology-dsm.read'));
    for (const lookup of ['browse?path=/', 'apis', 'download-destinations', 'cloudsync-connections']) {
      await get(`/synology-dsm/dsm/${lookup}`).expect(401);
      await get(`/synology-dsm/dsm/${lookup}`).set('x-permissions', 'synology-dsm.write').expect(401);
      await get(`/synology-dsm/dsm/${lookup}`).set('x-permissions', 'synology-dsm.read').expect(200);
    }
    // Test connection and Trust this device stay behind write.
    await helper
      .request()
      .post('/synology-dsm/test')
      .set('x-permissions', 'synology-dsm.read')
      .send({})
      .expect(401);
  });
});
