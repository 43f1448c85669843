'use strict';
const assert = require('node:assert/strict');
const { DsmClient, DsmError, FileStation } = require('../dist');
const { useSimulator, demo } = require('./support/sim');

/** The DsmError a promise rejects with (fails the test when it resolves). */
async function failure(promise) {
  try {
    await promise;
  } catch (err) {
    assert.ok(err instanceof DsmError, `not a DsmError: ${err}`);
    return err;
  }
  assert.fail('it did not fail');
}

describe('File Station errors name the path and its own code', function () {
  const ref = useSimulator({ taskDurationMs: 50 });
  let client;
  let files;

  before(async () => {
    client = new DsmClient({ url: ref.sim.url, username: demo.username, password: demo.password });
    files = new FileStation(client);
    await files.upload('a', { folder: '/home/errs', name: 'a.txt' });
    await files.upload('b', { folder: '/home/errs/out', name: 'a.txt' });
  });
  after(() => client.close());

  it('compress into a missing folder: 1300 with "/home/zips does not exist (408)" and a hint to create it', async function () {
    const err = await failure(files.compress('/home/errs/a.txt', '/home/zips/a.zip'));
    assert.equal(err.code, 1300);
    assert.equal(
      err.message,
      'SYNO.FileStation.Compress.status: Failed to compress files/folders (DSM error 1300): /home/zips does not exist (408)',
    );
    assert.deepEqual(err.failures, [{ path: '/home/zips', code: 408, problem: 'does not exist' }]);
    assert.equal(
      err.hint,
      'The destination folder /home/zips does not exist: create it first (createFolder).',
    );
  });

  it('delete of a missing path: 900 naming the path', async function () {
    const err = await failure(files.delete(['/home/errs/gone.txt']));
    assert.equal(err.code, 900);
    assert.match(err.message, /\(DSM error 900\): \/home\/errs\/gone\.txt does not exist \(408\)$/);
  });

  it('copy onto an existing file without overwrite: 1003 naming the file that exists (414)', async function () {
    const err = await failure(files.copy('/home/errs/out/a.txt', '/home/errs'));
    assert.equal(err.code, 1003);
    assert.match(err.message, /: \/home\/errs\/a\.txt already exists \(414\)$/);
    assert.match(err.hint, /overwrite: true/);
  });

  it('move of a missing source: 1001; copy into a missing folder: 1002 with the destination hint', async function () {
    const moved = await failure(files.move('/home/errs/none.txt', '/home/errs/out'));
    assert.equal(moved.code, 1001);
    assert.match(moved.message, /\/home\/errs\/none\.txt does not exist \(408\)$/);
    const copied = await failure(files.copy('/home/errs/a.txt', '/home/errs/nowhere'));
    assert.equal(copied.code, 1002);
    assert.match(copied.message, /\/home\/errs\/nowhere does not exist \(408\)$/);
    assert.match(copied.hint, /destination folder \/home\/errs\/nowhere does not exist/);
  });

  it('extract into a missing folder: 1400 naming it; a file that is no archive: 1401 naming it', async function () {
    await files.compress('/home/errs/a.txt', '/home/errs/a.zip');
    const err = await failure(files.extract('/home/errs/a.zip', '/home/errs/none', { overwrite: true }));
    assert.equal(err.code, 1400);
    assert.match(err.message, /\(DSM error 1400\): \/home\/errs\/none does not exist \(408\)$/);
    const notZip = await failure(files.extract('/home/errs/a.txt', '/home/errs', { overwrite: true }));
    assert.equal(notZip.code, 1401);
    assert.match(notZip.message, /\/home\/errs\/a\.txt cannot be opened as an archive/);
  });

  it('listing a file says it is a file, not a folder; listing a missing folder names it', async function () {
    const file = await failure(files.list('/home/errs/a.txt'));
    assert.equal(file.code, 408);
    assert.equal(
      file.message,
      'SYNO.FileStation.List.list: /home/errs/a.txt is a file, not a folder (DSM error 408)',
    );
    const missing = await failure(files.list('/home/errs/nope'));
    assert.equal(
      missing.message,
      'SYNO.FileStation.List.list: /home/errs/nope does not exist (DSM error 408)',
    );
  });

  it('single-path calls name the missing path (md5, dir size, share, download, archive list)', async function () {
    for (const call of [
      () => files.md5('/home/errs/x.bin'),
      () => files.dirSize('/home/errs/x.bin'),
      () => files.createShareLinks('/home/errs/x.bin'),
      () => files.download('/home/errs/x.bin', { buffer: true }),
      () => files.extract('/home/errs/x.bin', '/home/errs'),
    ]) {
      const err = await failure(call());
      assert.equal(err.code, 408);
      assert.match(err.message, /: \/home\/errs\/x\.bin does not exist \(DSM error 408\)$/);
    }
  });

  it('upload onto an existing file: 1805 naming it; into a missing folder without createParents: naming the folder', async function () {
    const exists = await failure(files.upload('x', { folder: '/home/errs', name: 'a.txt' }));
    assert.equal(exists.code, 1805);
    assert.match(exists.message, /\/home\/errs\/a\.txt already exists/);
    assert.match(exists.hint, /overwrite: true/);
    const folder = await failure(
      files.upload('x', { folder: '/home/errs/new/deep', name: 'a.txt', createParents: false }),
    );
    assert.equal(folder.code, 408);
    assert.match(folder.message, /the folder \/home\/errs\/new\/deep does not exist/);
    assert.match(folder.hint, /createParents: true/);
  });

  it('getInfo marks each entry with exists', async function () {
    const [found, missing] = await files.info(['/home/errs/a.txt', '/home/errs/gone.txt']);
    assert.equal(found.exists, true);
    assert.equal(missing.exists, false);
    assert.equal(missing.code, 408);
  });

  it('names three failed paths and counts the rest; DSM detail that names no path leaves the message alone', function () {
    const many = new DsmError({
      kind: 'dsm',
      code: 900,
      api: 'SYNO.FileStation.Delete',
      method: 'status',
      reason: 'Failed to delete file(s)/folder(s)',
      details: [1, 2, 3, 4, 5].map((n) => ({ code: n === 2 ? 407 : 408, path: `/home/${n}` })),
    });
    assert.match(
      many.message,
      /: \/home\/1 does not exist \(408\); \/home\/2 is not permitted for this user \(407\); \/home\/3 does not exist \(408\) and 2 more$/,
    );
    assert.equal(many.failures.length, 5);
    // DS2's 120 detail is an object, not a path list (next-apis-notes.md).
    const noPath = new DsmError({
      kind: 'dsm',
      code: 120,
      api: 'SYNO.DownloadStation2.Task',
      reason: 'Invalid parameter format',
      details: { name: 'url', reason: 'required' },
    });
    assert.equal(noPath.message, 'SYNO.DownloadStation2.Task: Invalid parameter format (DSM error 120)');
    assert.deepEqual(noPath.failures, []);
  });
});
