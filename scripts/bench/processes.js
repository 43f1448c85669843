'use strict';
// Processes for the bench: long-lived servers, fresh measured workers, curl with its CPU time, and /proc reads.
const fs = require('node:fs');
const { spawn, execFileSync } = require('node:child_process');
const path = require('node:path');
const readline = require('node:readline');

const TICKS = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK']).toString()) || 100;
  } catch {
    return 100;
  }
})();

const hasTaskset = (() => {
  try {
    execFileSync('taskset', ['-c', '0', 'true']);
    return true;
  } catch {
    return false;
  }
})();

/** [command, args] pinned to one core with taskset where there is one (and more than one core). */
function pinned(core, command, args) {
  if (!hasTaskset || core === undefined) return [command, args];
  return ['taskset', ['-c', String(core), command, ...args]];
}

/** user+sys CPU seconds of a running process, from /proc/<pid>/stat (undefined off Linux). */
function cpuSeconds(pid) {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / TICKS;
  } catch {
    return undefined;
  }
}

/** Starts a server process that prints a line with its URL first; resolves with {child, url}. */
function startServer(core, command, args, pattern = /(https?:\/\/[^\s)]+)/) {
  const [cmd, argv] = pinned(core, command, args);
  const child = spawn(cmd, argv, { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    const lines = readline.createInterface({ input: child.stdout });
    lines.on('line', (line) => {
      const match = pattern.exec(line);
      if (match) resolve({ child, url: match[1] });
    });
    child.once('exit', (code) => reject(new Error(`${command} exited (${code}) before listening`)));
  });
}

function stopServer(server) {
  return new Promise((resolve) => {
    if (server.child.exitCode !== null) return resolve();
    server.child.once('exit', resolve);
    server.child.kill('SIGTERM');
  });
}

/**
 * Runs one worker variant in a fresh node process: waits for its warm-up ("ready"), calls `before()`, lets it run
 * the timed part, calls `after()` and resolves with its result merged with what before/after returned.
 */
function runWorker(
  core,
  variant,
  args,
  { before = () => undefined, after = () => undefined, nodeArgs = [] } = {},
) {
  const script = path.join(__dirname, 'worker.js');
  const [cmd, argv] = pinned(core, process.execPath, [...nodeArgs, script, variant, JSON.stringify(args)]);
  const child = spawn(cmd, argv, { stdio: ['pipe', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let outcome;
    let started;
    // Line handlers run one after another (before/after are async): the last settles before the result is read.
    let handled = Promise.resolve();
    const lines = readline.createInterface({ input: child.stdout });
    lines.on('line', (line) => {
      let message;
      try {
        message = JSON.parse(line);
      } catch {
        return; // a log line of Node-RED
      }
      handled = handled.then(async () => {
        if (message.ready) {
          started = await before();
          child.stdin.write('go\n');
        } else if (message.result) {
          const ended = await after(started);
          outcome = { ...message.result, ...ended };
        } else if (message.error) {
          outcome = new Error(`${variant}: ${message.error}`);
        }
      });
    });
    child.once('close', async () => {
      await handled.catch((err) => (outcome = err));
      if (outcome instanceof Error) reject(outcome);
      else if (outcome) resolve(outcome);
      else reject(new Error(`${variant} exited ${child.exitCode} without a result`));
    });
  });
}

/**
 * Runs a command through bash to get its own CPU time (bash's `times`: the children's user and sys), pinned.
 * Resolves with {stdout, cpu_s, ms}.
 */
function runTimed(core, command, args) {
  const quoted = [...pinned(core, command, args).flat()].map((a) => `'${String(a).replace(/'/g, `'\\''`)}'`);
  const script = `${quoted.join(' ')} || exit $?; echo; times`;
  const start = process.hrtime.bigint();
  return new Promise((resolve, reject) => {
    const child = spawn('bash', ['-c', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.once('exit', (code) => {
      const ms = Number(process.hrtime.bigint() - start) / 1e6;
      if (code !== 0) return reject(new Error(`${command} exited ${code}`));
      const lines = out.trimEnd().split('\n');
      const children = lines.pop();
      lines.pop(); // the shell's own times
      const seconds = [...children.matchAll(/(\d+)m([\d.]+)s/g)].map((m) => Number(m[1]) * 60 + Number(m[2]));
      resolve({ stdout: lines.join('\n').trim(), cpu_s: seconds[0] + seconds[1], ms });
    });
    child.once('error', reject);
  });
}

module.exports = { hasTaskset, pinned, cpuSeconds, startServer, stopServer, runWorker, runTimed };
