import { open } from 'node:fs/promises';
import { createReadStream } from 'node:fs';
import { PassThrough, pipeline, type Readable, Transform, type TransformCallback } from 'node:stream';
import { crc32, createInflateRaw } from 'node:zlib';
import { DsmApiError } from '../dsm-error';
import { ApiError } from './errors';
import { checkZipPassword, zipDecryptor, ZIP_CRYPTO_HEADER_BYTES } from './zip-crypto';
import {
  CENTRAL_HEADER_BYTES,
  CENTRAL_HEADER_SIGNATURE,
  END_OF_CENTRAL_BYTES,
  END_OF_CENTRAL_SIGNATURE,
  FLAG_ENCRYPTED,
  FLAG_UTF8,
  fromDosDateTime,
  LOCAL_HEADER_BYTES,
  LOCAL_HEADER_SIGNATURE,
  METHOD_DEFLATE,
  METHOD_STORE,
  zipCheckByte,
} from './zip-format';

/** One entry of a zip's central directory. */
export interface ZipEntry {
  /** Position in the central directory. */
  readonly index: number;
  /** Relative path inside the archive, without a trailing slash. */
  readonly path: string;
  readonly isDir: boolean;
  readonly size: number;
  readonly packSize: number;
  readonly crc: number;
  readonly method: number;
  readonly flags: number;
  readonly dosTime: number;
  readonly dosDate: number;
  readonly externalAttributes: number;
  readonly localHeaderOffset: number;
}

const MAX_COMMENT_BYTES = 0xffff;
const utf8 = new TextDecoder('utf-8', { fatal: true });

/** The entries of a zip file; 1401 when it is not a zip (or a zip64 / multi-disk one). */
export async function readZipEntries(fsPath: string): Promise<ZipEntry[]> {
  const handle = await open(fsPath, 'r');
  try {
    const { size } = await handle.stat();
    const tailLength = Math.min(size, END_OF_CENTRAL_BYTES + MAX_COMMENT_BYTES);
    const tail = Buffer.alloc(tailLength);
    await handle.read(tail, 0, tailLength, size - tailLength);
    const end = findEndOfCentral(tail);
    const count = tail.readUInt16LE(end + 10);
    const directorySize = tail.readUInt32LE(end + 12);
    const directoryOffset = tail.readUInt32LE(end + 16);
    if (count === 0xffff || directoryOffset + directorySize > size) throw notAnArchive();
    const directory = Buffer.alloc(directorySize);
    await handle.read(directory, 0, directorySize, directoryOffset);
    return parseDirectory(directory, count);
  } finally {
    await handle.close();
  }
}

function findEndOfCentral(tail: Buffer): number {
  for (let offset = tail.length - END_OF_CENTRAL_BYTES; offset >= 0; offset -= 1) {
    if (tail.readUInt32LE(offset) === END_OF_CENTRAL_SIGNATURE) return offset;
  }
  throw notAnArchive();
}

function parseDirectory(directory: Buffer, count: number): ZipEntry[] {
  const entries: ZipEntry[] = [];
  let offset = 0;
  for (let index = 0; index < count; index += 1) {
    if (offset + CENTRAL_HEADER_BYTES > directory.length) throw notAnArchive();
    if (directory.readUInt32LE(offset) !== CENTRAL_HEADER_SIGNATURE) throw notAnArchive();
    const flags = directory.readUInt16LE(offset + 8);
    const nameLength = directory.readUInt16LE(offset + 28);
    const extraLength = directory.readUInt16LE(offset + 30);
    const commentLength = directory.readUInt16LE(offset + 32);
    const rawName = directory.subarray(
      offset + CENTRAL_HEADER_BYTES,
      offset + CENTRAL_HEADER_BYTES + nameLength,
    );
    const name = decodeName(rawName, flags);
    entries.push({
      index,
      path: name.replace(/\/+$/, ''),
      isDir: name.endsWith('/'),
      flags,
      method: directory.readUInt16LE(offset + 10),
      dosTime: directory.readUInt16LE(offset + 12),
      dosDate: directory.readUInt16LE(offset + 14),
      crc: directory.readUInt32LE(offset + 16),
      packSize: directory.readUInt32LE(offset + 20),
      size: directory.readUInt32LE(offset + 24),
      externalAttributes: directory.readUInt32LE(offset + 38),
      localHeaderOffset: directory.readUInt32LE(offset + 42),
    });
    offset += CENTRAL_HEADER_BYTES + nameLength + extraLength + commentLength;
  }
  return entries;
}

/** UTF-8 when flagged or valid; otherwise latin1 (the codepage parameter is not honoured). */
function decodeName(raw: Buffer, flags: number): string {
  if (flags & FLAG_UTF8) return raw.toString('utf8');
  try {
    return utf8.decode(raw);
  } catch {
    return raw.toString('latin1');
  }
}

export function entryMtime(entry: ZipEntry): Date {
  return fromDosDateTime(entry.dosTime, entry.dosDate);
}

export function isEncrypted(entry: ZipEntry): boolean {
  return (entry.flags & FLAG_ENCRYPTED) !== 0;
}

/** Where an entry's (possibly encrypted, compressed) data starts. */
async function dataOffset(fsPath: string, entry: ZipEntry): Promise<number> {
  const handle = await open(fsPath, 'r');
  try {
    const header = Buffer.alloc(LOCAL_HEADER_BYTES);
    await handle.read(header, 0, LOCAL_HEADER_BYTES, entry.localHeaderOffset);
    if (header.readUInt32LE(0) !== LOCAL_HEADER_SIGNATURE) throw new DsmApiError(ApiError.ArchiveUnreadable);
    return entry.localHeaderOffset + LOCAL_HEADER_BYTES + header.readUInt16LE(26) + header.readUInt16LE(28);
  } finally {
    await handle.close();
  }
}

/** The entry's data as stored in the archive (compressed, encrypted), e.g. to copy it into another zip. */
export async function openRawEntry(fsPath: string, entry: ZipEntry): Promise<Readable> {
  const start = await dataOffset(fsPath, entry);
  if (entry.packSize === 0) return emptyStream();
  return createReadStream(fsPath, { start, end: start + entry.packSize - 1 });
}

/**
 * Whether a password opens an encrypted entry (1403 otherwise, also when none is given). Entries that are
 * not encrypted need none.
 */
export async function verifyPassword(
  fsPath: string,
  entry: ZipEntry,
  password: string | undefined,
): Promise<void> {
  if (!isEncrypted(entry)) return;
  if (password === undefined || password === '') throw new DsmApiError(ApiError.WrongPassword);
  const handle = await open(fsPath, 'r');
  try {
    const header = Buffer.alloc(ZIP_CRYPTO_HEADER_BYTES);
    await handle.read(header, 0, ZIP_CRYPTO_HEADER_BYTES, await dataOffset(fsPath, entry));
    if (!checkZipPassword(password, header, zipCheckByte(entry.flags, entry.crc, entry.dosTime))) {
      throw new DsmApiError(ApiError.WrongPassword);
    }
  } finally {
    await handle.close();
  }
}

/** The entry's content, decrypted and inflated; its CRC is checked at the end (1403 / 1402 on mismatch). */
export async function openEntry(
  fsPath: string,
  entry: ZipEntry,
  password: string | undefined,
): Promise<Readable> {
  if (entry.method !== METHOD_STORE && entry.method !== METHOD_DEFLATE) {
    throw new DsmApiError(ApiError.ArchiveUnreadable);
  }
  await verifyPassword(fsPath, entry, password);
  const raw = await openRawEntry(fsPath, entry);
  const stages: (Readable | Transform)[] = [raw];
  if (isEncrypted(entry) && password) {
    stages.push(zipDecryptor(password, zipCheckByte(entry.flags, entry.crc, entry.dosTime)));
  }
  if (entry.method === METHOD_DEFLATE) stages.push(createInflateRaw());
  const checked = crcCheck(entry);
  stages.push(checked);
  const out = new PassThrough();
  pipeline(stages, (error) => {
    if (error) out.destroy(toArchiveError(error, entry));
  });
  checked.pipe(out);
  out.on('close', () => raw.destroy());
  return out;
}

function crcCheck(entry: ZipEntry): Transform {
  let crc = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding, callback: TransformCallback) {
      crc = crc32(chunk, crc);
      callback(null, chunk);
    },
    flush(callback: TransformCallback) {
      callback(crc >>> 0 === entry.crc ? null : toArchiveError(new Error('CRC mismatch'), entry));
    },
  });
}

function toArchiveError(error: unknown, entry: ZipEntry): DsmApiError {
  if (error instanceof DsmApiError) return error;
  return new DsmApiError(isEncrypted(entry) ? ApiError.WrongPassword : ApiError.ArchiveUnreadable);
}

function emptyStream(): Readable {
  const stream = new PassThrough();
  stream.end();
  return stream;
}

function notAnArchive(): DsmApiError {
  return new DsmApiError(ApiError.NotAnArchive);
}
