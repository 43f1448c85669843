import { type Entry, ZipWriter } from '@zip.js/zip.js';
import { DsmApiError } from '../dsm-error';
import { ApiError } from './errors';
import { FileRangeReader, isSystemError } from './zip-io';
import { READER_OPTIONS } from './zip-reader';

export interface ZipWriterOptions {
  /** 0 stores; 1..9 deflate at that level. */
  readonly level: number;
  /**
   * Encrypts file entries with ZipCrypto when set: the guide's Compress has no parameter to ask for AES, and
   * every zip tool, Windows' own included, opens ZipCrypto.
   */
  readonly password?: string;
}

/**
 * Writes a zip to a stream entry by entry (zip64 when an entry or the archive needs it); each file is read
 * from disk by ranges and streamed through, so memory stays bounded whatever the sizes.
 */
export class ZipFileWriter {
  private readonly zip: ZipWriter<unknown>;

  constructor(
    out: WritableStream<Uint8Array>,
    private readonly options: ZipWriterOptions,
  ) {
    // Entries go straight to the output one after the other, never buffered whole.
    this.zip = new ZipWriter(out, { keepOrder: true, bufferedWrite: false });
  }

  async addDirectory(path: string, mtime: Date, mode: number): Promise<void> {
    await this.run(() =>
      this.zip.add(`${path}/`, null, { directory: true, lastModDate: mtime, unixMode: mode }),
    );
  }

  async addFile(path: string, mtime: Date, mode: number, fsPath: string): Promise<void> {
    const { level, password } = this.options;
    const file = new FileRangeReader(fsPath);
    try {
      await this.run(() =>
        this.zip.add(path, file, {
          level,
          lastModDate: mtime,
          unixMode: mode,
          ...(password ? { password, zipCrypto: true } : {}),
        }),
      );
    } finally {
      await file.close();
    }
  }

  /** Copies entries of another zip as they are stored there (compressed, maybe encrypted). */
  async addEntriesOf(archivePath: string, keep: (entry: Entry) => boolean): Promise<void> {
    const archive = new FileRangeReader(archivePath);
    try {
      await this.run(() => this.zip.appendZip(archive, { filter: keep, readerOptions: READER_OPTIONS }));
    } finally {
      await archive.close();
    }
  }

  /** Writes the central directory and closes the stream. */
  async finish(): Promise<void> {
    await this.run(() => this.zip.close());
  }

  /** zip.js's own failures (a duplicate name, a damaged archive to copy from) fail the archive: 1300. */
  private async run<T>(step: () => Promise<T>): Promise<T> {
    try {
      return await step();
    } catch (error) {
      throw isSystemError(error) || error instanceof DsmApiError
        ? error
        : new DsmApiError(ApiError.CompressFailed);
    }
  }
}
