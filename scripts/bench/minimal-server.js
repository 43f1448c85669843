#!/usr/bin/env node
'use strict';
// The ceiling server of `npm run bench`: plain node:http doing the least a server can do with a transfer.
//   POST /store?file=F   the request body (multipart as sent, not parsed) written to F in the data folder
//   GET  /file?file=F    F streamed from the data folder
//   POST /discard        the body read and thrown away (loopback ceiling)
//   GET  /zero?bytes=N   N bytes from memory (loopback ceiling)
// Prints its URL on the first line of stdout.
const fs = require('node:fs');
const http = require('node:http');
const path = require('node:path');
const { pipeline } = require('node:stream');

const dataDir = process.argv[2];
const CHUNK = 1 << 20;
const zeros = Buffer.alloc(CHUNK);
const ok = (res) => res.end('{"success":true}');
const fail = (res) => {
  res.statusCode = 500;
  res.end();
};

const server = http.createServer((req, res) => {
  const url = new URL(req.url, 'http://x');
  const file = url.searchParams.get('file');
  const local = file && path.join(dataDir, path.basename(file));
  if (req.method === 'POST' && url.pathname === '/store' && local) {
    pipeline(req, fs.createWriteStream(local, { highWaterMark: CHUNK }), (err) =>
      err ? fail(res) : ok(res),
    );
  } else if (req.method === 'GET' && url.pathname === '/file' && local) {
    res.setHeader('Content-Type', 'application/octet-stream');
    res.setHeader('Content-Length', fs.statSync(local).size);
    pipeline(fs.createReadStream(local, { highWaterMark: CHUNK }), res, () => undefined);
  } else if (req.method === 'POST' && url.pathname === '/discard') {
    req.on('end', () => ok(res)).resume();
  } else if (req.method === 'GET' && url.pathname === '/zero') {
    let left = Number(url.searchParams.get('bytes'));
    res.setHeader('Content-Type', 'application/octet-stream');
    res.setHeader('Content-Length', left);
    const more = () => {
      while (left > 0) {
        const part = left >= CHUNK ? zeros : zeros.subarray(0, left);
        left -= part.length;
        if (!res.write(part)) return void res.once('drain', more);
      }
      res.end();
    };
    more();
  } else {
    res.statusCode = 404;
    res.end();
  }
});
server.listen(0, '127.0.0.1', () => console.log(`http://127.0.0.1:${server.address().port}`));
