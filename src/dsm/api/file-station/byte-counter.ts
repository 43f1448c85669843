import { Transform } from 'node:stream';
import { DsmError } from '../../errors';

/**
 * Transfer chunk size: 1 MiB rather than Node's 64 KiB stream default. Each chunk costs a callback round through
 * every stream stage, a syscall and garbage; at 64 KiB a 512 MiB transfer took ten times the context switches.
 */
export const CHUNK_BYTES = 1 << 20;

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
 * Counts like byteCounter and, with a `size`, passes exactly `size` bytes: more, or fewer at the end, fails naming
 * `size` (a wrong length would break the upload's Content-Length and the connection with it). One stage for both:
 * every stage costs a callback round per chunk.
 */
export function sizedCounter(size: number | undefined, onBytes: (total: number) => void): Transform {
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
      if (size !== undefined && total > size) return callback(wrong('more bytes'));
      onBytes(total);
      callback(null, chunk);
    },
    flush(callback) {
      callback(size !== undefined && total < size ? wrong('fewer bytes') : null);
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
