import { createReadStream } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { CommonError, DsmApiError } from '../dsm-error';
import type { FileRecord, FileSpace } from '../file-station/dsm-path';
import { FileError, FileFailure } from '../file-station/errors';
import { contentDisposition, mimeType } from '../file-station/mime';
import { writeTreeZip } from '../file-station/tree-zip';
import { RawAnswer, type ApiCall, type ApiHandler } from './api-handler';

type Mode = 'open' | 'download';

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
  // 1 MiB reads (not the 64 KiB default): a sixteenth of the reads and socket writes.
  await pipeline(createReadStream(fsPath, { start, end, highWaterMark: 1 << 20 }), res);
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
  await writeTreeZip(space, records, Writable.toWeb(res));
}

export const fileStationDownloadHandler: ApiHandler = { methods: { download } };
