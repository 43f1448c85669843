import { inputError } from '../../errors';
import { describeType } from '../file-station/options';

/** The link schemes Download Station takes (Download Station notes, Task create: HTTP / FTP / magnet / ED2K). */
export const LINK_SCHEMES = ['http:', 'https:', 'ftp:', 'ftps:', 'magnet:', 'ed2k:'] as const;

/** A link to download, checked, with what de-duplication compares. */
export interface LinkSource {
  kind: 'url' | 'magnet' | 'ed2k';
  /** The link as given (trimmed). */
  uri: string;
  /** What equal links share: the normalized URL, or the magnet's info hash. */
  key: string;
  /** A magnet's BitTorrent info hash, 40 lower-case hex digits. */
  infoHash?: string;
  /** A magnet's `dn` and `xl`, when it has both: compared with the name and size of torrent tasks. */
  nameAndSize?: string;
}

/** A link with any user:password taken out, for error messages. */
export function redactLink(uri: string): string {
  return uri.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/@\s]*@/i, '$1***@');
}

/** Checks one link (`field` names it in errors) and returns what the rest of the client needs. */
export function checkLink(field: string, value: unknown): LinkSource {
  if (typeof value !== 'string')
    throw inputError(field, `must be a link (text), not ${describeType(value)}`, LINK_HINT);
  const uri = value.trim();
  if (!uri) throw inputError(field, 'is empty', LINK_HINT);
  if (/^ed2k:\/\/\|file\|/i.test(uri)) return { kind: 'ed2k', uri, key: `ed2k:${uri.toLowerCase()}` };
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    throw inputError(field, `"${redactLink(shorten(uri))}" is not a link`, LINK_HINT);
  }
  if (!(LINK_SCHEMES as readonly string[]).includes(url.protocol)) {
    throw inputError(
      field,
      `"${url.protocol}" links are not supported by Download Station`,
      `Give an ${LINK_SCHEMES.map((s) => s.slice(0, -1)).join(', ')} link.`,
    );
  }
  if (url.protocol === 'magnet:') return magnetSource(field, uri, url);
  if (!url.hostname) throw inputError(field, `"${redactLink(shorten(uri))}" names no host`, LINK_HINT);
  return { kind: 'url', uri, key: `url:${normalizeUrl(url)}` };
}

const LINK_HINT = 'Give an http(s), ftp or magnet link, e.g. https://example.com/file.iso.';

/**
 * A URL in one spelling: WHATWG parsing lower-cases scheme and host and drops a default port; the fragment never
 * reaches the server; `%2C` is how a comma inside a URL travels to DSM (see {@link v1UriParam}), so both count as
 * one link.
 */
export function normalizeUrl(url: URL): string {
  const copy = new URL(url.href);
  copy.hash = '';
  return copy.href.replace(/%2C/gi, ',');
}

function magnetSource(field: string, uri: string, url: URL): LinkSource {
  const topic = url.searchParams.getAll('xt').find((xt) => /^urn:btih:/i.test(xt));
  const infoHash = topic ? infoHashHex(topic.slice('urn:btih:'.length)) : undefined;
  if (!infoHash) {
    throw inputError(
      field,
      'is a magnet link without a BitTorrent info hash (xt=urn:btih:...)',
      'Download Station takes magnet links of torrents: magnet:?xt=urn:btih:<40 hex or 32 base32 characters>.',
    );
  }
  const name = url.searchParams.get('dn');
  const size = Number(url.searchParams.get('xl'));
  const nameAndSize = name && Number.isSafeInteger(size) && size > 0 ? `${name}|${size}` : undefined;
  return { kind: 'magnet', uri, key: `btih:${infoHash}`, infoHash, nameAndSize };
}

/** A btih value as 40 lower-case hex digits: given in hex, or in base32 (BEP 9 allows both). */
export function infoHashHex(value: string): string | undefined {
  if (/^[0-9a-f]{40}$/i.test(value)) return value.toLowerCase();
  if (!/^[a-z2-7]{32}$/i.test(value)) return undefined;
  const alphabet = 'abcdefghijklmnopqrstuvwxyz234567';
  let bits = '';
  for (const char of value.toLowerCase()) bits += alphabet.indexOf(char).toString(2).padStart(5, '0');
  return (bits.match(/.{4}/g) as string[]).map((nibble) => parseInt(nibble, 2).toString(16)).join('');
}

/** The info hash in a magnet link, if it is one. */
export function magnetInfoHash(uri: string): string | undefined {
  if (!/^magnet:/i.test(uri)) return undefined;
  try {
    const topic = new URL(uri).searchParams.getAll('xt').find((xt) => /^urn:btih:/i.test(xt));
    return topic ? infoHashHex(topic.slice('urn:btih:'.length)) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * v1 create's `uri`: the links joined with commas, a comma inside a link sent as `%2C` (dvcol `sanitizeUrl`,
 * next-apis-notes §1a); DSM splits the list at the commas.
 */
export function v1UriParam(links: readonly LinkSource[]): string {
  return links.map((link) => link.uri.replace(/,/g, '%2C')).join(',');
}

/** The key an existing task's link is known by, for de-duplication. */
export function linkKey(uri: string): string | undefined {
  const hash = magnetInfoHash(uri);
  if (hash) return `btih:${hash}`;
  if (/^ed2k:/i.test(uri)) return `ed2k:${uri.toLowerCase()}`;
  try {
    const url = new URL(uri);
    return url.protocol === 'magnet:' ? undefined : `url:${normalizeUrl(url)}`;
  } catch {
    return undefined;
  }
}

function shorten(text: string): string {
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
