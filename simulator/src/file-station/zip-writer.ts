import { once } from 'node:events';
import { type Readable, Transform, type TransformCallback, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { crc32, createDeflateRaw } from 'node:zlib';
import { DsmApiError } from '../dsm-error';
import { ApiError } from './errors';
import { zipEncryptor } from './zip-crypto';
import {
  CENTRAL_HEADER_BYTES,
  CENTRAL_HEADER_SIGNATURE,
  DATA_DESCRIPTOR_SIGNATURE,
  END_OF_CENTRAL_BYTES,
  END_OF_CENTRAL_SIGNATURE,
  FLAG_DATA_DESCRIPTOR,
  FLAG_ENCRYPTED,
  FLAG_UTF8,
  LOCAL_HEADER_BYTES,
  LOCAL_HEADER_SIGNATURE,
  MAX_ZIP32,
  METHOD_DEFLATE,
  METHOD_STORE,
  toDosDateTime,
} from './zip-format';
import type { ZipEntry } from './zip-reader';

export interface ZipWriterOptions {
  /** 0 stores; 1..9 deflate at that level. */
  readonly level: number;
  /** Encrypts file entries with ZipCrypto when set. */
  readonly password?: string;
}

interface EntryRecord {
  name: Buffer;
  flags: number;
  method: number;
  dosTime: number;
  dosDate: number;
  crc: number;
  packSize: number;
  size: number;
  externalAttributes: number;
  offset: number;
}

const VERSION_NEEDED = 20;
const VERSION_MADE_BY_UNIX = (3 << 8) | VERSION_NEEDED;
const MS_DOS_DIRECTORY = 0x10;
const MAX_ENTRIES = 0xffff;

/** Writes a zip (no zip64) to a stream, entry by entry, with backpressure. */
export class ZipWriter {
  private offset = 0;
  private readonly records: EntryRecord[] = [];

  constructor(
    private readonly out: Writable,
    private readonly options: ZipWriterOptions,
  ) {
    // Errors surface through write() and finish(); this keeps one from going unhandled in between.
    out.on('error', () => undefined);
  }

  async addDirectory(path: string, mtime: Date, mode: number): Promise<void> {
    const { time, date } = toDosDateTime(mtime);
    const record: EntryRecord = {
      name: Buffer.from(`${path}/`, 'utf8'),
      flags: FLAG_UTF8,
      method: METHOD_STORE,
      dosTime: time,
      dosDate: date,
      crc: 0,
      packSize: 0,
      size: 0,
      externalAttributes: (((mode & 0xffff) << 16) | MS_DOS_DIRECTORY) >>> 0,
      offset: this.offset,
    };
    await this.write(localHeader(record));
    this.records.push(record);
  }

  async addFile(path: string, mtime: Date, mode: number, source: Readable): Promise<void> {
    const { level, password } = this.options;
    const { time, date } = toDosDateTime(mtime);
    const record: EntryRecord = {
      name: Buffer.from(path, 'utf8'),
      flags: FLAG_UTF8 | FLAG_DATA_DESCRIPTOR | (password ? FLAG_ENCRYPTED : 0),
      method: level === 0 ? METHOD_STORE : METHOD_DEFLATE,
      dosTime: time,
      dosDate: date,
      crc: 0,
      packSize: 0,
      size: 0,
      externalAttributes: ((mode & 0xffff) << 16) >>> 0,
      offset: this.offset,
    };
    await this.write(localHeader(record));
    const stages: (Readable | Transform | Writable)[] = [source, this.counter(record)];
    if (record.method === METHOD_DEFLATE) stages.push(createDeflateRaw({ level }));
    // With a data descriptor the encryption header checks the time's high byte (APPNOTE 6.1.6).
    if (password) stages.push(zipEncryptor(password, (time >> 8) & 0xff));
    stages.push(this.sink(record));
    await pipeline(stages);
    await this.write(dataDescriptor(record));
    this.records.push(record);
  }

  /** Copies an entry of another archive as it is stored there (compressed, maybe encrypted). */
  async addRaw(entry: ZipEntry, raw: Readable): Promise<void> {
    const record: EntryRecord = {
      name: Buffer.from(entry.isDir ? `${entry.path}/` : entry.path, 'utf8'),
      flags: entry.flags | FLAG_UTF8,
      method: entry.method,
      dosTime: entry.dosTime,
      dosDate: entry.dosDate,
      crc: entry.crc,
      packSize: entry.packSize,
      size: entry.size,
      externalAttributes: entry.externalAttributes,
      offset: this.offset,
    };
    const describedLater = (record.flags & FLAG_DATA_DESCRIPTOR) !== 0;
    await this.write(localHeader(record, !describedLater));
    for await (const chunk of raw) await this.write(chunk as Buffer);
    if (describedLater) await this.write(dataDescriptor(record));
    this.records.push(record);
  }

  async finish(): Promise<void> {
    if (this.records.length > MAX_ENTRIES) throw new DsmApiError(ApiError.CompressFailed);
    const start = this.offset;
    for (const record of this.records) await this.write(centralHeader(record));
    const end = Buffer.alloc(END_OF_CENTRAL_BYTES);
    end.writeUInt32LE(END_OF_CENTRAL_SIGNATURE, 0);
    end.writeUInt16LE(this.records.length, 8);
    end.writeUInt16LE(this.records.length, 10);
    end.writeUInt32LE(this.offset - start, 12);
    end.writeUInt32LE(start, 16);
    await this.write(end);
    if (this.out.errored) throw this.out.errored;
    this.out.end();
    if (!this.out.writableFinished) await once(this.out, 'finish');
  }

  private counter(record: EntryRecord): Transform {
    return new Transform({
      transform(chunk: Buffer, _encoding, callback: TransformCallback) {
        record.crc = crc32(chunk, record.crc);
        record.size += chunk.length;
        callback(record.size > MAX_ZIP32 ? new DsmApiError(ApiError.CompressFailed) : null, chunk);
      },
    });
  }

  private sink(record: EntryRecord): Writable {
    return new Writable({
      write: (chunk: Buffer, _encoding, callback) => {
        record.packSize += chunk.length;
        this.write(chunk).then(() => callback(), callback);
      },
    });
  }

  private async write(data: Buffer): Promise<void> {
    if (this.offset + data.length > MAX_ZIP32) throw new DsmApiError(ApiError.CompressFailed);
    if (this.out.errored) throw this.out.errored;
    this.offset += data.length;
    if (!this.out.write(data)) await once(this.out, 'drain');
  }
}

function localHeader(record: EntryRecord, withSizes = false): Buffer {
  const header = Buffer.alloc(LOCAL_HEADER_BYTES + record.name.length);
  header.writeUInt32LE(LOCAL_HEADER_SIGNATURE, 0);
  header.writeUInt16LE(VERSION_NEEDED, 4);
  header.writeUInt16LE(record.flags, 6);
  header.writeUInt16LE(record.method, 8);
  header.writeUInt16LE(record.dosTime, 10);
  header.writeUInt16LE(record.dosDate, 12);
  if (withSizes) {
    header.writeUInt32LE(record.crc >>> 0, 14);
    header.writeUInt32LE(record.packSize, 18);
    header.writeUInt32LE(record.size, 22);
  }
  header.writeUInt16LE(record.name.length, 26);
  record.name.copy(header, LOCAL_HEADER_BYTES);
  return header;
}

function dataDescriptor(record: EntryRecord): Buffer {
  const descriptor = Buffer.alloc(16);
  descriptor.writeUInt32LE(DATA_DESCRIPTOR_SIGNATURE, 0);
  descriptor.writeUInt32LE(record.crc >>> 0, 4);
  descriptor.writeUInt32LE(record.packSize, 8);
  descriptor.writeUInt32LE(record.size, 12);
  return descriptor;
}

function centralHeader(record: EntryRecord): Buffer {
  const header = Buffer.alloc(CENTRAL_HEADER_BYTES + record.name.length);
  header.writeUInt32LE(CENTRAL_HEADER_SIGNATURE, 0);
  header.writeUInt16LE(VERSION_MADE_BY_UNIX, 4);
  header.writeUInt16LE(VERSION_NEEDED, 6);
  header.writeUInt16LE(record.flags, 8);
  header.writeUInt16LE(record.method, 10);
  header.writeUInt16LE(record.dosTime, 12);
  header.writeUInt16LE(record.dosDate, 14);
  header.writeUInt32LE(record.crc >>> 0, 16);
  header.writeUInt32LE(record.packSize, 20);
  header.writeUInt32LE(record.size, 24);
  header.writeUInt16LE(record.name.length, 28);
  header.writeUInt32LE(record.externalAttributes, 38);
  header.writeUInt32LE(record.offset, 42);
  record.name.copy(header, CENTRAL_HEADER_BYTES);
  return header;
}
