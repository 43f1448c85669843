'use strict';
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { DsmClient, CloudSync } = require('../dist');
const { helper, dsmNode, cloudSyncNode, nodeFlow, nextMessage } = require('./support/node-red');
const { useSimulator, demo } = require('./support/sim');

const creds = { dsm: { username: demo.username, password: demo.password } };

describe('synology-cloudsync node', function () {
  const ref = useSimulator({});
  let client;
  let cs;
  const ONEDRIVE = 2;
  const calls = (method) => ref.sim.control.counters().methods[`SYNO.CloudSync.${method}`] ?? 0;
  const states = async () => Object.fromEntries((await cs.connections()).map((c) => [c.name, c.state]));

  const cloudNode = (extra = {}) => ({
    type: 'synology-cloudsync',
    operation: 'list',
    connection: '',
    connectionType: 'str',
    level: 'all',
    levelType: 'str',
    keyword: '',
    keywordType: 'str',
    since: '',
    sinceType: 'str',
    limit: '',
    limitType: 'str',
    ...extra,
  });

  async function load(node) {
    await helper.load([dsmNode, cloudSyncNode], nodeFlow(ref.sim, node), creds);
    return { n1: helper.getNode('n1'), out: helper.getNode('out'), caught: helper.getNode('caught') };
  }

  async function run(node, msg = {}) {
    const { n1, out } = await load(node);
    const got = nextMessage(out);
    n1.receive(msg);
    return got;
  }

  before(async () => {
    fs.mkdirSync(path.join(ref.sim.dataDir, 'photo', 'phone'), { recursive: true });
    ref.sim.control.addCloudSyncConnection({
      localPath: '/photo/phone',
      type: 'od_v1',
      taskName: 'Phone photos',
    });
    client = new DsmClient({ url: ref.sim.url, username: demo.username, password: demo.password });
    cs = new CloudSync(client);
  });
  after(() => client.close());
  beforeEach(() => {
    ref.sim.control.resetCounters();
    ref.sim.control.clearRequestLog();
  });
  afterEach(async () => {
    await helper.unload();
    await cs.resume('all');
    for (const c of await cs.connections()) ref.sim.control.recoverCloudSyncConnection(c.id);
    ref.sim.control.advanceClock(6_000);
  });

  it('lists connections with their state into msg.payload, keeping the msg', async function () {
    const msg = await run(cloudNode(), { topic: 'keep me' });
    assert.equal(msg.topic, 'keep me');
    assert.deepEqual(
      msg.payload.map((c) => [c.id, c.name, c.type, c.state]),
      [
        [1, 'Dropbox', 'db', 'ok'],
        [ONEDRIVE, 'Phone photos', 'od_v1', 'ok'],
      ],
    );
    assert.equal(msg.payload[0].raw.status, 'uptodate');
  });

  it('lists the tasks of a connection named in the node', async function () {
    const msg = await run(cloudNode({ operation: 'tasks', connection: 'Phone photos' }));
    assert.deepEqual(
      msg.payload.map((t) => [t.connectionId, t.localPath, t.direction]),
      [[ONEDRIVE, '/photo/phone', 'both']],
    );
  });

  it('reads logs by level, keyword and since (from the msg), with a text limit', async function () {
    fs.writeFileSync(path.join(ref.sim.dataDir, 'photo', 'phone', 'beach.jpg'), 'x');
    ref.sim.control.advanceClock(66_000);
    ref.sim.control.failCloudSyncConnection(ONEDRIVE);
    fs.writeFileSync(path.join(ref.sim.dataDir, 'photo', 'phone', 'sunset.jpg'), 'y');
    ref.sim.control.advanceClock(66_000);
    const node = cloudNode({
      operation: 'logs',
      connection: 'connection',
      connectionType: 'msg',
      level: 'level',
      levelType: 'msg',
      keyword: 'keyword',
      keywordType: 'msg',
      since: 'since',
      sinceType: 'msg',
      limit: '1',
    });
    const since = new Date(ref.sim.control.now() - 600_000).toISOString();
    const errors = await run(node, { connection: ONEDRIVE, level: 'error', keyword: 'sunset', since });
    assert.equal(errors.payload.entries.length, 1);
    assert.ok(errors.payload.total >= 1);
    const [entry] = errors.payload.entries;
    assert.deepEqual([entry.fileName, entry.level, entry.action], ['sunset.jpg', 'error', 'upload']);
    const [request] = ref.sim.control.requestLog().filter((r) => r.method === 'get_log');
    assert.equal(request.params.limit, '1');
    assert.equal(request.params.date_from, String(Math.floor(Date.parse(since) / 1000)));
    await helper.unload();
    const info = await run(node, { connection: 'Phone photos', level: 'info', keyword: 'beach' });
    assert.deepEqual(
      info.payload.entries.map((e) => [e.fileName, e.level]),
      [['beach.jpg', 'info']],
    );
  });

  it('pauses and resumes one connection by name or by id from msg.payload', async function () {
    const paused = await run(cloudNode({ operation: 'pause', connection: 'Phone photos' }));
    assert.deepEqual(paused.payload, {
      action: 'pause',
      all: false,
      connections: [{ id: ONEDRIVE, name: 'Phone photos' }],
    });
    assert.deepEqual(await states(), { Dropbox: 'ok', 'Phone photos': 'paused' });
    await helper.unload();
    const resumed = await run(
      cloudNode({ operation: 'resume', connection: 'payload', connectionType: 'msg' }),
      {
        payload: ONEDRIVE,
      },
    );
    assert.deepEqual(
      resumed.payload.connections.map((c) => c.id),
      [ONEDRIVE],
    );
    assert.notEqual((await states())['Phone photos'], 'paused');
  });

  it('pauses several connections from a JSON list, and all with "all" in one call', async function () {
    const several = await run(
      cloudNode({ operation: 'pause', connection: '[1, "Phone photos"]', connectionType: 'json' }),
    );
    assert.deepEqual(
      several.payload.connections.map((c) => c.id),
      [1, ONEDRIVE],
    );
    assert.equal(calls('pause'), 2);
    await helper.unload();
    await cs.resume('all');
    ref.sim.control.resetCounters();
    ref.sim.control.clearRequestLog();
    const all = await run(cloudNode({ operation: 'pause', connection: 'all' }));
    assert.equal(all.payload.all, true);
    assert.equal(calls('pause'), 1);
    const [request] = ref.sim.control.requestLog().filter((r) => r.method === 'pause');
    assert.equal(request.params.connection_id, undefined);
    assert.deepEqual(await states(), { Dropbox: 'paused', 'Phone photos': 'paused' });
    await helper.unload();
    const resumed = await run(cloudNode({ operation: 'msg', connection: 'all' }), { operation: 'resume' });
    assert.equal(resumed.payload.all, true);
    assert.deepEqual(await states(), { Dropbox: 'syncing', 'Phone photos': 'syncing' });
  });

  it('refuses bad input through Catch naming the field, and pauses nothing', async function () {
    const { n1, caught } = await load(
      cloudNode({
        operation: 'msg',
        connection: 'payload',
        connectionType: 'msg',
        level: 'level',
        levelType: 'msg',
        since: 'since',
        sinceType: 'msg',
      }),
    );
    const cases = [
      [{ operation: 'pause', payload: 99 }, /connection: no Cloud Sync connection with id 99/],
      [
        { operation: 'resume', payload: 'Google Drive' },
        /connection: no Cloud Sync connection named "Google Drive"/,
      ],
      [
        { operation: 'pause', payload: [1, 'nope'] },
        /connection\[1\]: no Cloud Sync connection named "nope"/,
      ],
      [{ operation: 'pause', payload: '' }, /connection: is empty/],
      [{ operation: 'pause' }, /connection: is empty/],
      [{ operation: 'pause', payload: { name: 'Dropbox' } }, /connection: an object is not a connection/],
      [{ operation: 'tasks', payload: 'all' }, /connection: "all" is for pause and resume/],
      [{ operation: 'logs', payload: [1, 2] }, /connection: must name one connection/],
      [
        { operation: 'logs', payload: 1, level: 'fatal' },
        /level: "fatal" is not one of all, info, warning, error/,
      ],
      [{ operation: 'logs', payload: 1, since: 'last week' }, /since: "last week" is not a time/],
      [{ operation: 'teleport' }, /operation: "teleport" is not one of list, tasks, logs, pause, resume/],
    ];
    for (const [msg, message] of cases) {
      const got = nextMessage(caught);
      n1.receive(msg);
      const { error } = await got;
      assert.match(error.message, message, `${JSON.stringify(msg)}: ${error.message}`);
    }
    assert.equal(calls('pause'), 0);
    assert.equal(calls('resume'), 0);
    assert.equal(calls('get_log'), 0);
    assert.deepEqual(await states(), { Dropbox: 'ok', 'Phone photos': 'ok' });
  });

  it('says "Cloud Sync is not installed" when the package is missing', async function () {
    ref.sim.control.setCloudSyncInstalled(false);
    try {
      const { n1, caught } = await load(cloudNode({ operation: 'pause', connection: 'all' }));
      const got = nextMessage(caught);
      n1.receive({});
      const { error } = await got;
      assert.equal(error.code, 102);
      assert.match(error.message, /Cloud Sync is not installed or is stopped/);
    } finally {
      ref.sim.control.setCloudSyncInstalled(true);
    }
  });
});
