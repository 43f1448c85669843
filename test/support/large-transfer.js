'use strict';
// Uploads and downloads one large file through the client against an in-process simulator, then prints this
// process's peak RSS. Run as a child process so the figure is this work's alone.
const crypto = require('node:crypto');
const fs = require('node:fs');
const { pipeline } = require('node:stream/promises');
const os = require('node:os');
const path = require('node:path');
const { DsmClient, FileStation } = require('../../dist');
const { startSimulator, DEFAULT_USERS } = require('@synoflow/dsm-simulator');

async function md5(file) {
  const hash = crypto.createHash('md5');
  await pipeline(fs.createReadStream(file), hash);
  return hash.digest('hex');
}

async function main() {
  const size = Number(process.env.LARGE_TRANSFER_BYTES || 1024 ** 3);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'synoflow-large-'));
  const sim = await startSimulator({ port: 0, dataDir: path.join(dir, 'nas') });
  fs.mkdirSync(path.join(dir, 'nas', 'home'), { recursive: true });
  const demo = DEFAULT_USERS.find((u) => !u.totpSecret);
  const client = new DsmClient({ url: sim.url, username: demo.username, password: demo.password });
  const files = new FileStation(client);
  try {
    const source = path.join(dir, 'source.bin');
    const fd = fs.openSync(source, 'w');
    // Random blocks at the start, the middle and the end, the rest a sparse hole: real content, cheap on disk.
    for (const at of [0, Math.floor(size / 2), size - 1024 * 1024])
      fs.writeSync(fd, crypto.randomBytes(1024 * 1024), 0, 1024 * 1024, at);
    fs.closeSync(fd);
    let t = Date.now();
    await files.upload({ file: source }, { folder: '/home', name: 'large.bin' });
    const uploadMs = Date.now() - t;
    const target = path.join(dir, 'back.bin');
    t = Date.now();
    const result = await files.download('/home/large.bin', { file: target });
    const downloadMs = Date.now() - t;
    const [sent, received] = await Promise.all([md5(source), md5(target)]);
    console.log(
      JSON.stringify({
        size,
        uploaded: fs.statSync(path.join(dir, 'nas', 'home', 'large.bin')).size,
        downloaded: result.size,
        intact: sent === received,
        uploadMs,
        downloadMs,
        maxRssBytes: process.resourceUsage().maxRSS * 1024,
      }),
    );
  } finally {
    await client.close();
    await sim.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
