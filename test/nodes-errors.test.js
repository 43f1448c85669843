'use strict';
const assert = require('node:assert/strict');
const { DsmClient, FileStation } = require('../dist');
const { helper, dsmNode, fileNodes, nodeFlow, nextMessage } = require('./support/node-red');
const { useSimulator, demo } = require('./support/sim');

const creds = { dsm: { username: demo.username, password: demo.password } };

/** The status calls a node made so far (the test helper spies on Node.prototype.status). */
function statusCalls(node) {
  return node.status
    .getCalls()
    .filter((call) => call.thisValue === node)
    .map((call) => call.args[0]);
}

describe('Errors that say what went wrong (nodes)', function () {
  const ref = useSimulator({ taskDurationMs: 50 });
  let client;
  let files;

  async function load(node) {
    await helper.load([dsmNode, ...fileNodes], nodeFlow(ref.sim, node), creds);
    return { n1: helper.getNode('n1'), out: helper.getNode('out'), caught: helper.getNode('caught') };
  }

  /** Sends one msg and returns what the Catch node got. */
  async function caughtFor(node, msg) {
    const { n1, caught } = await load(node);
    const next = nextMessage(caught);
    n1.receive(msg);
    return { msg: await next, n1 };
  }

  before(async () => {
    client = new DsmClient({ url: ref.sim.url, username: demo.username, password: demo.password });
    files = new FileStation(client);
    await files.upload('a', { folder: '/home/nerr', name: 'a.txt' });
    await files.upload('b', { folder: '/home/nerr/out', name: 'a.txt' });
  });
  after(() => client.close());
  afterEach(() => helper.unload());

  it('msg.error.message reads as the README shows: no "DsmError: " prefix, path, cause and hint', async function () {
    const { msg, n1 } = await caughtFor(
      {
        type: 'synology-file-op',
        operation: 'compress',
        destination: '/home/zips/a.zip',
        destinationType: 'str',
      },
      { payload: '/home/nerr/a.txt' },
    );
    assert.equal(
      msg.error.message,
      'SYNO.FileStation.Compress.status: Failed to compress files/folders (DSM error 1300): /home/zips does not exist (408). Create /home/zips first, e.g. with a file op node set to mkdir before this one.',
    );
    assert.equal(msg.error.code, 1300);
    assert.deepEqual(msg.error.cause.failures, [
      { path: '/home/zips', code: 408, problem: 'does not exist' },
    ]);
    const last = statusCalls(n1).at(-1);
    assert.deepEqual(last, { fill: 'red', shape: 'ring', text: '408: /home/zips does not exist' });
  });

  it('copy onto an existing file points at "If it exists"', async function () {
    const { msg } = await caughtFor(
      { type: 'synology-file-op', operation: 'copy', destination: '/home/nerr', destinationType: 'str' },
      { payload: '/home/nerr/out/a.txt' },
    );
    assert.equal(msg.error.code, 1003);
    assert.match(
      msg.error.message,
      /\/home\/nerr\/a\.txt already exists \(414\)\. Set "If it exists" to overwrite or skip\.$/,
    );
  });

  it('delete of a missing path names it (900), and a missing source names the "DSM path(s)" field', async function () {
    const { msg } = await caughtFor(
      { type: 'synology-file-op', operation: 'delete', dryRun: false },
      { payload: '/home/nerr/gone.txt' },
    );
    assert.equal(msg.error.code, 900);
    assert.match(
      msg.error.message,
      /\(DSM error 900\): \/home\/nerr\/gone\.txt does not exist \(408\)\. Check "DSM path\(s\)"/,
    );
  });

  it('mkdir without "create missing parent folders" says to tick it', async function () {
    const { msg } = await caughtFor(
      { type: 'synology-file-op', operation: 'mkdir', createParents: false },
      { payload: '/home/nerr/x/y' },
    );
    assert.equal(msg.error.code, 1100);
    assert.match(
      msg.error.message,
      /\/home\/nerr\/x does not exist \(408\)\. Tick "create missing parent folders", or create \/home\/nerr\/x first\.$/,
    );
  });

  it('upload: 1805 points at "If it exists"; a missing folder at "create missing folders"', async function () {
    const exists = await caughtFor(
      {
        type: 'synology-file-upload',
        folder: '/home/nerr',
        folderType: 'str',
        filename: 'a.txt',
        filenameType: 'str',
      },
      { payload: 'x' },
    );
    assert.equal(exists.msg.error.code, 1805);
    assert.match(
      exists.msg.error.message,
      /\/home\/nerr\/a\.txt already exists .*\. Set "If it exists" to overwrite or skip\.$/,
    );
    await helper.unload();
    const folder = await caughtFor(
      {
        type: 'synology-file-upload',
        folder: '/home/nerr/new',
        folderType: 'str',
        filename: 'a.txt',
        filenameType: 'str',
        createParents: false,
      },
      { payload: 'x' },
    );
    assert.equal(folder.msg.error.code, 408);
    assert.match(
      folder.msg.error.message,
      /Tick "create missing folders", or create \/home\/nerr\/new first\.$/,
    );
  });

  it('file list on a file says it is a file, not a folder, naming the "Folder" setting', async function () {
    const { msg } = await caughtFor(
      { type: 'synology-file-list', mode: 'list', path: '/home/nerr/a.txt', pathType: 'str' },
      { payload: '' },
    );
    assert.equal(
      msg.error.message,
      'SYNO.FileStation.List.list: /home/nerr/a.txt is a file, not a folder (DSM error 408). Set "Folder" to the folder that holds it; a file op node set to info reads one file.',
    );
  });

  it('info on a missing path reports exists: false with a yellow status, not a green "ok"', async function () {
    const { n1, out } = await load({ type: 'synology-file-op', operation: 'info' });
    const next = nextMessage(out);
    n1.receive({ payload: ['/home/nerr/a.txt', '/home/nerr/gone.txt'] });
    const msg = await next;
    assert.deepEqual(
      msg.payload.map((e) => [e.path, e.exists]),
      [
        ['/home/nerr/a.txt', true],
        ['/home/nerr/gone.txt', false],
      ],
    );
    assert.equal(msg.payload[1].code, 408);
    assert.deepEqual(statusCalls(n1).at(-1), { fill: 'yellow', shape: 'dot', text: 'info: 1 of 2 missing' });
  });

  it('info with "If missing" set to fail sends it to Catch naming the path', async function () {
    const { msg } = await caughtFor(
      { type: 'synology-file-op', operation: 'info', ifMissing: 'error' },
      { payload: ['/home/nerr/a.txt', '/home/nerr/gone.txt'] },
    );
    assert.equal(msg.error.code, 408);
    assert.equal(
      msg.error.message,
      'SYNO.FileStation.List.getinfo: 1 of 2 path(s) not found (DSM error 408): /home/nerr/gone.txt does not exist (408). Set "If missing" to report, to get entries with exists: false instead.',
    );
  });

  it('a fresh node shows the connection state before its first msg: grey "not connected yet"', async function () {
    const { n1 } = await load({ type: 'synology-file-op', operation: 'info' });
    assert.deepEqual(statusCalls(n1), [{ fill: 'grey', shape: 'ring', text: 'not connected yet' }]);
  });
});
