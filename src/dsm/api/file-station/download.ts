import { rename, rm } from 'node:fs/promises';
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { randomBytes } from 'node:crypto';
import { unwrap, type DsmClient } from '../../client';
import { DsmError, inputError } from '../../errors';
import { namingMissing } from './path-errors';
import { encodeParams } from '../../params';
import type { ProgressListener } from './background';
import { byteCounter, throttledProgress } from './byte-counter';
import { gatheredFileWriter } from './file-sink';
import { describeType, optionalFunction, optionalTimeout, optionsObject } from './options';
import { baseName, checkDsmPaths } from './paths';

const DOWNLOAD = 'SYNO.FileStation.Download';
/** Default cap of a download into memory; larger files belong in file mode. */
export const DEFAULT_MAX_BUFFER = 64 * 1024 * 1024;

/** Where a download goes: a local file (written whole or not at all), a stream, or memory up to a cap. */
export type DownloadTarget = { file: string } | { stream: Writable } | { buffer: true; maxBytes?: number };

export interface DownloadOptions {
  /** Only these bytes of one file (HTTP Range, both ends inclusive): to resume or to read a part. */
  range?: { start: number; end?: number };
  signal?: AbortSignal;
  /** Idle timeout: fails when no byte moves for this long. */
  timeoutMs?: number;
  onProgress?: ProgressListener;
}

export interface DownloadResult {
  /** What was asked for. */
  paths: string[];
  /** A suggested file name: the file's own, or `<name>.zip` for folders and several paths. */
  name: string;
  size: number;
  contentType?: string;
  /** DSM zipped the content: several paths, or a folder. */
  zip: boolean;
  file?: string;
  buffer?: Buffer;
}

/**
 * Downloads one file, or several paths / a folder as one zip (DSM zips them). Streams: memory does not grow with
 * the size, except in buffer mode, which stops with an error at `maxBytes`.
 */
export async function download(
  client: DsmClient,
  paths: string | string[],
  target: DownloadTarget,
  given?: DownloadOptions,
): Promise<DownloadResult> {
  const list = checkDsmPaths('path', paths);
  const options = optionsObject(given);
  optionalTimeout('timeoutMs', options.timeoutMs);
  optionalFunction('onProgress', options.onProgress);
  if (typeof target !== 'object' || target === null || !['file', 'stream', 'buffer'].some((k) => k in target))
    throw inputError('target', `must be {file}, {stream} or {buffer: true}, not ${describeType(target)}`);
  const maxBytes = 'buffer' in target ? checkMax(target.maxBytes) : Infinity;
  const range = rangeHeader(options.range, list.length);
  if ('file' in target && typeof target.file !== 'string')
    throw inputError('file', `must be a string, not ${describeType(target.file)}`);
  if ('file' in target && !target.file) throw inputError('file', 'is empty');
  if ('stream' in target && !(target.stream instanceof Writable))
    throw inputError('stream', 'is not a writable stream');

  const answer = await namingMissing(
    list,
    client.request(
      DOWNLOAD,
      'download',
      { signal: options.signal, timeoutMs: options.timeoutMs },
      async (req) => {
        const params = encodeParams(
          // Always a list: the guide's bracketed form, so a comma inside a name is never read as a separator.
          { path: list, mode: 'download' },
          req.resolved.requestFormat,
          req.resolved.version,
        );
        const opened = await client.transport.openStream({
          cgiPath: req.resolved.cgiPath,
          api: DOWNLOAD,
          method: 'download',
          query: { ...params, ...req.query },
          headers: range ? { ...req.headers, Range: range } : req.headers,
          signal: options.signal,
          timeoutMs: options.timeoutMs,
        });
        if (opened.envelope) unwrap(opened.envelope, DOWNLOAD, 'download');
        return opened;
      },
    ),
  );
  const stream = answer.stream;
  if (!stream)
    throw new DsmError({ kind: 'http', code: 'EBADANSWER', api: DOWNLOAD, reason: 'DSM sent no content' });
  if (range && !answer.contentRange) {
    // The server ignored the Range header and sent the whole file: not what was asked for.
    stream.destroy();
    throw new DsmError({
      kind: 'http',
      code: 'ENORANGE',
      api: DOWNLOAD,
      method: 'download',
      reason: 'the NAS (or a proxy) ignored the byte range and sent the whole file',
      hint: 'Download the whole file instead.',
    });
  }

  const zip = list.length > 1 || /zip/i.test(answer.contentType ?? '');
  const name = zip ? `${list.length > 1 ? 'download' : baseName(list[0])}.zip` : baseName(list[0]);
  const total = answer.length ?? 0;
  if (answer.length !== undefined && answer.length > maxBytes) {
    stream.destroy();
    throw tooLarge(answer.length, maxBytes);
  }
  let done = 0;
  const report = throttledProgress(total, (bytes) =>
    options.onProgress?.({
      phase: 'download',
      done: bytes,
      total,
      percent: total ? Math.round((bytes / total) * 1000) / 10 : 0,
    }),
  );
  const counted = (bytes: number) => {
    done = bytes;
    report(bytes);
  };
  const result: DownloadResult = { paths: list, name, size: 0, contentType: answer.contentType, zip };

  try {
    if ('file' in target) {
      // Written beside the target and renamed at the end: a failed download leaves no half file.
      const partial = `${target.file}.${randomBytes(4).toString('hex')}.part`;
      try {
        await pipeline(stream, gatheredFileWriter(partial, counted), { signal: options.signal });
        await rename(partial, target.file);
      } catch (err) {
        await rm(partial, { force: true });
        throw err;
      }
      result.file = target.file;
    } else if ('stream' in target) {
      await pipeline(stream, byteCounter(counted), target.stream, { signal: options.signal });
    } else {
      const chunks: Buffer[] = [];
      const collect = new Writable({
        write(chunk: Buffer, _encoding, callback) {
          counted(done + chunk.length);
          if (done > maxBytes) return callback(tooLarge(done, maxBytes));
          chunks.push(chunk);
          callback();
        },
      });
      await pipeline(stream, collect, { signal: options.signal });
      result.buffer = Buffer.concat(chunks);
    }
  } catch (err) {
    throw describeStreamError(err, options.signal);
  }
  result.size = done;
  return result;
}

function rangeHeader(range: DownloadOptions['range'], paths: number): string | undefined {
  if (!range) return undefined;
  const { start, end } = range;
  const whole = (n: unknown) => typeof n === 'number' && Number.isInteger(n) && n >= 0;
  if (paths !== 1) throw inputError('range', 'applies to one file only');
  if (!whole(start) || (end !== undefined && (!whole(end) || end < start))) {
    throw inputError('range', 'must be {start, end?} with whole numbers, end >= start');
  }
  return `bytes=${start}-${end ?? ''}`;
}

function checkMax(maxBytes: number | undefined): number {
  if (maxBytes === undefined) return DEFAULT_MAX_BUFFER;
  if (!Number.isFinite(maxBytes) || maxBytes <= 0)
    throw inputError('maxBytes', 'must be a number of bytes > 0');
  return maxBytes;
}

function tooLarge(size: number, maxBytes: number): DsmError {
  return new DsmError({
    kind: 'input',
    code: 'ETOOLARGE',
    api: DOWNLOAD,
    method: 'download',
    reason: `the download is larger than ${maxBytes} bytes${size > maxBytes ? ` (at least ${size})` : ''}`,
    hint: 'Download to a local file instead of into msg.payload, or raise the size limit.',
  });
}

function describeStreamError(err: unknown, signal?: AbortSignal): DsmError {
  if (err instanceof DsmError) return err;
  if (signal?.aborted)
    return new DsmError({
      kind: 'aborted',
      code: 'ABORTED',
      api: DOWNLOAD,
      method: 'download',
      reason: 'cancelled',
    });
  const e = err as NodeJS.ErrnoException;
  const local = typeof e?.syscall === 'string' && /open|write|rename/.test(e.syscall);
  return new DsmError({
    kind: local ? 'input' : 'network',
    code: e?.code ?? 'ESTREAM',
    api: DOWNLOAD,
    method: 'download',
    reason: local
      ? `cannot write the local file (${e.code})`
      : `the download broke off (${e?.code ?? e?.message})`,
    hint: local ? 'Check the local folder exists and Node-RED may write there.' : undefined,
  });
}
