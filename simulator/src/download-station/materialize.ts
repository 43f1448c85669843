import { closeSync, ftruncateSync, mkdirSync, openSync, utimesSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { FileSpace } from '../file-station/dsm-path';
import { destinationProblem } from './destination';
import { safeName } from './sources';
import type { DownloadTask } from './task';

/**
 * Puts a finished task's file (or folder of files) into its destination, so File Station sees it. Files are
 * sparse (the size is right, the disk is not filled). An existing file of that name is left as it is.
 * Returns the error_detail when the destination is gone or read-only by then.
 */
export function materialize(
  files: FileSpace,
  task: DownloadTask,
  destination: string,
  now: number,
): string | undefined {
  const problem = destinationProblem(files, destination);
  if (problem) return problem;
  const folder = files.locate(`/${destination}`).fsPath;
  const { source } = task;
  if (!source.files) {
    createSparse(join(folder, source.title), source.size, now);
    return undefined;
  }
  const root = task.files.subfolder ? join(folder, source.title) : folder;
  source.files.forEach((file, index) => {
    if (task.files.wanted && !task.files.wanted.has(index)) return;
    const segments = file.path
      .split('/')
      .map(safeName)
      .filter((segment) => segment !== '');
    if (segments.length > 0) createSparse(join(root, ...segments), file.size, now);
  });
  return undefined;
}

function createSparse(path: string, size: number, now: number): void {
  mkdirSync(dirname(path), { recursive: true });
  let fd: number;
  try {
    fd = openSync(path, 'wx');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return;
    throw error;
  }
  try {
    ftruncateSync(fd, size);
  } finally {
    closeSync(fd);
  }
  utimesSync(path, now / 1000, now / 1000);
}
