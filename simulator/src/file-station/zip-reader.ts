import {
  type Entry,
  ERR_ENCRYPTED,
  ERR_INVALID_PASSWORD,
  type FileEntry,
  ZipReader,
  type ZipReaderConstructorOptions,
} from '@zip.js/zip.js';
import { DsmApiError } from '../dsm-error';
import { ApiError } from './errors';
import { FileRangeReader, isSystemError } from './zip-io';

export type { Entry as ZipEntry } from '@zip.js/zip.js';

/**
 * Entry names with `..` or an absolute path are refused by Extract when it would write them (418) but still
 * listed: zip.js must not reject the whole archive for them.
 */
export const READER_OPTIONS: ZipReaderConstructorOptions = { filenameValidation: 'tolerant' };

/** An open zip file: its entries (central-directory order) stay readable until `close()`. */
export interface ZipArchive {
  readonly entries: readonly Entry[];
  close(): Promise<void>;
}

/** Opens a zip (ZipCrypto, AES, zip64); 1401 when the file is not one. */
export async function openZipArchive(fsPath: string): Promise<ZipArchive> {
  const file = new FileRangeReader(fsPath);
  try {
    await file.init();
    const entries = await new ZipReader(file, READER_OPTIONS).getEntries().catch(() => {
      throw new DsmApiError(ApiError.NotAnArchive);
    });
    return { entries, close: () => file.close() };
  } catch (error) {
    await file.close();
    throw error;
  }
}

/** The entries of a zip file, for a caller that reads no data. */
export async function readZipEntries(fsPath: string): Promise<Entry[]> {
  const archive = await openZipArchive(fsPath);
  await archive.close();
  return [...archive.entries];
}

/** The relative path of an entry, without the trailing slash of a folder. */
export function entryPath(entry: Entry): string {
  return entry.filename.replace(/\/+$/, '');
}

/**
 * Whether a password opens an encrypted entry (1403 otherwise, also when none is given). AES checks it with
 * 16 bits; ZipCrypto's one-byte check passes a wrong password once in 256 tries, so its entry is decrypted
 * whole and its CRC checked. Entries that are not encrypted need none.
 */
export async function verifyPassword(entry: Entry, password: string | undefined): Promise<void> {
  if (entry.directory || !entry.encrypted) return;
  if (password === undefined || password === '') throw new DsmApiError(ApiError.WrongPassword);
  const options = entry.zipCrypto ? { password, checkCrc32: true } : { password, checkPasswordOnly: true };
  await entry.getData(new WritableStream<Uint8Array>(), options).catch((error: unknown) => {
    throw toArchiveError(error, entry);
  });
}

/**
 * Writes a file entry's content, decrypted, inflated and checked (CRC, AES authentication code), into `out`,
 * which it closes; 1403 for a missing or wrong password, 1402 for damaged data.
 */
export async function extractEntry(
  entry: FileEntry,
  password: string | undefined,
  out: WritableStream<Uint8Array>,
): Promise<void> {
  await entry.getData(out, { password: password || undefined, checkCrc32: true }).catch((error: unknown) => {
    throw toArchiveError(error, entry);
  });
}

/**
 * A wrong ZipCrypto password slips past its one-byte check once in 256 tries and then fails as bad data:
 * on an encrypted entry every data error means 1403. Disk errors stay what they are.
 */
function toArchiveError(error: unknown, entry: Entry): unknown {
  if (error instanceof DsmApiError || isSystemError(error)) return error;
  const message = error instanceof Error ? error.message : '';
  if (message === ERR_INVALID_PASSWORD || message === ERR_ENCRYPTED || entry.encrypted) {
    return new DsmApiError(ApiError.WrongPassword);
  }
  return new DsmApiError(ApiError.ArchiveUnreadable);
}
