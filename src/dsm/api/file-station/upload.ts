import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { Readable } from 'node:stream';
import FormData from 'form-data';
import { unwrap, type DsmClient, type SessionRequest } from '../../client';
import { DsmError, inputError } from '../../errors';
import type { ProgressListener } from './background';
import { CHUNK_BYTES, sizedCounter, throttledProgress } from './byte-counter';
import { getInfo } from './listing';
import {
  optionalBoolean,
  optionalFunction,
  optionalTimeout,
  optionalWholeNumber,
  optionsObject,
  describeType,
} from './options';
import { checkDsmPath, checkName, joinPath } from './paths';

const UPLOAD = 'SYNO.FileStation.Upload';

/** What to upload: bytes, text (UTF-8), a stream (give `size` on DSM 6), or a local file by path. */
export type UploadSource = Buffer | Uint8Array | string | Readable | { file: string };

export interface UploadOptions {
  /** Destination folder, e.g. `/photo/snapshots`. */
  folder: string;
  /** File name in that folder. */
  name: string;
  /** true: replace; false: keep the existing file and skip; 'error' (default): fail if it exists. */
  overwrite?: boolean | 'error';
  /** Create missing folders on the way (default true). */
  createParents?: boolean;
  /** Modification time to set, ms since 1970 or a Date. */
  mtime?: number | Date;
  /**
   * Byte length of a stream source. Without it the stream goes chunked (no Content-Length), which DSM 7 takes;
   * DSM 6 and older refuse that (error 1800), so there a stream needs its size.
   */
  size?: number;
  signal?: AbortSignal;
  /** Idle timeout: fails when no byte moves for this long. */
  timeoutMs?: number;
  onProgress?: ProgressListener;
}

export interface UploadResult {
  path: string;
  size: number;
  /** True when `overwrite: false` found the file there and left it alone. */
  skipped: boolean;
}

interface PreparedSource {
  /** undefined: a stream of unknown length, sent chunked. */
  size: number | undefined;
  /** The local file, when the source is one. */
  file?: string;
  /** Opens the content; a stream source can be opened once only. */
  open(): Readable;
  replayable: boolean;
}

async function prepareSource(source: unknown, size: number | undefined): Promise<PreparedSource> {
  if (typeof source === 'string' || Buffer.isBuffer(source) || source instanceof Uint8Array) {
    const bytes = typeof source === 'string' ? Buffer.from(source, 'utf8') : Buffer.from(source);
    return { size: bytes.length, open: () => Readable.from(chunks(bytes)), replayable: true };
  }
  if (source instanceof Readable) {
    if (size !== undefined && (!Number.isInteger(size) || size < 0)) {
      throw inputError('size', 'must be the length of the stream in bytes (a whole number, 0 or more)');
    }
    // An error before the upload reads the stream (say, during the login) stays in `errored` for open() to report;
    // with no listener it would crash the process.
    source.on('error', () => undefined);
    let opened = false;
    return {
      size,
      open: () => {
        if (source.errored) throw sourceFailure(source.errored.message, source.errored);
        if (opened) throw inputError('content', 'the stream was already sent once and cannot be sent again');
        if (source.destroyed || source.readableEnded)
          throw inputError('content', 'the stream was already read or closed before the upload');
        opened = true;
        return source;
      },
      replayable: false,
    };
  }
  if (source && typeof source === 'object' && typeof (source as { file?: unknown }).file === 'string') {
    const file = (source as { file: string }).file;
    const info = await stat(file).catch(() => undefined);
    if (!info) throw inputError('file', `"${file}" does not exist on this machine`);
    if (!info.isFile()) throw inputError('file', `"${file}" is not a file`);
    return {
      size: info.size,
      file,
      open: () => createReadStream(file, { highWaterMark: CHUNK_BYTES }),
      replayable: true,
    };
  }
  throw inputError('content', 'must be a Buffer, a string, a readable stream or { file: "/local/path" }');
}

function* chunks(bytes: Buffer, size = CHUNK_BYTES): Generator<Buffer> {
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

/** Upload v2 takes true/false, v3 "overwrite"/"skip"; leaving it out makes DSM fail on an existing file (1805). */
function overwriteParam(version: number, overwrite: boolean | 'error'): string | undefined {
  if (overwrite === 'error') return undefined;
  if (version >= 3) return overwrite ? 'overwrite' : 'skip';
  return String(overwrite);
}

/**
 * The file part's header. File names are escaped as browsers do (WHATWG multipart: `"` as %22, CR/LF as %0D/%0A,
 * other characters raw UTF-8), which is what DSM's own web uploader sends.
 */
function filePartHeader(boundary: string, name: string): string {
  const escaped = name.replace(/"/g, '%22').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
  return (
    `--${boundary}\r\n` +
    `Content-Disposition: form-data; name="file"; filename="${escaped}"\r\n` +
    'Content-Type: application/octet-stream\r\n\r\n'
  );
}

/** The multipart body, and every stream in it: destroyed when the upload fails, so no file stays open. */
function buildForm(
  req: SessionRequest,
  source: PreparedSource,
  options: UploadOptions,
  folder: string,
  sent: { bytes: number },
): { form: FormData; streams: Readable[] } {
  const form = new FormData();
  // Text fields first: DSM reads the file part last (File Station guide, Upload).
  form.append('path', folder);
  form.append('create_parents', String(options.createParents ?? true));
  const overwrite = overwriteParam(req.resolved.version, options.overwrite ?? 'error');
  if (overwrite !== undefined) form.append('overwrite', overwrite);
  if (options.mtime !== undefined) form.append('mtime', String(new Date(options.mtime).getTime()));
  const total = source.size ?? 0;
  const report = throttledProgress(total, (done) =>
    options.onProgress?.({
      phase: 'upload',
      done,
      total,
      percent: total ? Math.round((done / total) * 1000) / 10 : source.size === 0 ? 100 : 0,
    }),
  );
  if (source.size === 0) {
    // form-data takes a known length of 0 for "unknown" and then cannot tell the body's length: send an empty part.
    form.append('file', Buffer.alloc(0), { header: filePartHeader(form.getBoundary(), options.name) });
    report(0);
    return { form, streams: [] };
  }
  const opened = source.open();
  // The length check and the byte count in one stage after the source, then form-data and the socket.
  const content = opened.pipe(
    sizedCounter(source.size, (done) => {
      sent.bytes = done;
      report(done);
    }),
  );
  // An error of the source ends the upload instead of leaving it waiting.
  opened.on('error', (err) => content.destroy(err));
  // So does a source closed before its end without an error: no more bytes would come.
  opened.on('close', () => {
    if (!opened.readableEnded && !opened.errored)
      content.destroy(sourceFailure('it was closed before its end'));
  });
  // A header of our own: form-data would cut the name at a backslash on Windows (path.basename).
  form.append('file', content, {
    knownLength: source.size,
    header: filePartHeader(form.getBoundary(), options.name),
  });
  return { form, streams: [opened, content] };
}

/** The options besides folder and name, checked before the source is even looked at. */
function checkUploadOptions(options: Partial<UploadOptions>): void {
  optionalBoolean('createParents', options.createParents);
  const { mtime } = options;
  if (mtime !== undefined && !(mtime instanceof Date) && typeof mtime !== 'number')
    throw inputError('mtime', `must be ms since 1970 or a Date, not ${describeType(mtime)}`);
  if (mtime !== undefined && Number.isNaN(new Date(mtime).getTime()))
    throw inputError('mtime', 'is not a valid time');
  optionalWholeNumber('size', options.size);
  optionalTimeout('timeoutMs', options.timeoutMs);
  optionalFunction('onProgress', options.onProgress);
}

/**
 * Why an upload that failed while sending failed: the source (a stream that errored, a local file that went away
 * or changed) is named as such, since the transport can only see a broken request.
 */
function sendingFailure(err: unknown, streams: Readable[], source: PreparedSource): unknown {
  const [opened, content] = streams;
  const sourceError = opened.errored;
  if (sourceError && !(sourceError instanceof DsmError))
    return sourceFailure(sourceError.message, sourceError);
  const contentError = content.errored;
  if (contentError instanceof DsmError && contentError.kind === 'source') return contentError;
  if (contentError instanceof DsmError) {
    // The length check: the stream had more or fewer bytes than declared.
    return source.file
      ? sourceFailure(`"${source.file}" changed while it was read (it had ${source.size} bytes at the start)`)
      : contentError;
  }
  return err;
}

function sourceFailure(problem: string, cause?: Error): DsmError {
  return new DsmError({
    kind: 'source',
    code: (cause as NodeJS.ErrnoException | undefined)?.code ?? 'ESOURCE',
    api: UPLOAD,
    method: 'upload',
    reason: `upload source failed: ${problem}`,
    hint: 'The data to upload could not be read; nothing was kept on the NAS.',
  });
}

/** Uploads one file, streaming: memory use does not grow with the file size. */
export async function upload(
  client: DsmClient,
  source: UploadSource,
  given: UploadOptions,
): Promise<UploadResult> {
  const options = optionsObject(given);
  const folder = checkDsmPath('folder', options.folder);
  const name = checkName('name', options.name);
  const overwrite = options.overwrite ?? 'error';
  if (overwrite !== true && overwrite !== false && overwrite !== 'error') {
    throw inputError('overwrite', 'must be true, false or "error"');
  }
  checkUploadOptions(options);
  const prepared = await prepareSource(source, options.size);
  if (prepared.size === undefined) await checkChunkedUploads(client, options.signal);
  const path = joinPath(folder, name);
  if (overwrite === false && (await exists(client, path, options.signal))) {
    return { path, size: prepared.size ?? 0, skipped: true };
  }
  const sent = { bytes: 0 };
  const uploading = client.request(
    UPLOAD,
    'upload',
    { signal: options.signal, replayable: prepared.replayable, timeoutMs: options.timeoutMs },
    async (req) => {
      const { form, streams } = buildForm(req, prepared, { ...options, folder, name }, folder, sent);
      try {
        const envelope = await client.transport.sendMultipart({
          cgiPath: req.resolved.cgiPath,
          api: UPLOAD,
          method: 'upload',
          query: req.query,
          headers: req.headers,
          body: form,
          length: prepared.size === undefined ? undefined : form.getLengthSync(),
          signal: options.signal,
          timeoutMs: options.timeoutMs,
        });
        return unwrap(envelope, UPLOAD, 'upload');
      } catch (err) {
        const failure = options.signal?.aborted ? err : sendingFailure(err, streams, prepared);
        for (const stream of streams) stream.destroy();
        form.destroy();
        throw failure;
      }
    },
  );
  await inUploadTerms(uploading, path, folder, options.createParents ?? true);
  if (prepared.size === undefined) {
    // Progress of a stream of unknown length had no total: the last report says it is complete.
    options.onProgress?.({ phase: 'upload', done: sent.bytes, total: sent.bytes, percent: 100 });
  }
  return { path, size: prepared.size ?? sent.bytes, skipped: false };
}

/** DSM's upload errors name no path (no `errors` detail): these name the file or folder at fault. */
async function inUploadTerms(
  uploading: Promise<unknown>,
  path: string,
  folder: string,
  createParents: boolean,
): Promise<void> {
  try {
    await uploading;
  } catch (err) {
    if (!(err instanceof DsmError) || err.kind !== 'dsm') throw err;
    if (err.code === 1805)
      throw err.rephrased({ reason: `${path} already exists and no overwrite parameter was given` });
    if (err.code === 408 && !createParents)
      throw err.rephrased({
        reason: `the folder ${folder} does not exist`,
        hint: 'Pass createParents: true, or create the folder first.',
      });
    if (err.code === 408)
      throw err.rephrased({ reason: `${folder} is not a folder, or its shared folder does not exist` });
    throw err;
  }
}

/**
 * A stream of unknown length goes without Content-Length (chunked), which DSM 7 takes (home-assistant/core#138607:
 * "can't reproduce with dsm 7.2") and DSM 5/6 refuse with 1800. DSM 7 is told apart by SYNO.API.Auth: version 7
 * exists from DSM 7 on (API.Info captures of DSM 6.2.2: max 6; DSM 7.0 and 7.2.2: max 7).
 */
async function checkChunkedUploads(client: DsmClient, signal?: AbortSignal): Promise<void> {
  const info = await client.apiInfo(signal);
  if ((info['SYNO.API.Auth']?.maxVersion ?? 0) >= 7) return;
  throw inputError(
    'size',
    'this DSM (before DSM 7) needs the length of a stream in bytes',
    'DSM 6 refuses uploads without Content-Length (error 1800): give the size, or upload a Buffer or a local file.',
  );
}

async function exists(client: DsmClient, path: string, signal?: AbortSignal): Promise<boolean> {
  try {
    const [entry] = await getInfo(client, path, { signal });
    return Boolean(entry) && !entry.code;
  } catch (err) {
    if (err instanceof DsmError && err.code === 408) return false;
    throw err;
  }
}
