import { createHash } from 'node:crypto';
import { deflateSync } from 'node:zlib';

/** Width x height of each Thumb `size` (landscape; rotate 1 and 3 swap them). */
const SIZES: Record<string, readonly [number, number]> = {
  small: [120, 90],
  medium: [320, 240],
  large: [800, 600],
  original: [1280, 960],
};

export function thumbnailSize(size: string, rotate: number): readonly [number, number] | undefined {
  const dimensions = SIZES[size];
  if (!dimensions) return undefined;
  return rotate % 2 === 1 ? [dimensions[1], dimensions[0]] : dimensions;
}

/**
 * A thumbnail made by code: a PNG (RGB, 8 bits) with a vertical gradient between two colours taken from `seed`,
 * so each file has its own picture and the same one every time. No image library needed.
 */
export function thumbnailPng(width: number, height: number, seed: string): Buffer {
  const digest = createHash('md5').update(seed).digest();
  const rowLength = 1 + width * 3;
  const pixels = Buffer.alloc(rowLength * height);
  for (let y = 0; y < height; y += 1) {
    const t = height > 1 ? y / (height - 1) : 0;
    const rgb = [0, 1, 2].map((c) => Math.round(digest[c] * (1 - t) + digest[c + 3] * t));
    const row = y * rowLength;
    // pixels[row] stays 0: PNG filter type "None" for every row.
    for (let x = 0; x < width; x += 1) pixels.set(rgb, row + 1 + x * 3);
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(pixels)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

function chunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k += 1) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes: Buffer): number {
  let crc = 0xffffffff;
  for (const byte of bytes) crc = CRC_TABLE[(crc ^ byte) & 0xff] ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}
