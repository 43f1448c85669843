import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { type FileHandle, open, rm } from 'node:fs/promises';
import { Writable } from 'node:stream';
import { configure, Reader } from '@zip.js/zip.js';

// Web workers would load zip.js's code from a URL: in Node everything runs in this thread.
configure({ useWebWorkers: false });

/**
 * A file read by ranges: zip.js reads an archive's directory and each entry's data where they lie, so neither
 * an archive nor a file added to one is held in memory. `close()` after the last read.
 */
export class FileRangeReader extends Reader<string> {
  private handle: FileHandle | undefined;

  constructor(private readonly fsPath: string) {
    super(fsPath);
  }

  override async init(): Promise<void> {
    if (this.handle) return;
    this.handle = await open(this.fsPath, 'r');
    this.size = (await this.handle.stat()).size;
    await super.init?.();
  }

  override async readUint8Array(index: number, length: number): Promise<Uint8Array> {
    if (!this.handle) throw new Error('FileRangeReader read before init');
    const buffer = Buffer.alloc(Math.max(0, Math.min(length, this.size - index)));
    const { bytesRead } = await this.handle.read(buffer, 0, buffer.length, index);
    return buffer.subarray(0, bytesRead);
  }

  async close(): Promise<void> {
    await this.handle?.close();
    this.handle = undefined;
  }
}

/** A new file (never an existing one) to stream into; `discard()` closes and removes it after a failure. */
export interface FileSink {
  readonly writable: WritableStream<Uint8Array>;
  discard(): Promise<void>;
}

export function createFileSink(fsPath: string): FileSink {
  const out = createWriteStream(fsPath, { flags: 'wx' });
  return {
    writable: Writable.toWeb(out),
    async discard() {
      out.destroy();
      if (!out.closed) await once(out, 'close').catch(() => undefined);
      await rm(fsPath, { force: true });
    },
  };
}

/** A Node file-system error (ENOENT, ENOSPC...), which File Station reports by its own codes. */
export function isSystemError(error: unknown): boolean {
  return error instanceof Error && typeof (error as NodeJS.ErrnoException).syscall === 'string';
}
