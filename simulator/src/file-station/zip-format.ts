/** Zip container constants and helpers shared by the reader and the writer (PKWARE APPNOTE 4.3). */
export const LOCAL_HEADER_SIGNATURE = 0x04034b50;
export const CENTRAL_HEADER_SIGNATURE = 0x02014b50;
export const END_OF_CENTRAL_SIGNATURE = 0x06054b50;
export const DATA_DESCRIPTOR_SIGNATURE = 0x08074b50;

export const FLAG_ENCRYPTED = 0x1;
export const FLAG_DATA_DESCRIPTOR = 0x8;
export const FLAG_UTF8 = 0x800;

export const METHOD_STORE = 0;
export const METHOD_DEFLATE = 8;

export const LOCAL_HEADER_BYTES = 30;
export const CENTRAL_HEADER_BYTES = 46;
export const END_OF_CENTRAL_BYTES = 22;
/** Sizes and offsets above this need zip64, which the simulator does not write or read. */
export const MAX_ZIP32 = 0xfffffffe;

/** MS-DOS date and time (local time, 2-second resolution) of a date; clamped to 1980..2107. */
export function toDosDateTime(date: Date): { time: number; date: number } {
  const year = Math.min(Math.max(date.getFullYear(), 1980), 2107);
  return {
    time: (date.getHours() << 11) | (date.getMinutes() << 5) | (date.getSeconds() >> 1),
    date: ((year - 1980) << 9) | ((date.getMonth() + 1) << 5) | date.getDate(),
  };
}

export function fromDosDateTime(time: number, date: number): Date {
  return new Date(
    (date >> 9) + 1980,
    ((date >> 5) & 0xf) - 1,
    date & 0x1f,
    time >> 11,
    (time >> 5) & 0x3f,
    (time & 0x1f) * 2,
  );
}

/** The last byte of the encryption header: the CRC's high byte, or the time's with a data descriptor. */
export function zipCheckByte(flags: number, crc: number, dosTime: number): number {
  return flags & FLAG_DATA_DESCRIPTOR ? (dosTime >> 8) & 0xff : crc >>> 24;
}
