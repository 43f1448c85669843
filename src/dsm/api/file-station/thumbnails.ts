import type { Readable } from 'node:stream';
import { unwrap, type DsmClient } from '../../client';
import { DsmError, inputError } from '../../errors';
import { encodeParams } from '../../params';
import { checkItemPath } from './paths';

const THUMB = 'SYNO.FileStation.Thumb';
const MAX_THUMBNAIL_BYTES = 16 * 1024 * 1024;
const SIZES = ['small', 'medium', 'large', 'original'];

export interface ThumbnailOptions {
  /** small (default), medium, large or original. */
  size?: 'small' | 'medium' | 'large' | 'original';
  /** Quarter turns clockwise, 0-4 (default 0). */
  rotate?: 0 | 1 | 2 | 3 | 4;
  signal?: AbortSignal;
}

export interface Thumbnail {
  buffer: Buffer;
  /** As DSM labels the image, e.g. image/jpeg. */
  contentType?: string;
}

/** A thumbnail of an image file, in memory. DSM answers HTTP 404 for files it makes none of (File Station guide). */
export async function thumbnail(
  client: DsmClient,
  path: string,
  options: ThumbnailOptions = {},
): Promise<Thumbnail> {
  const file = checkItemPath('path', path);
  const size = options.size ?? 'small';
  if (!SIZES.includes(size)) throw inputError('size', 'must be small, medium, large or original');
  const rotate = options.rotate ?? 0;
  if (!Number.isInteger(rotate) || rotate < 0 || rotate > 4) throw inputError('rotate', 'must be 0 to 4');
  const answer = await client.request(THUMB, 'get', { signal: options.signal }, async (req) => {
    const params = encodeParams(
      { path: file, size, rotate },
      req.resolved.requestFormat,
      req.resolved.version,
    );
    const opened = await client.transport
      .openStream({
        cgiPath: req.resolved.cgiPath,
        api: THUMB,
        method: 'get',
        query: { ...params, ...req.query },
        headers: req.headers,
        signal: options.signal,
      })
      .catch((err: unknown) => {
        throw err instanceof DsmError && err.code === 'HTTP_404' ? noThumbnail(file) : err;
      });
    if (opened.envelope) unwrap(opened.envelope, THUMB, 'get');
    return opened;
  });
  if (!answer.stream) throw noThumbnail(file);
  return { buffer: await readAll(answer.stream), contentType: answer.contentType };
}

function noThumbnail(path: string): DsmError {
  return new DsmError({
    kind: 'http',
    code: 'HTTP_404',
    api: THUMB,
    method: 'get',
    reason: `DSM has no thumbnail of ${path}`,
    hint: 'Thumbnails exist for image files (jpg, png, heic, raw, ...) that exist; check the path.',
  });
}

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    size += (chunk as Buffer).length;
    if (size > MAX_THUMBNAIL_BYTES) {
      stream.destroy();
      throw new DsmError({
        kind: 'http',
        code: 'ETOOLARGE',
        api: THUMB,
        reason: 'the thumbnail is over 16 MiB',
      });
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}
