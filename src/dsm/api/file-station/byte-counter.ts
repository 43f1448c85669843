import { Transform } from 'node:stream';

/** Passes bytes through and reports the running total, for progress. */
export function byteCounter(onBytes: (total: number) => void): Transform {
  let total = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      total += chunk.length;
      onBytes(total);
      callback(null, chunk);
    },
  });
}

/** Progress callbacks at most every `everyBytes` (and at the end), so a 1 GiB transfer does not flood a flow. */
export function throttledProgress(
  total: number,
  report: ((done: number) => void) | undefined,
  everyBytes = Math.max(1 << 20, Math.floor(total / 100)),
): (done: number) => void {
  let last = -Infinity;
  return (done) => {
    if (!report) return;
    if (done - last >= everyBytes || done === total) {
      last = done;
      report(done);
    }
  };
}
