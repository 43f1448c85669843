import { createHash } from 'node:crypto';
import type { TorrentInfo } from './torrent';

/** The task types DSM reports, lower-case on the wire (Radarr #914 broke on "https"). */
export type TaskType = 'http' | 'https' | 'ftp' | 'bt' | 'emule';

export interface SourceFile {
  readonly path: string;
  readonly size: number;
}

/** What a task downloads: its type, name, size and files, from a URL, a magnet link or a .torrent. */
export interface TaskSource {
  readonly type: TaskType;
  /** additional.detail.uri: the URL, or the .torrent's file name. */
  readonly uri: string;
  readonly title: string;
  readonly size: number;
  /** Several files (a multi-file torrent, in a folder named after the title); undefined for one file. */
  readonly files: readonly SourceFile[] | undefined;
  readonly infoHash: string | undefined;
  /** Hosts under `.invalid` (RFC 2606) never answer: the task ends in error "broken_link". */
  readonly brokenLink: boolean;
}

const MIB = 1024 * 1024;
const URL_TYPES: Record<string, TaskType> = {
  'http:': 'http',
  'https:': 'https',
  'ftp:': 'ftp',
  'ftps:': 'ftp',
  'ed2k:': 'emule',
};

/** A task source from a URL or magnet link; undefined when DSM could not take it. */
export function sourceFromUri(uri: string): TaskSource | undefined {
  let url: URL;
  try {
    url = new URL(uri.trim());
  } catch {
    return undefined;
  }
  if (url.protocol === 'magnet:') return sourceFromMagnet(uri.trim(), url);
  const type = URL_TYPES[url.protocol];
  if (!type) return undefined;
  const lastSegment = url.pathname
    .split('/')
    .filter((segment) => segment !== '')
    .pop();
  return {
    type,
    uri: uri.trim(),
    title: safeName(decode(lastSegment ?? '') || url.hostname || 'download'),
    size: sizeFromUri(uri),
    files: undefined,
    infoHash: undefined,
    brokenLink: url.hostname.endsWith('.invalid'),
  };
}

/** magnet:?xt=urn:btih:<hash>&dn=<name>&xl=<bytes> (BEP 9); without a btih hash it is not a torrent. */
function sourceFromMagnet(uri: string, url: URL): TaskSource | undefined {
  const topic = url.searchParams.getAll('xt').find((xt) => /^urn:btih:[0-9a-z]{32,40}$/i.test(xt));
  if (!topic) return undefined;
  const infoHash = topic.slice('urn:btih:'.length).toLowerCase();
  const length = Number(url.searchParams.get('xl'));
  return {
    type: 'bt',
    uri,
    title: safeName(url.searchParams.get('dn') ?? '') || infoHash,
    size: Number.isSafeInteger(length) && length > 0 ? length : sizeFromUri(uri),
    files: undefined,
    infoHash,
    brokenLink: false,
  };
}

export function sourceFromTorrent(torrent: TorrentInfo, filename: string | undefined): TaskSource {
  return {
    type: 'bt',
    uri: filename ?? `${torrent.name}.torrent`,
    title: safeName(torrent.name) || torrent.infoHash,
    size: torrent.size,
    files: torrent.files?.map((file) => ({ path: file.path, size: file.size })),
    infoHash: torrent.infoHash,
    brokenLink: false,
  };
}

/** A stable made-up size between 1 and 64 MiB: the simulator downloads nothing, but sizes must look real. */
function sizeFromUri(uri: string): number {
  const hash = createHash('sha1').update(uri).digest();
  return MIB + (hash.readUInt32BE(0) % (63 * MIB));
}

function decode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/** A name usable as one file name: no slashes, NUL or leading dots. */
export function safeName(name: string): string {
  return name
    .replace(/[/\\\0]/g, '_')
    .replace(/^\.+/, '')
    .trim();
}
