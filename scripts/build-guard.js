#!/usr/bin/env node
'use strict';
// Before `npm run build`: tsc's incremental build trusts dist/.tsbuildinfo and does not write again an output that
// was deleted by hand. A source without its compiled file drops that package's build info, so tsc compiles all of it.
// Usage: node scripts/build-guard.js <package dir>...
const fs = require('node:fs');
const path = require('node:path');

function anyOutputMissing(srcDir, distDir) {
  return fs.readdirSync(srcDir, { withFileTypes: true }).some((entry) => {
    const source = path.join(srcDir, entry.name);
    const output = path.join(distDir, entry.name);
    if (entry.isDirectory()) return anyOutputMissing(source, output);
    if (!entry.name.endsWith('.ts') || entry.name.endsWith('.d.ts')) return false;
    return !fs.existsSync(output.replace(/\.ts$/, '.js'));
  });
}

for (const pkg of process.argv.slice(2)) {
  const info = path.join(pkg, 'dist', '.tsbuildinfo');
  if (fs.existsSync(info) && anyOutputMissing(path.join(pkg, 'src'), path.join(pkg, 'dist'))) fs.rmSync(info);
}
