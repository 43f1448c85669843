import {
  constants,
  createDecipheriv,
  createHash,
  generateKeyPair,
  type KeyObject,
  privateDecrypt,
} from 'node:crypto';
import type { RawParams } from '../params';

/**
 * SYNO.API.Encryption: the RSA key with which clients on plain HTTP hide the login params. As the public record
 * shows it (N4S4/synology-api auth.py, `encrypt_params`): getinfo gives the modulus as hex (exponent 10001), the
 * name of the param to send (`cipherkey`) and of the token param (`ciphertoken`, set to `server_time`); the client
 * sends `{cipherkey: '{"rsa": base64(RSA-PKCS#1 v1.5(passphrase)), "aes": base64(OpenSSL "Salted__" AES-256-CBC of
 * the urlencoded params)}'}`. A bare base64 RSA block of the params (short payloads) is taken too.
 */
export const CIPHER_KEY = '__cIpHeRtExT';
export const CIPHER_TOKEN = '__cIpHeRtOkEn';

// 4096 bits: N4S4 RSA-encrypts a 501-character passphrase, the most PKCS#1 v1.5 fits in a 4096-bit key.
const MODULUS_BITS = 4096;

interface LoginKey {
  readonly privateKey: KeyObject;
  readonly modulusHex: string;
}

// One key per process, made on first use: generating a 4096-bit key takes about a second.
let keyPromise: Promise<LoginKey> | undefined;

export function loginKey(): Promise<LoginKey> {
  keyPromise ??= new Promise((resolve, reject) => {
    generateKeyPair('rsa', { modulusLength: MODULUS_BITS }, (error, publicKey, privateKey) => {
      if (error) {
        keyPromise = undefined;
        reject(error);
        return;
      }
      const jwk = publicKey.export({ format: 'jwk' });
      resolve({ privateKey, modulusHex: Buffer.from(jwk.n ?? '', 'base64url').toString('hex') });
    });
  });
  return keyPromise;
}

/**
 * The params with an encrypted bundle replaced by what it holds (the token param dropped); unchanged when there
 * is none, or when it cannot be read (then the login misses its account and fails as DSM's would).
 */
export async function decryptParams(params: RawParams): Promise<RawParams> {
  const sealed = params.get(CIPHER_KEY);
  if (sealed === undefined || !keyPromise) return params;
  const { privateKey } = await loginKey();
  const opened = openBundle(sealed, privateKey);
  if (opened === undefined) return params;
  const merged = new Map(params);
  merged.delete(CIPHER_KEY);
  for (const [name, value] of opened) if (name !== CIPHER_TOKEN) merged.set(name, value);
  return merged;
}

function openBundle(sealed: string, privateKey: KeyObject): Map<string, string> | undefined {
  try {
    const bundle = sealed.trim().startsWith('{')
      ? (JSON.parse(sealed) as { rsa?: unknown; aes?: unknown })
      : {};
    if (typeof bundle.rsa === 'string' && typeof bundle.aes === 'string') {
      const passphrase = rsaDecrypt(privateKey, Buffer.from(bundle.rsa, 'base64'));
      return parseParams(opensslAesDecrypt(passphrase, Buffer.from(bundle.aes, 'base64')));
    }
    return parseParams(rsaDecrypt(privateKey, Buffer.from(sealed, 'base64')).toString('utf8'));
  } catch {
    return undefined;
  }
}

/**
 * RSA with PKCS#1 v1.5 padding. Node refuses that padding for private decryption (CVE-2023-46809), so the
 * block is decrypted raw and the padding (00 02 <non-zero bytes> 00 <message>) removed here.
 */
function rsaDecrypt(privateKey: KeyObject, block: Buffer): Buffer {
  const raw = privateDecrypt({ key: privateKey, padding: constants.RSA_NO_PADDING }, block);
  const end = raw.indexOf(0, 2);
  if (raw[0] !== 0 || raw[1] !== 2 || end < 10) throw new Error('not a PKCS#1 v1.5 block');
  return raw.subarray(end + 1);
}

/** OpenSSL `enc` format: "Salted__", 8 bytes of salt, AES-256-CBC with key and IV from EVP_BytesToKey (MD5). */
function opensslAesDecrypt(passphrase: Buffer, data: Buffer): string {
  if (data.subarray(0, 8).toString('latin1') !== 'Salted__') throw new Error('no OpenSSL salt header');
  const salt = data.subarray(8, 16);
  let derived = Buffer.alloc(0);
  let block = Buffer.alloc(0);
  while (derived.length < 48) {
    block = createHash('md5')
      .update(Buffer.concat([block, passphrase, salt]))
      .digest();
    derived = Buffer.concat([derived, block]);
  }
  const decipher = createDecipheriv('aes-256-cbc', derived.subarray(0, 32), derived.subarray(32, 48));
  return Buffer.concat([decipher.update(data.subarray(16)), decipher.final()]).toString('utf8');
}

/** The params inside: urlencoded (what N4S4 sends) or a JSON object. */
function parseParams(text: string): Map<string, string> {
  if (text.trim().startsWith('{')) {
    const object = JSON.parse(text) as Record<string, unknown>;
    return new Map(
      Object.entries(object).map(([name, value]) => [
        name,
        typeof value === 'string' ? value : JSON.stringify(value),
      ]),
    );
  }
  return new Map(new URLSearchParams(text));
}
