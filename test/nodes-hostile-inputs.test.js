'use strict';
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { PassThrough, Readable } = require('node:stream');
const { DsmClient, FileStation } = require('../dist');
const { helper, dsmNode, apiNode, fileNodes, nodeFlow, nextMessage } = require('./support/node-red');
const { useSimulator, demo } = require('./support/sim');

const creds = { dsm: { username: demo.username, password: demo.password } };
const ZIP_PASSWORD = 'Zip-Pw-5e81-c2d7';

describe('nodes: hostile msg values are refused naming the field, and nothing on the NAS changes', function () {
  const ref = useSimulator({ taskDurationMs: 200 });
  let client;
  let files;
  let tmp;

  /** Every file and folder on the simulated NAS with its size: what "nothing changed" compares. */
  function nasTree() {
    return fs
      .readdirSync(ref.sim.dataDir, { recursive: true })
      .sort()
      .map((p) => `${p}:${fs.statSync(path.join(ref.sim.dataDir, p)).size}`);
  }

  async function load(node) {
    await helper.load([dsmNode, apiNode, ...fileNodes], nodeFlow(ref.sim, node), creds);
    return {
      n1: helper.getNode('n1'),
      out: helper.getNode('out'),
      progress: helper.getNode('progress'),
      caught: helper.getNode('caught'),
    };
  }

  /** Sends `input` to the node and resolves with the msg Catch got; a msg on output 1 fails the test. */
  async function refusal(node, input) {
    const { n1, out, caught } = await load(node);
    const failed = Promise.race([
      nextMessage(caught),
      nextMessage(out).then((m) => {
        throw new Error(`the node sent ${JSON.stringify(m.payload)} instead of refusing`);
      }),
    ]);
    n1.receive(input);
    const msg = await failed;
    await helper.unload();
    return msg;
  }

  before(async () => {
    client = new DsmClient({ url: ref.sim.url, username: demo.username, password: demo.password });
    files = new FileStation(client);
    await files.upload('a', { folder: '/home/hostile', name: 'a.txt' });
    await files.createFolder('/home/hostile/dir');
  });
  after(() => client.close());
  beforeEach(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'synoflow-hostile-'));
  });
  afterEach(async () => {
    await helper.unload();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  const upload = (extra) => ({
    type: 'synology-file-upload',
    folder: '/home/hostile/up',
    folderType: 'str',
    filename: 'filename',
    filenameType: 'msg',
    ...extra,
  });
  const op = (operation, extra) => ({ type: 'synology-file-op', operation, ...extra });
  const list = (extra) => ({
    type: 'synology-file-list',
    mode: 'list',
    path: '/home/hostile',
    pathType: 'str',
    ...extra,
  });
  const download = (extra) => ({
    type: 'synology-file-download',
    path: 'payload',
    pathType: 'msg',
    ...extra,
  });
  const api = (extra) => ({
    type: 'synology-api',
    api: 'SYNO.FileStation.List',
    apiType: 'str',
    method: 'list',
    methodType: 'str',
    version: 'auto',
    versionType: 'str',
    params: '{"folder_path": "/home/hostile"}',
    paramsType: 'json',
    ...extra,
  });
  const stream = (text) => Readable.from([Buffer.from(text)]);

  // [what, node, msg (a function when it must be fresh per run), the reason Catch must get]
  const cases = () => [
    [
      'an object as msg.filename',
      upload(),
      { payload: 'x', filename: { a: 1 } },
      /^filename: must be a string/,
    ],
    [
      'an array as msg.filename',
      upload(),
      { payload: 'x', filename: ['a', 'b'] },
      /^filename: must be a string/,
    ],
    [
      'an object filling a mustache file name',
      upload({ filename: '{{meta}}.txt', filenameType: 'str' }),
      { payload: 'x', meta: { camera: 1 } },
      /^filename: .*\{\{meta\}\} is an object/,
    ],
    [
      'an object filling a mustache folder',
      upload({ folder: '/home/hostile/{{sub}}', filename: 'f.txt', filenameType: 'str' }),
      { payload: 'x', sub: {} },
      /^folder: .*\{\{sub\}\} is an object/,
    ],
    [
      'a list as folder from the msg',
      upload({ folder: 'folder', folderType: 'msg' }),
      { payload: 'x', filename: 'f.txt', folder: ['/home/hostile/up'] },
      /^folder: must be a string, not an array/,
    ],
    ['a NUL in the file name', upload(), { payload: 'x', filename: 'a\0b' }, /^filename: /],
    [
      'an object as local file',
      upload({ source: 'file', localFile: 'localFile', localFileType: 'msg' }),
      { localFile: { path: '/etc/hostname' } },
      /^localFile: must be a string/,
    ],
    [
      'a folder as local file',
      upload({
        source: 'file',
        localFile: 'localFile',
        localFileType: 'msg',
        filename: '',
        filenameType: 'str',
      }),
      () => ({ localFile: tmp }),
      /^localFile: .* is not a file/,
    ],
    [
      'a list as msg.size of a stream',
      upload(),
      () => ({ payload: stream('abc'), size: [3], filename: 's.bin' }),
      /^msg\.size: /,
    ],
    [
      'true as msg.size of a stream',
      upload(),
      () => ({ payload: stream('a'), size: true, filename: 's.bin' }),
      /^msg\.size: /,
    ],
    [
      'an object as msg.newName',
      op('rename', { newName: 'newName', newNameType: 'msg' }),
      { payload: '/home/hostile/a.txt', newName: { name: 'b.txt' } },
      /^newName: must be a string/,
    ],
    [
      'a slash in the new name',
      op('rename', { newName: 'x/y.txt', newNameType: 'str' }),
      { payload: '/home/hostile/a.txt' },
      /^newName: "x\/y.txt" is not a file name/,
    ],
    [
      'a list as copy destination',
      op('copy', { destination: 'destination', destinationType: 'msg' }),
      { payload: '/home/hostile/a.txt', destination: ['/home/hostile/dir'] },
      /^destination: must be a string, not an array/,
    ],
    [
      'an object filling a mustache destination',
      op('compress', { destination: '/home/hostile/{{name}}.zip', destinationType: 'str' }),
      { payload: '/home/hostile/a.txt', name: { x: 1 } },
      /^destination: /,
    ],
    [
      'an object as share expiry',
      op('share', { expires: 'expires', expiresType: 'msg' }),
      { payload: '/home/hostile/a.txt', expires: { days: 3 } },
      /^expires: must be a date/,
    ],
    [
      'a list as msg.operation',
      op('msg'),
      { payload: '/home/hostile/a.txt', operation: ['delete'] },
      /^operation:/,
    ],
    [
      'a number as msg.password',
      op('compress', { destination: '/home/hostile/p.zip', destinationType: 'str' }),
      { payload: '/home/hostile/a.txt', password: 1234 },
      /^msg\.password: must be a string/,
    ],
    [
      'a number inside a delete list',
      op('delete', { dryRun: false }),
      { payload: ['/home/hostile/a.txt', 5] },
      /^path\[1\]: /,
    ],
    [
      'a number as list pattern',
      list({ pattern: 'pattern', patternType: 'msg' }),
      { pattern: 5 },
      /^pattern: must be a string or a list of strings/,
    ],
    [
      'an entry object as list folder',
      list({ path: 'payload', pathType: 'msg' }),
      { payload: { path: '/home', isdir: true } },
      /^path: must be a string/,
    ],
    ['true as age in days', list({ olderThan: 'age', olderThanType: 'msg' }), { age: true }, /^olderThan: /],
    [
      'a list as size filter',
      list({ largerThan: 'min', largerThanType: 'msg' }),
      { min: ['10MB'] },
      /^largerThan: /,
    ],
    ['an empty list as limit', list({ limit: 'limit', limitType: 'msg' }), { limit: [] }, /^limit: /],
    [
      'an object as local download path',
      download({ target: 'file', localPath: 'to', localPathType: 'msg' }),
      { payload: '/home/hostile/a.txt', to: { dir: '/tmp' } },
      /^localPath: must be a string/,
    ],
    [
      'a size limit of 0',
      download({ target: 'buffer', maxSize: '0' }),
      { payload: '/home/hostile/a.txt' },
      /^maxSize: /,
    ],
    ['a number as download path', download(), { payload: 42 }, /^path: /],
    [
      'an object as API name',
      api({ api: 'api', apiType: 'msg' }),
      { api: { name: 'x' } },
      /^api: must be a string/,
    ],
    [
      'a list as method',
      api({ method: 'method', methodType: 'msg' }),
      { method: ['list'] },
      /^method: must be a string/,
    ],
    ['true as version', api({ version: 'v', versionType: 'msg' }), { v: true }, /^version: /],
    [
      'an object filling a mustache param',
      api({ params: '{"folder_path": "/home/{{where}}"}' }),
      { where: { x: 1 } },
      /^params: .*\{\{where\}\} is an object/,
    ],
  ];

  for (const [what, node, input, reason] of cases()) {
    it(`refuses ${what}`, async function () {
      const before = nasTree();
      const requestsBefore = ref.sim.control.requestLog().length;
      const msg = await refusal(node, typeof input === 'function' ? input() : input);
      assert.match(msg.error.cause.reason, reason);
      assert.equal(msg.error.cause.kind, 'input');
      assert.deepEqual(nasTree(), before);
      const writes = ref.sim.control
        .requestLog()
        .slice(requestsBefore)
        .filter((r) => !/^SYNO\.(API\.|FileStation\.(List|Info)$)/.test(r.api));
      assert.deepEqual(writes, [], 'no File Station call besides listing was made');
    });
  }

  /** Sends `input` to the node and resolves with the msg of output 1; a Catch msg fails the test. */
  async function success(node, input) {
    const { n1, out, caught } = await load(node);
    const sent = Promise.race([
      nextMessage(out),
      nextMessage(caught).then((m) => {
        throw new Error(m.error.message);
      }),
    ]);
    n1.receive(input);
    const msg = await sent;
    await helper.unload();
    return msg;
  }

  it('takes a number where a number makes sense: file name, share expiry in ms', async function () {
    const uploaded = await success(upload(), { payload: 'n', filename: 42 });
    assert.equal(uploaded.payload.path, '/home/hostile/up/42');
    const expires = Date.UTC(2099, 0, 2);
    const shared = await success(op('share', { expires: 'expires', expiresType: 'msg' }), {
      payload: '/home/hostile/a.txt',
      expires,
    });
    assert.match(shared.payload[0].url, /^http/);
    assert.equal(shared.payload[0].date_expired, '2099-01-02');
  });

  it('takes a list of patterns from the msg', async function () {
    for (const name of ['x.jpg', 'y.png', 'z.txt'])
      await files.upload('p', { folder: '/home/hostile/pat', name });
    const listed = await success(
      list({ path: '/home/hostile/pat', pattern: 'pattern', patternType: 'msg' }),
      {
        pattern: ['*.jpg', '*.png'],
      },
    );
    assert.deepEqual(
      listed.payload.map((e) => e.name),
      ['x.jpg', 'y.png'],
    );
  });

  it('a payload stream that fails midway reaches Catch as a source failure, and no file stays', async function () {
    const { n1, caught } = await load(upload({ filename: 'broken.bin', filenameType: 'str' }));
    const body = new PassThrough();
    const failed = nextMessage(caught);
    n1.receive({ payload: body, size: 5_000_000 });
    body.write(Buffer.alloc(500_000));
    setImmediate(() => body.destroy(new Error('camera disconnected')));
    const msg = await failed;
    assert.equal(msg.error.cause.kind, 'source');
    assert.match(msg.error.cause.reason, /^upload source failed: camera disconnected/);
    const folder = path.join(ref.sim.dataDir, 'home', 'hostile', 'up');
    assert.ok(!fs.existsSync(path.join(folder, 'broken.bin')));
  });
});

describe('synology-file-op: msg.password does not travel on', function () {
  const ref = useSimulator({ taskDurationMs: 200 });
  let client;

  before(async () => {
    client = new DsmClient({ url: ref.sim.url, username: demo.username, password: demo.password });
    await new FileStation(client).upload('secret data', { folder: '/home/pw', name: 'a.txt' });
  });
  after(() => client.close());
  afterEach(() => helper.unload());

  /** Runs one msg through a file op node; returns everything its outputs and Catch received. */
  async function run(config, input) {
    await helper.load([dsmNode, ...fileNodes], nodeFlow(ref.sim, { type: 'synology-file-op', ...config }), {
      dsm: { username: demo.username, password: demo.password },
    });
    const seen = [];
    for (const id of ['out', 'progress', 'caught']) helper.getNode(id).on('input', (m) => seen.push([id, m]));
    const end = Promise.race(['out', 'caught'].map((id) => nextMessage(helper.getNode(id))));
    helper.getNode('n1').receive(input);
    await end;
    await helper.unload();
    return seen;
  }

  const leaks = (seen) => seen.filter(([, m]) => 'password' in m || JSON.stringify(m).includes(ZIP_PASSWORD));

  it('is removed from the msg sent on after a compress that used it', async function () {
    const seen = await run(
      { operation: 'compress', destination: '/home/pw/a.zip', destinationType: 'str' },
      { payload: '/home/pw/a.txt', password: ZIP_PASSWORD, topic: 'zip' },
    );
    const out = seen.filter(([id]) => id === 'out');
    assert.equal(out.length, 1, JSON.stringify(seen.map(([id, m]) => [id, m.error?.message])));
    assert.equal(out[0][1].topic, 'zip');
    assert.ok(
      seen.some(([id]) => id === 'progress'),
      'progress msgs were sent',
    );
    assert.deepEqual(leaks(seen), []);
    // The zip really has the password: extracting without it fails, with it works.
    const files = new FileStation(client);
    await files.createFolder('/home/pw/out');
    await assert.rejects(files.extract('/home/pw/a.zip', '/home/pw/out'), (err) => err.code === 1403);
    await files.extract('/home/pw/a.zip', '/home/pw/out', { password: ZIP_PASSWORD });
  });

  it('is removed from the msg Catch gets when the operation fails, early or at DSM', async function () {
    for (const [config, input] of [
      // refused before DSM: no destination
      [{ operation: 'compress', destination: '', destinationType: 'str' }, { payload: '/home/pw/a.txt' }],
      // refused before anything: an unknown operation from the msg
      [{ operation: 'msg' }, { payload: '/home/pw/a.txt', operation: 'explode' }],
      // DSM refuses: the archive does not exist
      [
        { operation: 'extract', destination: '/home/pw', destinationType: 'str', overwrite: 'true' },
        { payload: '/home/pw/none.zip' },
      ],
    ]) {
      const seen = await run(config, { ...input, password: ZIP_PASSWORD });
      assert.ok(
        seen.some(([id]) => id === 'caught'),
        `${JSON.stringify(config)} failed`,
      );
      assert.deepEqual(leaks(seen), []);
    }
  });
});
