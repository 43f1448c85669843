import { createReadStream } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { once } from 'node:events';
import { pipeline } from 'node:stream/promises';
import { Zip, ZipPassThrough } from 'fflate';
import { CommonError, DsmApiError } from '../dsm-error';
import type { FileRecord, FileSpace } from '../file-station/dsm-path';
import { FileError, FileFailure } from '../file-station/errors';
import { contentDisposition, mimeType } from '../file-station/mime';
import { walkTree } from '../file-station/tree';
import { RawAnswer, type ApiCall, type ApiHandler } from './api-handler';

type Mode = 'open' | 'download';

/** Zip entries cannot date from before 1980 (DOS time). */
const DOS_EPOCH_MS = Date.UTC(1980, 0, 2);

/**
 * One file: its bytes (Range supported). A folder or several paths: a zip, streamed (stored, not
 * deflated). Errors are DSM JSON; with mode=open they come with HTTP 404 (guide, Download note).
 */
async function download(call: ApiCall): Promise<RawAnswer> {
  const { params, sim } = call;
  const mode = readMode(params.text('mode'));
  const httpStatus = mode === 'open' ? 404 : 200;
  const paths = params.list('path');
  if (!paths || paths.length === 0)
    throw new DsmApiError(CommonError.MissingParameter, undefined, httpStatus);
  const records: FileRecord[] = [];
  for (const path of paths) {
    try {
      records.push(await sim.files.find(path));
    } catch (error) {
      const code = error instanceof FileFailure ? error.code : FileError.NoSuchFile;
      throw new DsmApiError(code, undefined, httpStatus);
    }
  }
  const { req } = call.http;
  if (records.length === 1 && !records[0].stats.isDirectory()) {
    return new RawAnswer((res) => sendFile(req, res, records[0], mode));
  }
  const name = records.length === 1 ? `${records[0].location.name}.zip` : 'download.zip';
  return new RawAnswer((res) => sendZip(sim.files, res, records, name, mode));
}

/** open (the default), download, or serve: what clients that show images send, served as open. */
function readMode(value: string | undefined): Mode {
  if (!value || value === 'open' || value === 'serve') return 'open';
  if (value === 'download') return 'download';
  throw new DsmApiError(CommonError.InvalidParameter);
}

async function sendFile(
  req: IncomingMessage,
  res: ServerResponse,
  record: FileRecord,
  mode: Mode,
): Promise<void> {
  const { size } = record.stats;
  const { name, fsPath } = record.location;
  res.setHeader('Content-Type', mode === 'download' ? 'application/octet-stream' : mimeType(name));
  if (mode === 'download') res.setHeader('Content-Disposition', contentDisposition('attachment', name));
  res.setHeader('Accept-Ranges', 'bytes');
  res.setHeader('Last-Modified', record.stats.mtime.toUTCString());
  const range = parseRange(req.headers.range, size);
  if (range === 'unsatisfiable') {
    res.statusCode = 416;
    res.setHeader('Content-Range', `bytes */${size}`);
    res.end();
    return;
  }
  if (range) {
    res.statusCode = 206;
    res.setHeader('Content-Range', `bytes ${range.start}-${range.end}/${size}`);
  }
  const start = range?.start ?? 0;
  const end = range?.end ?? size - 1;
  res.setHeader('Content-Length', Math.max(0, end - start + 1));
  if (end < start) {
    res.end();
    return;
  }
  await pipeline(createReadStream(fsPath, { start, end }), res);
}

/**
 * A single `bytes=a-b`, `bytes=a-` or `bytes=-n` range; undefined (whole file) for no header, a malformed
 * one or several ranges.
 */
export function parseRange(
  header: string | undefined,
  size: number,
): { start: number; end: number } | 'unsatisfiable' | undefined {
  const match = /^bytes=(\d*)-(\d*)$/.exec(header?.trim() ?? '');
  if (!match || (match[1] === '' && match[2] === '')) return undefined;
  if (match[1] === '') {
    const suffix = Number(match[2]);
    if (suffix === 0 || size === 0) return 'unsatisfiable';
    return { start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(match[1]);
  const end = match[2] === '' ? size - 1 : Math.min(Number(match[2]), size - 1);
  if (start >= size || end < start) return 'unsatisfiable';
  return { start, end };
}

async function sendZip(
  space: FileSpace,
  res: ServerResponse,
  records: FileRecord[],
  name: string,
  mode: Mode,
): Promise<void> {
  res.setHeader('Content-Type', 'application/zip');
  res.setHeader(
    'Content-Disposition',
    contentDisposition(mode === 'download' ? 'attachment' : 'inline', name),
  );
  let failure: Error | undefined;
  const zip = new Zip((error, chunk, final) => {
    if (error) failure = error;
    else res.write(chunk);
    if (final) res.end();
  });
  const drain = async (): Promise<void> => {
    if (res.writableNeedDrain && !res.destroyed) await once(res, 'drain');
    if (res.destroyed) throw new Error('client went away');
    if (failure) throw failure;
  };
  for (const root of records) {
    for (const entry of await walkTree(space, root)) {
      // A link is not followed, so it has no content to send.
      if (entry.stats.isSymbolicLink()) continue;
      const isDir = entry.stats.isDirectory();
      const file = new ZipPassThrough(isDir ? `${entry.relative}/` : entry.relative);
      file.mtime = Math.max(entry.stats.mtimeMs, DOS_EPOCH_MS);
      zip.add(file);
      if (!isDir) {
        for await (const chunk of createReadStream(entry.location.fsPath)) {
          file.push(chunk as Buffer);
          await drain();
        }
      }
      file.push(new Uint8Array(0), true);
      await drain();
    }
  }
  zip.end();
}

export const fileStationDownloadHandler: ApiHandler = { methods: { download } };
