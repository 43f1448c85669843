'use strict';

/**
 * Records what a watch node (n1) sends to `out`, what Catch nodes get, and each poll it finishes (its status after
 * a poll); `until(ready)` waits for a condition, `polls(n)` for n more polls.
 */
function recorder(n1, out, caught) {
  const seen = { msgs: [], errors: [], statuses: [] };
  const waiters = [];
  const wake = () => {
    for (const waiter of [...waiters])
      if (waiter.ready()) waiters.splice(waiters.indexOf(waiter), 1) && waiter.resolve();
  };
  out.on('input', (msg) => {
    seen.msgs.push(msg);
    wake();
  });
  caught.on('input', (msg) => {
    seen.errors.push(msg);
    wake();
  });
  n1.on('call:status', (call) => {
    seen.statuses.push({ ...call.args[0] });
    wake();
  });
  seen.until = (ready, what = 'condition') =>
    new Promise((resolve, reject) => {
      if (ready()) return resolve();
      const timer = setTimeout(
        () => reject(new Error(`timed out waiting for ${what}: ${JSON.stringify(seen.topics())}`)),
        15000,
      );
      waiters.push({ ready, resolve: () => (clearTimeout(timer), resolve()) });
    });
  seen.polls = async (count = 1) => {
    const start = seen.pollCount();
    await seen.until(() => seen.pollCount() >= start + count, `${count} poll(s)`);
    // The poll's msgs were sent before its status; Node-RED delivers them on the next turns of the event loop.
    await new Promise(setImmediate);
    await new Promise(setImmediate);
  };
  seen.pollCount = () => seen.statuses.filter((s) => s.text !== 'stopped').length;
  seen.topics = () => seen.msgs.map((m) => m.topic);
  return seen;
}

module.exports = { recorder };
