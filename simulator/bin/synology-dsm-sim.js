#!/usr/bin/env node
'use strict';

const { startSimulator, DEFAULT_USERS, DOWNLOAD_STATION_API_SETS } = require('../dist');

const USAGE = `Usage: synology-dsm-sim [options]

A simulated Synology DSM (Web API under /webapi/, test controls under /sim/).

Options:
  --port N                 TCP port (default 5000; 0 picks a free port)
  --host H                 address to listen on (default 127.0.0.1)
  --profile dsm7|dsm6      DSM version to simulate (default dsm7)
  --data DIR               folder whose subfolders are the shared folders
                           (default: a temp folder with home, photo, video, downloads)
  --user NAME:PASSWORD     an account (repeatable); NAME:PASSWORD:TOTPSECRET for a 2FA account
  --tls                    serve https with the built-in localhost certificate
  --session-timeout SECS   idle session timeout (default 900)
  --read-only SHARE        make a shared folder read-only (repeatable)
  --task-duration MS       how long File Station background tasks take (default 1500)
  --allow-remote-control   let other hosts use the /sim/ test controls (default: they get
                           403; only this machine may end sessions, inject faults or read
                           TOTP codes). The DSM API under /webapi/ answers every host.
  --download-duration MS   how long Download Station tasks download (default 10000)
  --no-download-station    Download Station not installed (its APIs missing from API.Info)
  --download-station-apis both|ds2-only|v1-only|ds2-task-v1
                           which Download Station APIs it offers (default both): ds2-only
                           has no v1 API, v1-only no DownloadStation2 API, ds2-task-v1
                           advertises SYNO.DownloadStation2.Task up to version 1 only
  --no-cloud-sync          Cloud Sync not installed (SYNO.CloudSync missing from API.Info)
  --no-cloud-sync-demo     Cloud Sync starts without its demo connection (Dropbox, /home)
  --help                   show this help

Files: the simulator never reads, lists or changes anything outside --data. A symbolic
link in a shared folder is listed as an entry of its own; it is followed only to a place
inside the same shared folder (anything else answers 407) and never while walking a tree.

Without --user, the demo accounts are:
${DEFAULT_USERS.map(describeDefaultUser).join('\n')}
`;

function describeDefaultUser(user) {
  const twoFactor = user.totpSecret ? ` (2FA, TOTP secret ${user.totpSecret})` : '';
  return `  ${user.username} / ${user.password}${twoFactor}`;
}

function fail(message) {
  process.stderr.write(`synology-dsm-sim: ${message}\n\n${USAGE}`);
  process.exit(2);
}

function parseUser(text) {
  const parts = text.split(':');
  if (parts.length < 2 || parts[0] === '') fail(`--user needs NAME:PASSWORD, got "${parts[0]}:..."`);
  if (parts.length === 2) return { username: parts[0], password: parts[1] };
  return { username: parts[0], password: parts.slice(1, -1).join(':'), totpSecret: parts[parts.length - 1] };
}

function parseNumber(flag, text) {
  const value = Number(text);
  if (text === undefined || !Number.isInteger(value) || value < 0) fail(`${flag} needs a whole number`);
  return value;
}

function parseArgs(argv) {
  const options = { port: 5000 };
  const users = [];
  for (let i = 0; i < argv.length; i += 1) {
    const flag = argv[i];
    const next = () => {
      i += 1;
      if (i >= argv.length) fail(`${flag} needs a value`);
      return argv[i];
    };
    switch (flag) {
      case '--help':
      case '-h':
        process.stdout.write(USAGE);
        process.exit(0);
        break;
      case '--port':
        options.port = parseNumber(flag, next());
        break;
      case '--host':
        options.host = next();
        break;
      case '--profile':
        options.profile = next();
        if (options.profile !== 'dsm7' && options.profile !== 'dsm6') fail('--profile is dsm7 or dsm6');
        break;
      case '--data':
        options.dataDir = next();
        break;
      case '--user':
        users.push(parseUser(next()));
        break;
      case '--tls':
        options.tls = true;
        break;
      case '--session-timeout':
        options.sessionTimeoutMs = parseNumber(flag, next()) * 1000;
        break;
      case '--read-only':
        options.readOnlyShares = [...(options.readOnlyShares ?? []), next()];
        break;
      case '--task-duration':
        options.taskDurationMs = parseNumber(flag, next());
        break;
      case '--allow-remote-control':
        options.allowRemoteControl = true;
        break;
      case '--download-duration':
        options.downloadDurationMs = parseNumber(flag, next());
        break;
      case '--no-download-station':
        options.downloadStation = false;
        break;
      case '--download-station-apis':
        options.downloadStationApis = next();
        if (!DOWNLOAD_STATION_API_SETS.includes(options.downloadStationApis))
          fail(`--download-station-apis is one of ${DOWNLOAD_STATION_API_SETS.join(', ')}`);
        break;
      case '--no-cloud-sync':
        options.cloudSync = false;
        break;
      case '--no-cloud-sync-demo':
        options.cloudSyncDemoConnection = false;
        break;
      default:
        fail(`unknown option ${flag}`);
    }
  }
  if (users.length > 0) options.users = users;
  return options;
}

async function main() {
  const options = parseArgs(process.argv.slice(2));
  const sim = await startSimulator(options);
  console.log(`synology-dsm-sim listening on ${sim.url} (profile ${sim.profile}, data ${sim.dataDir})`);
  if (!options.allowRemoteControl)
    console.log('/sim/ test controls: this machine only (--allow-remote-control)');
  if (sim.tlsFingerprint) console.log(`TLS certificate SHA-256 fingerprint: ${sim.tlsFingerprint}`);
  if (!options.users) {
    console.log(
      `demo accounts: ${DEFAULT_USERS.map((user) => user.username).join(', ')} (passwords: --help)`,
    );
  }
  const stop = () => {
    sim.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error) => {
  process.stderr.write(`synology-dsm-sim: ${error.message}\n`);
  process.exit(1);
});
