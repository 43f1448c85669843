'use strict';
const { createHash } = require('node:crypto');

/**
 * A small valid .torrent (BEP 3) built with the bencode package: one file, or several under a folder.
 * Returns the bytes and the info hash computed here, independently of the client.
 */
async function makeTorrent({
  name = 'demo-file.bin',
  files = [{ path: ['demo-file.bin'], length: 4096 }],
} = {}) {
  const { default: bencode } = await import('bencode');
  const single = files.length === 1 && files[0].path.length === 1 && files[0].path[0] === name;
  const info = {
    name: Buffer.from(name),
    'piece length': 16384,
    pieces: Buffer.alloc(20),
    ...(single
      ? { length: files[0].length }
      : { files: files.map((f) => ({ length: f.length, path: f.path.map((p) => Buffer.from(p)) })) }),
  };
  const bytes = Buffer.from(
    bencode.encode({ announce: Buffer.from('http://tracker.invalid/announce'), info }),
  );
  const infoHash = createHash('sha1').update(bencode.encode(info)).digest('hex');
  const size = files.reduce((sum, f) => sum + f.length, 0);
  return { bytes, infoHash, name, size };
}

module.exports = { makeTorrent };
