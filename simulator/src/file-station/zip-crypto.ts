import { randomBytes } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';
import { DsmApiError } from '../dsm-error';
import { ApiError } from './errors';

const HEADER_BYTES = 12;
const CRC_TABLE = Array.from({ length: 256 }, (_, byte) => {
  let crc = byte;
  for (let bit = 0; bit < 8; bit += 1) crc = crc & 1 ? 0xedb88320 ^ (crc >>> 1) : crc >>> 1;
  return crc >>> 0;
});

/** The traditional PKWARE ("ZipCrypto") cipher of password-protected zip entries (APPNOTE 6.1). */
class ZipCryptoKeys {
  private keys = [0x12345678, 0x23456789, 0x34567890];

  constructor(password: string) {
    for (const byte of Buffer.from(password, 'utf8')) this.update(byte);
  }

  encrypt(data: Buffer): Buffer {
    const out = Buffer.allocUnsafe(data.length);
    for (let index = 0; index < data.length; index += 1) {
      out[index] = data[index] ^ this.streamByte();
      this.update(data[index]);
    }
    return out;
  }

  decrypt(data: Buffer): Buffer {
    const out = Buffer.allocUnsafe(data.length);
    for (let index = 0; index < data.length; index += 1) {
      out[index] = data[index] ^ this.streamByte();
      this.update(out[index]);
    }
    return out;
  }

  private streamByte(): number {
    const temp = (this.keys[2] | 2) & 0xffff;
    return (Math.imul(temp, temp ^ 1) >>> 8) & 0xff;
  }

  private update(byte: number): void {
    const [k0, k1, k2] = this.keys;
    const next0 = crcByte(k0, byte);
    const next1 = (Math.imul((k1 + (next0 & 0xff)) >>> 0, 134775813) + 1) >>> 0;
    const next2 = crcByte(k2, next1 >>> 24);
    this.keys = [next0, next1, next2];
  }
}

function crcByte(crc: number, byte: number): number {
  return (CRC_TABLE[(crc ^ byte) & 0xff] ^ (crc >>> 8)) >>> 0;
}

/** Encrypts entry data, preceded by the 12-byte encryption header whose last byte is `checkByte`. */
export function zipEncryptor(password: string, checkByte: number): Transform {
  const keys = new ZipCryptoKeys(password);
  const header = randomBytes(HEADER_BYTES);
  header[HEADER_BYTES - 1] = checkByte;
  let headerSent = false;
  return new Transform({
    transform(chunk: Buffer, _encoding, callback: TransformCallback) {
      if (!headerSent) {
        headerSent = true;
        this.push(keys.encrypt(header));
      }
      callback(null, keys.encrypt(chunk));
    },
    flush(callback: TransformCallback) {
      if (!headerSent) this.push(keys.encrypt(header));
      callback();
    },
  });
}

/** Decrypts entry data; a header whose check byte does not match answers 1403 (wrong password). */
export function zipDecryptor(password: string, checkByte: number): Transform {
  const keys = new ZipCryptoKeys(password);
  let header = Buffer.alloc(0);
  return new Transform({
    transform(chunk: Buffer, _encoding, callback: TransformCallback) {
      if (header.length < HEADER_BYTES) {
        const needed = HEADER_BYTES - header.length;
        header = Buffer.concat([header, chunk.subarray(0, needed)]);
        chunk = chunk.subarray(needed);
        if (header.length === HEADER_BYTES && keys.decrypt(header)[HEADER_BYTES - 1] !== checkByte) {
          callback(new DsmApiError(ApiError.WrongPassword));
          return;
        }
      }
      callback(null, chunk.length > 0 ? keys.decrypt(chunk) : undefined);
    },
    flush(callback: TransformCallback) {
      callback(header.length < HEADER_BYTES ? new DsmApiError(ApiError.ArchiveUnreadable) : null);
    },
  });
}

/** Whether a password opens an entry, judged by its encryption header alone. */
export function checkZipPassword(password: string, encryptedHeader: Buffer, checkByte: number): boolean {
  return (
    new ZipCryptoKeys(password).decrypt(encryptedHeader.subarray(0, HEADER_BYTES))[HEADER_BYTES - 1] ===
    checkByte
  );
}

export const ZIP_CRYPTO_HEADER_BYTES = HEADER_BYTES;
