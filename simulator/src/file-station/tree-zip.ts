import type { FileRecord, FileSpace } from './dsm-path';
import { walkTree } from './tree';
import { ZipFileWriter } from './zip-writer';

/**
 * Streams the files and folders below the records into `out` as a zip of stored (not deflated) entries, and
 * closes it. Links are left out: they are not followed, so they have no content to send.
 */
export async function writeTreeZip(
  space: FileSpace,
  records: readonly FileRecord[],
  out: WritableStream<Uint8Array>,
): Promise<void> {
  const writer = new ZipFileWriter(out, { level: 0 });
  for (const root of records) {
    for (const { stats, relative, location } of await walkTree(space, root)) {
      if (stats.isSymbolicLink()) continue;
      if (stats.isDirectory()) await writer.addDirectory(relative, stats.mtime, stats.mode);
      else await writer.addFile(relative, stats.mtime, stats.mode, location.fsPath);
    }
  }
  await writer.finish();
}
