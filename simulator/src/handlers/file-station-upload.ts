import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { lstat, mkdir, rename, rm, stat, utimes } from 'node:fs/promises';
import type { IncomingMessage } from 'node:http';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import busboy from 'busboy';
import { CommonError, DsmApiError } from '../dsm-error';
import { type DsmLocation, UPLOAD_TEMP_PREFIX } from '../file-station/dsm-path';
import { ApiError, FileError, FileFailure, toDsmError } from '../file-station/errors';
import { noteFormFields, noteFormFile } from '../multipart-form';
import type { ParamReader } from '../params';
import type { ApiCall, ApiHandler } from './api-handler';

const MAX_FIELD_BYTES = 64 * 1024;
const PARSER_BUFFER_BYTES = 4 << 20;
const FILE_BUFFER_BYTES = 1 << 20;
const UPLOAD_CANCELLED = 1803;

interface UploadAnswer {
  blSkip: boolean;
  file: string;
  pid: number;
  progress: number;
}

type OverwriteMode = 'overwrite' | 'skip' | 'ask';

/** The upload's parameters, all read (114, 120) before anything touches the disk. */
interface UploadOptions {
  readonly folder: DsmLocation;
  readonly target: DsmLocation;
  readonly overwrite: OverwriteMode;
  readonly createParents: boolean;
  /** Unix ms; -1 keeps the time the file gets. */
  readonly mtime: number;
  readonly atime: number;
}

class UploadAborted extends Error {}

/**
 * POST multipart/form-data; api, version, method and _sid come from the query string (a _sid in the body is
 * not seen: 119), the text fields precede the file part, which is streamed to a temporary file next to the
 * target and renamed into place once complete. No Content-Length (chunked): 1800 (guide, Upload error codes)
 * unless the profile takes chunked uploads, as DSM 7.2 does.
 */
async function upload(call: ApiCall): Promise<UploadAnswer> {
  const { req } = call.http;
  const unsized = req.headers['content-length'] === undefined;
  if (unsized && !call.sim.profile.chunkedUploads) throw new DsmApiError(ApiError.UploadLengthMissing);
  if (!/^multipart\/form-data/i.test(req.headers['content-type'] ?? '')) {
    throw new DsmApiError(ApiError.UploadNoFile);
  }
  return receive(call, req);
}

function receive(call: ApiCall, req: IncomingMessage): Promise<UploadAnswer> {
  return new Promise((resolve, reject) => {
    const fields = new Map<string, string>();
    let stored: Promise<UploadAnswer> | undefined;
    let fileStream: Readable | undefined;
    let parser: busboy.Busboy;
    try {
      parser = busboy({
        headers: req.headers,
        defParamCharset: 'utf8',
        preservePath: true,
        limits: { fieldSize: MAX_FIELD_BYTES },
        // 4 MiB taken in ahead of the parser (default 16 KiB): while the disk catches up, the socket is paused a
        // fifth as often, and the kernel time per uploaded GiB falls to a plain server's. A larger buffer for the
        // file part (fileHwm) changed nothing measurable.
        highWaterMark: PARSER_BUFFER_BYTES,
      });
    } catch {
      // e.g. a multipart Content-Type without a boundary
      reject(new DsmApiError(ApiError.UploadNoFile));
      return;
    }
    parser.on('field', (name, value) => {
      // DSM reads the fields before the file part; later ones are ignored.
      if (!stored) fields.set(name, value);
    });
    parser.on('file', (_name, stream, info) => {
      if (stored) {
        stream.resume();
        return;
      }
      fileStream = stream;
      const filename = decodeFilename(info.filename);
      noteFormFields(req, fields);
      noteFormFile(req, filename);
      // The part may fail (a body longer than its Content-Length) before store() pipes it: the pipe reports it then.
      stream.on('error', () => undefined);
      stored = store(call, call.params.withOverrides(fields), filename, stream);
      stored.catch(() => undefined);
    });
    parser.on('close', () => {
      // A body that ends early (the client went away) surfaces here as a stream error: DSM calls it cancelled.
      if (stored)
        stored.then(resolve, (err: unknown) =>
          reject(err instanceof DsmApiError ? err : new DsmApiError(UPLOAD_CANCELLED)),
        );
      else reject(new DsmApiError(ApiError.UploadNoFile));
    });
    /** Ends the upload as cancelled (1803) once the partial file is gone. */
    const cancel = (reason: string): void => {
      fileStream?.destroy(new UploadAborted(reason));
      const cleaned = stored ?? Promise.resolve();
      cleaned.catch(() => undefined).then(() => reject(new DsmApiError(UPLOAD_CANCELLED)));
    };
    parser.on('error', (error) => cancel(String(error)));
    req.on('close', () => {
      if (req.complete) return;
      // The client went away half way: nobody reads the answer.
      parser.destroy();
      cancel('client disconnected');
    });
    req.pipe(parser);
  });
}

/**
 * Browsers (and undici's FormData) send `"`, CR and LF in a filename as %22, %0D and %0A (WHATWG
 * multipart/form-data); decode them as the WHATWG parser does. `\"` escapes and filename* also work.
 */
function decodeFilename(filename: string | undefined): string | undefined {
  return filename?.replace(/%(22|0D|0A)/gi, (_match, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

async function store(
  call: ApiCall,
  params: ParamReader,
  filename: string | undefined,
  stream: Readable,
): Promise<UploadAnswer> {
  let options: UploadOptions;
  let target: DsmLocation | undefined;
  try {
    if (!filename) throw new DsmApiError(ApiError.UploadNoFile);
    options = readOptions(call, params, filename);
    target = await prepareTarget(call, options);
  } catch (error) {
    stream.resume();
    throw toDsmError(error);
  }
  if (!target) return skipped(stream, filename);
  const temp = join(
    call.sim.files.parent(target).fsPath,
    `${UPLOAD_TEMP_PREFIX}${randomBytes(6).toString('hex')}`,
  );
  try {
    // A 1 MiB buffer: the socket's 64 KiB parts that come in while a write is on the disk go in one writev.
    await pipeline(stream, createWriteStream(temp, { flags: 'wx', highWaterMark: FILE_BUFFER_BYTES }));
    await rename(temp, target.fsPath);
  } catch (error) {
    await rm(temp, { force: true });
    if (error instanceof UploadAborted) throw new DsmApiError(UPLOAD_CANCELLED);
    throw toDsmError(error, undefined, target.path);
  }
  await applyTimes(options, target.fsPath);
  return { blSkip: false, file: target.name, pid: process.pid, progress: 1 };
}

function readOptions(call: ApiCall, params: ParamReader, filename: string): UploadOptions {
  const space = call.sim.files;
  const folder = space.locate(params.requiredText('path'));
  // crtime cannot be set on Linux, but a malformed one is refused as DSM does.
  params.int('crtime', -1);
  return {
    folder,
    target: space.child(folder, filename),
    overwrite: readOverwrite(params),
    createParents: params.bool('create_parents', false),
    mtime: params.int('mtime', -1),
    atime: params.int('atime', -1),
  };
}

/**
 * The target file, or undefined when an existing one is to be skipped. An existing link there is a file
 * that overwrite replaces (the link, not what it points to).
 */
async function prepareTarget(call: ApiCall, options: UploadOptions): Promise<DsmLocation | undefined> {
  const space = call.sim.files;
  const { folder, target, overwrite } = options;
  if (!(await space.shareExists(folder.share))) throw new FileFailure(FileError.NoSuchFile, folder.path);
  space.assertWritable(folder);
  await space.confineTarget(target);
  const folderStats = await stat(folder.fsPath).catch(() => undefined);
  if (!folderStats) {
    if (!options.createParents) throw new FileFailure(FileError.NoSuchFile, folder.path);
    await mkdir(folder.fsPath, { recursive: true });
  } else if (!folderStats.isDirectory()) {
    throw new FileFailure(FileError.NoSuchFile, folder.path);
  }
  const existing = await lstat(target.fsPath).catch(() => undefined);
  if (!existing) return target;
  if (existing.isDirectory()) throw new FileFailure(FileError.Exists, target.path);
  if (overwrite === 'ask') throw new DsmApiError(ApiError.UploadExists);
  return overwrite === 'overwrite' ? target : undefined;
}

/**
 * overwrite: true/"overwrite" replace, false/"skip" skip (version 2 takes booleans, version 3 the words;
 * both are accepted in either); absent answers 1805 when the file exists.
 */
function readOverwrite(params: ParamReader): OverwriteMode {
  const value = params.text('overwrite')?.toLowerCase();
  if (value === undefined || value === '') return 'ask';
  if (value === 'true' || value === 'overwrite') return 'overwrite';
  if (value === 'false' || value === 'skip') return 'skip';
  throw new DsmApiError(CommonError.InvalidParameter);
}

async function skipped(stream: Readable, filename: string): Promise<UploadAnswer> {
  stream.resume();
  return { blSkip: true, file: filename, pid: process.pid, progress: 1 };
}

/** mtime and atime are unix milliseconds. */
async function applyTimes({ mtime, atime }: UploadOptions, fsPath: string): Promise<void> {
  if (mtime < 0 && atime < 0) return;
  const current = await stat(fsPath);
  await utimes(
    fsPath,
    (atime < 0 ? current.atimeMs : atime) / 1000,
    (mtime < 0 ? current.mtimeMs : mtime) / 1000,
  );
}

export const fileStationUploadHandler: ApiHandler = {
  // Real DSM may answer uploads as text/plain (wire notes): clients must parse the body whatever the type.
  answerContentType: 'text/plain; charset=utf-8',
  methods: { upload },
};
