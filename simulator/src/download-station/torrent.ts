import { createHash } from 'node:crypto';

export interface TorrentFile {
  /** Path inside the torrent, `/`-separated. */
  readonly path: string;
  readonly size: number;
}

export interface TorrentInfo {
  readonly name: string;
  readonly size: number;
  /** SHA-1 of the bencoded info dictionary, lower-case hex. */
  readonly infoHash: string;
  /** Several files: DSM puts them in a folder named after the torrent. One file: undefined. */
  readonly files: readonly TorrentFile[] | undefined;
}

type Bencode = typeof import('bencode').default;
let bencode: Promise<Bencode> | undefined;

/** bencode 4 is ESM only: loaded with import(), which the node16 module setting keeps in the CommonJS build. */
function loadBencode(): Promise<Bencode> {
  bencode ??= import('bencode').then((module) => module.default);
  return bencode;
}

/** The metainfo of a .torrent file (BEP 3), or undefined when the bytes are not one. */
export async function parseTorrent(data: Uint8Array): Promise<TorrentInfo | undefined> {
  const { decode, encode } = await loadBencode();
  let metainfo: unknown;
  try {
    metainfo = decode(data);
  } catch {
    return undefined;
  }
  const info = isDictionary(metainfo) ? metainfo.info : undefined;
  if (!isDictionary(info) || !(info.name instanceof Uint8Array) || !(info.pieces instanceof Uint8Array)) {
    return undefined;
  }
  const name = text(info.name);
  const files = Array.isArray(info.files) ? readFiles(info.files) : undefined;
  const size = files ? files.reduce((sum, file) => sum + file.size, 0) : info.length;
  if (typeof size !== 'number' || !Number.isSafeInteger(size) || size < 0 || name === '') return undefined;
  if (files?.some((file) => file.path === '')) return undefined;
  const infoHash = createHash('sha1').update(encode(info)).digest('hex');
  return { name, size, infoHash, files };
}

function readFiles(entries: unknown[]): TorrentFile[] {
  return entries.map((entry) => {
    if (!isDictionary(entry) || !Array.isArray(entry.path) || typeof entry.length !== 'number') {
      return { path: '', size: 0 };
    }
    const segments = entry.path.map((segment) => (segment instanceof Uint8Array ? text(segment) : ''));
    return { path: segments.join('/'), size: entry.length };
  });
}

function isDictionary(value: unknown): value is Record<string, unknown> {
  return (
    typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Uint8Array)
  );
}

function text(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('utf8');
}
