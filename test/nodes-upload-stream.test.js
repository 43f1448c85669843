'use strict';
// Issue 7, item 5: the upload node takes a stream without msg.size on DSM 7 (chunked) and names msg.size on DSM 6.
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { PassThrough } = require('node:stream');
const { helper, dsmNode, fileNodes, nodeFlow, nextMessage } = require('./support/node-red');
const { startSimulator, demo } = require('./support/sim');

const creds = { dsm: { username: demo.username, password: demo.password } };
const uploadNode = {
  type: 'synology-file-upload',
  folder: '/home/streams',
  folderType: 'str',
  filename: 'stream.txt',
  filenameType: 'str',
  source: 'payload',
  overwrite: 'true',
};

function streamOf(text) {
  const stream = new PassThrough();
  setImmediate(() => stream.end(text));
  return stream;
}

for (const profile of ['dsm7', 'dsm6']) {
  describe(`synology-file-upload: a stream without msg.size on ${profile}`, function () {
    let sim;
    before(async () => {
      sim = await startSimulator({ port: 0, profile });
    });
    after(() => sim.close());
    afterEach(() => helper.unload());

    it(
      profile === 'dsm7' ? 'uploads it chunked' : 'fails naming size (DSM 6 needs the length)',
      async function () {
        await helper.load([dsmNode, ...fileNodes], nodeFlow(sim, uploadNode), creds);
        const n1 = helper.getNode('n1');
        if (profile === 'dsm7') {
          const next = nextMessage(helper.getNode('out'));
          n1.receive({ payload: streamOf('no size given') });
          const msg = await next;
          assert.deepEqual(msg.payload, { path: '/home/streams/stream.txt', size: 13, skipped: false });
          assert.equal(
            fs.readFileSync(path.join(sim.dataDir, 'home/streams/stream.txt'), 'utf8'),
            'no size given',
          );
        } else {
          const caught = nextMessage(helper.getNode('caught'));
          n1.receive({ payload: streamOf('no size given') });
          const msg = await caught;
          assert.match(msg.error.message, /size/);
          assert.match(msg.error.message, /DSM 7|length/);
        }
      },
    );
  });
}
