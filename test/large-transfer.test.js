'use strict';
const assert = require('node:assert/strict');
const path = require('node:path');
const { execFile } = require('node:child_process');

describe('large transfers stream', function () {
  this.timeout(300000);

  it('uploads and downloads 1 GiB with the process peak RSS under 200 MB', async function () {
    const stdout = await new Promise((resolve, reject) =>
      execFile(
        process.execPath,
        [path.join(__dirname, 'support', 'large-transfer.js')],
        (err, out, errOut) => (err ? reject(new Error(`${err.message}\n${errOut}`)) : resolve(out)),
      ),
    );
    const result = JSON.parse(stdout.trim().split('\n').pop());
    assert.equal(result.uploaded, 1024 ** 3);
    assert.equal(result.downloaded, 1024 ** 3);
    assert.equal(result.intact, true);
    assert.ok(
      result.maxRssBytes < 200 * 1024 * 1024,
      `peak RSS ${Math.round(result.maxRssBytes / 1048576)} MB`,
    );
  });
});
