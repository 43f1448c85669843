'use strict';
// Uploads and downloads one large file through the client against an in-process simulator, then prints this
// process's peak RSS. Run as a child process so the figure is this work's alone.
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { DsmClient, FileStation } = require('../../dist');
const { startSimulator, DEFAULT_USERS } = require('../../dist/simulator');

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
    // Some non-zero bytes at both ends, the rest a sparse hole: the content is real, the disk write cheap.
    fs.writeSync(fd, Buffer.from('start'), 0, 5, 0);
    fs.writeSync(fd, Buffer.from('end'), 0, 3, size - 3);
    fs.closeSync(fd);
    let t = Date.now();
    await files.upload({ file: source }, { folder: '/home', name: 'large.bin' });
    const uploadMs = Date.now() - t;
    const target = path.join(dir, 'back.bin');
    t = Date.now();
    const result = await files.download('/home/large.bin', { file: target });
    const downloadMs = Date.now() - t;
    const back = fs.openSync(target, 'r');
    const head = Buffer.alloc(5);
    const tail = Buffer.alloc(3);
    fs.readSync(back, head, 0, 5, 0);
    fs.readSync(back, tail, 0, 3, size - 3);
    fs.closeSync(back);
    console.log(
      JSON.stringify({
        size,
        uploaded: fs.statSync(path.join(dir, 'nas', 'home', 'large.bin')).size,
        downloaded: result.size,
        intact: head.toString() === 'start' && tail.toString() === 'end',
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
