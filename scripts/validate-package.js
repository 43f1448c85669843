#!/usr/bin/env node
'use strict';
// `node-red-dev validate` (the Node-RED flow library's checker) on this package, failing on any error or warning.
// Usage: node scripts/validate-package.js <folder where node-red-dev is installed> [package folder]
//
// The checker reads https://catalogue.nodered.org/catalogue.json for two checks: N01 (another package registers one of
// our node type names) and P08 (a similarly named package). Where that host cannot be reached (CI reaches the npm
// registry only) this run answers those two checks with an empty catalogue and says so on its output: they are then
// not checked. Everything else (licence, repository, scoped name, keywords, Node-RED and Node versions, examples for
// every node, dependency count, incompatible and outdated dependencies) runs as the flow library runs it.
const path = require('node:path');
const { spawnSync } = require('node:child_process');

const CATALOGUE = 'https://catalogue.nodered.org/catalogue.json';

if (process.env.VALIDATE_PACKAGE_CHILD) {
  // In the checker's process: wrap its HTTP client before the checker loads it.
  const axios = require(require.resolve('axios', { paths: [process.env.VALIDATE_PACKAGE_CHILD] }));
  const get = axios.get.bind(axios);
  axios.get = async (url, ...rest) => {
    if (url !== CATALOGUE) return get(url, ...rest);
    try {
      return await get(url, { timeout: 15000, ...rest[0] });
    } catch (err) {
      console.log(
        `!! ${CATALOGUE} unreachable (${err.code || err.message}): N01 (unique node names) and P08 (similar ` +
          'package names) are not checked in this run',
      );
      return { data: { modules: [] } };
    }
  };
  return;
}

const [toolDir, packageDir = path.resolve(__dirname, '..')] = process.argv.slice(2);
if (!toolDir) {
  console.error('usage: validate-package.js <folder with node_modules/node-red-dev> [package folder]');
  process.exit(2);
}
const checkerDir = path.join(path.resolve(toolDir), 'node_modules', 'node-red-dev');
const result = spawnSync(
  process.execPath,
  [
    '--require',
    __filename,
    path.join(checkerDir, 'bin', 'run'),
    'validate',
    '--path',
    path.resolve(packageDir),
  ],
  {
    env: { ...process.env, VALIDATE_PACKAGE_CHILD: checkerDir },
    stdio: ['ignore', 'pipe', 'pipe'],
    encoding: 'utf8',
  },
);
const output = `${result.stdout}${result.stderr}`;
process.stdout.write(output);
// The checker prints "✅ ..." for a check that passed and "Warning: ..." / "Error: ..." (oclif) otherwise.
const problems = output
  .split('\n')
  .filter((line) => /^\s*(›\s*)?(Warning|Error)\b|Unable to parse/.test(line));
if (result.status !== 0 || problems.length > 0 || !/Complete/.test(output)) {
  console.log(`node-red-dev validate: ${problems.length} problem(s), exit ${result.status}`);
  process.exit(1);
}
console.log('node-red-dev validate: no errors, no warnings');
