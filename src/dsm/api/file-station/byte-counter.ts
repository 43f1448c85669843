import { Transform } from 'node:stream';
import { DsmError } from '../../errors';

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

/**
 * Passes exactly `size` bytes: more, or fewer at the end, fails naming `size` (a wrong length would break the
 * upload's Content-Length and the connection with it).
 */
export function exactLength(size: number): Transform {
  let total = 0;
  const wrong = (what: string) =>
    new DsmError({
      kind: 'input',
      code: 'EINVAL',
      reason: `size: the stream has ${what} than the ${size} bytes declared`,
    });
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      total += chunk.length;
      callback(total > size ? wrong('more bytes') : null, chunk);
    },
    flush(callback) {
      callback(total < size ? wrong('fewer bytes') : null);
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
