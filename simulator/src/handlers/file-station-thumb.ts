import { extname } from 'node:path';
import { sendNotFound } from '../http-io';
import { thumbnailPng, thumbnailSize } from '../file-station/thumbnail-png';
import { RawAnswer, type ApiCall, type ApiHandler } from './api-handler';

/** The image formats the File Station guide lists for Thumb (videos need an indexed folder: not simulated). */
const IMAGE_EXTENSIONS = new Set(
  (
    'jpg jpeg jpe bmp png tif tiff gif arw srf sr2 dcr k25 kdc cr2 crw nef mrw ptx pef raf 3fr erf mef mos orf ' +
    'rw2 dng x3f heic raw'
  ).split(' '),
);

/**
 * A thumbnail of an image file, as image bytes; errors are plain HTTP statuses, 404 (guide, Thumb "API Error
 * Code"). The picture is generated (see thumbnail-png.ts), not scaled from the file.
 */
async function get(call: ApiCall): Promise<RawAnswer> {
  const { params, sim } = call;
  const path = params.text('path');
  const rotate = params.int('rotate', 0);
  const dimensions =
    rotate >= 0 && rotate <= 4 ? thumbnailSize(params.text('size') || 'small', rotate) : undefined;
  const record = path ? await sim.files.find(path).catch(() => undefined) : undefined;
  if (!record || !dimensions || record.stats.isDirectory() || !isImage(record.location.name)) {
    return new RawAnswer(async (res) => sendNotFound(res));
  }
  const png = thumbnailPng(dimensions[0], dimensions[1], `${record.location.path}:${record.stats.mtimeMs}`);
  return new RawAnswer(async (res) => {
    res.setHeader('Content-Type', 'image/png');
    res.setHeader('Content-Length', png.length);
    res.setHeader('Last-Modified', record.stats.mtime.toUTCString());
    res.end(png);
  });
}

function isImage(name: string): boolean {
  return IMAGE_EXTENSIONS.has(extname(name).slice(1).toLowerCase());
}

export const fileStationThumbHandler: ApiHandler = { methods: { get } };
