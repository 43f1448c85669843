import { inputError } from '../../dsm';
import { describeType } from '../../dsm/api/file-station';

/** A feed item as node-red-node-feedparser sends it in `msg.article` (the fields used here). */
interface Article {
  link?: unknown;
  enclosures?: unknown;
}

const TORRENT_TYPE = /bittorrent/i;

/**
 * The link of a feed article: its enclosure (the file itself; a .torrent or magnet one first), else its link.
 * Feeds of downloads put the file in the enclosure and a web page in `link`.
 */
function articleLink(field: string, article: Article): string {
  const enclosures = Array.isArray(article.enclosures)
    ? (article.enclosures as Record<string, unknown>[])
    : [];
  const urls = enclosures.filter((e) => e && typeof e.url === 'string' && e.url);
  const torrent = urls.find(
    (e) => TORRENT_TYPE.test(String(e.type ?? '')) || /^magnet:/i.test(String(e.url)),
  );
  const chosen = (torrent ?? urls[0])?.url ?? article.link;
  if (typeof chosen !== 'string' || !chosen.trim())
    throw inputError(field, 'is a feed article without a link or an enclosure url');
  return chosen;
}

const isArticle = (value: unknown): value is Article =>
  Boolean(value) &&
  typeof value === 'object' &&
  ('link' in (value as object) || 'enclosures' in (value as object));

/**
 * What to download, from a setting or a msg: a link, several (a list, or text with one per line), feed articles
 * (node-red-node-feedparser's `msg.article`), or a Buffer with a .torrent file.
 */
export function toDownloadSource(field: string, value: unknown): string[] | Buffer {
  if (Buffer.isBuffer(value)) return value;
  if (value instanceof Uint8Array) return Buffer.from(value);
  const items = Array.isArray(value) ? value : [value];
  if (items.length === 0) throw inputError(field, 'is an empty list', 'Give at least one link.');
  return items.flatMap((item, index) => {
    const where = items.length > 1 ? `${field}[${index}]` : field;
    if (typeof item === 'string') {
      const lines = item
        .split(/\r?\n/)
        .map((line) => line.trim())
        .filter(Boolean);
      return lines.length > 0 ? lines : [item];
    }
    if (isArticle(item)) return [articleLink(where, item)];
    throw inputError(
      where,
      `must be a link, a list of links, a feed article or a Buffer with a .torrent file, not ${describeType(item)}`,
    );
  });
}

/** File indexes of a torrent: a list of numbers, or text such as "0, 2, 5"; empty means all files. */
export function toFileIndexes(field: string, value: unknown): number[] | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  const items = typeof value === 'string' ? value.split(',').map((s) => s.trim()) : value;
  if (!Array.isArray(items))
    throw inputError(field, `must be a list of file indexes, not ${describeType(value)}`);
  return items.map((item: unknown, index) => {
    const n = typeof item === 'string' && /^\d+$/.test(item) ? Number(item) : item;
    if (typeof n !== 'number' || !Number.isInteger(n) || n < 0)
      throw inputError(
        `${field}[${index}]`,
        `${JSON.stringify(item) ?? describeType(item)} is not a file index`,
      );
    return n;
  });
}
