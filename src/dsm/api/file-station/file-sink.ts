import { open, type FileHandle } from 'node:fs/promises';
import { Writable } from 'node:stream';
import { CHUNK_BYTES } from './byte-counter';

/**
 * A new local file as a Writable that gathers the socket's 64 KiB chunks and writes them in one `writev` per
 * CHUNK_BYTES (not one disk job per chunk), counting the bytes as they come. The file is created (or truncated) on
 * the first write or at the end, whichever comes first; it is closed when the stream ends or is destroyed.
 */
export function gatheredFileWriter(path: string, onBytes: (total: number) => void): Writable {
  let handle: Promise<FileHandle> | undefined;
  const file = () => (handle ??= open(path, 'w'));
  let gathered: Buffer[] = [];
  let gatheredBytes = 0;
  let total = 0;
  const flush = async (): Promise<void> => {
    if (gatheredBytes === 0) return;
    const buffers = gathered;
    const bytes = gatheredBytes;
    gathered = [];
    gatheredBytes = 0;
    const fd = await file();
    let written = 0;
    while (written < bytes) {
      // writev may write less than asked (a full disk writes part, then fails on the next call).
      const { bytesWritten } = await fd.writev(written === 0 ? buffers : remainder(buffers, written));
      written += bytesWritten;
    }
  };
  return new Writable({
    highWaterMark: CHUNK_BYTES,
    write(chunk: Buffer, _encoding, callback) {
      total += chunk.length;
      onBytes(total);
      gathered.push(chunk);
      gatheredBytes += chunk.length;
      if (gatheredBytes < CHUNK_BYTES) return callback();
      flush().then(() => callback(), callback);
    },
    final(callback) {
      flush()
        .then(file)
        .then((fd) => fd.close())
        .then(() => callback(), callback);
    },
    destroy(error, callback) {
      if (!handle) return callback(error);
      handle
        .then(
          (fd) => fd.close().catch(() => undefined),
          () => undefined,
        )
        .then(() => callback(error));
    },
  });
}

/** The buffers after the first `skip` bytes. */
function remainder(buffers: Buffer[], skip: number): Buffer[] {
  const rest: Buffer[] = [];
  let left = skip;
  for (const buffer of buffers) {
    if (left >= buffer.length) {
      left -= buffer.length;
      continue;
    }
    rest.push(left > 0 ? buffer.subarray(left) : buffer);
    left = 0;
  }
  return rest;
}
