import { createHash } from 'node:crypto';
import { inputError } from '../../errors';
import { describeType } from '../file-station/options';

/** What de-duplication and the create need from a .torrent file. */
export interface TorrentInfo {
  /** SHA-1 of the bencoded `info` dictionary, 40 lower-case hex digits: the torrent's identity. */
  infoHash: string;
  /** `info.name`: the task title Download Station shows. */
  name: string;
  /** Total bytes of its files. */
  size: number;
  files: { path: string; size: number }[];
}

interface Bencode {
  decode(data: Uint8Array): unknown;
  encode(value: unknown): Uint8Array;
}

/**
 * bencode (the maintained codec of the WebTorrent project) is ESM-only; Node 20 cannot require() it, and tsc would
 * turn a plain `import()` into require() in CommonJS output. A Function keeps the real dynamic import.
 */
const importEsm = new Function('specifier', 'return import(specifier)') as (
  specifier: string,
) => Promise<{ default: Bencode }>;

let codec: Promise<Bencode> | undefined;

function bencode(): Promise<Bencode> {
  codec ??= importEsm('bencode').then((module) => module.default);
  return codec;
}

const NOT_A_TORRENT = 'A .torrent file is a bencoded dictionary with an "info" part (BEP 3).';

/** Reads a .torrent file; anything else is refused naming `field`. */
export async function readTorrent(field: string, data: unknown): Promise<TorrentInfo> {
  if (!(data instanceof Uint8Array))
    throw inputError(field, `must be a Buffer with a .torrent file, not ${describeType(data)}`);
  if (data.length === 0) throw inputError(field, 'is an empty Buffer, not a .torrent file');
  const { decode, encode } = await bencode();
  let decoded: unknown;
  try {
    decoded = decode(data);
  } catch {
    throw inputError(field, 'is not a .torrent file (not bencoded)', NOT_A_TORRENT);
  }
  const info = dictionary(decoded)?.info;
  const infoDict = dictionary(info);
  const name = text(infoDict?.['name.utf-8']) ?? text(infoDict?.name);
  const files = infoDict ? fileList(infoDict, name ?? '') : undefined;
  if (!infoDict || !name || !files || !(infoDict.pieces instanceof Uint8Array))
    throw inputError(field, 'is not a .torrent file (no valid "info" dictionary)', NOT_A_TORRENT);
  return {
    infoHash: createHash('sha1').update(encode(info)).digest('hex'),
    name,
    size: files.reduce((sum, file) => sum + file.size, 0),
    files,
  };
}

/** One file (`length`) or several (`files: [{length, path: [...]}]`), BEP 3. */
function fileList(info: Record<string, unknown>, name: string): TorrentInfo['files'] | undefined {
  if (typeof info.length === 'number') return [{ path: name, size: info.length }];
  if (!Array.isArray(info.files)) return undefined;
  const files: TorrentInfo['files'] = [];
  for (const item of info.files) {
    const file = dictionary(item);
    const parts = Array.isArray(file?.path) ? (file.path as unknown[]).map(text) : [];
    if (!file || typeof file.length !== 'number' || parts.length === 0 || parts.some((p) => p === undefined))
      return undefined;
    files.push({ path: [name, ...(parts as string[])].join('/'), size: file.length });
  }
  return files;
}

function dictionary(value: unknown): Record<string, unknown> | undefined {
  return value && typeof value === 'object' && !(value instanceof Uint8Array) && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

function text(value: unknown): string | undefined {
  return value instanceof Uint8Array && value.length > 0 ? Buffer.from(value).toString('utf8') : undefined;
}
