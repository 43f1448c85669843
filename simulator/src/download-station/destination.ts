import { statSync } from 'node:fs';
import type { FileSpace } from '../file-station/dsm-path';
import { DsmApiError } from '../dsm-error';
import { TaskError } from './errors';

/**
 * Checks a share-relative destination (`downloads`, `video/dl`) and returns it normalised. DSM wants no leading
 * slash and no /volumeN: those answer 403 like a missing folder (Medusa #3104); a read-only share 402.
 */
export function checkDestination(files: FileSpace, destination: string): string {
  const problem = destinationProblem(files, destination);
  if (problem === 'destination_not_exist') throw new DsmApiError(TaskError.DestinationMissing);
  if (problem === 'destination_denied') throw new DsmApiError(TaskError.DestinationDenied);
  return normalise(destination);
}

/** What stops a task from writing into the destination, as an error_detail; undefined when nothing does. */
export function destinationProblem(
  files: FileSpace,
  destination: string,
): 'destination_not_exist' | 'destination_denied' | undefined {
  const normalised = normalise(destination);
  if (destination.startsWith('/') || normalised === '') return 'destination_not_exist';
  let fsPath: string;
  let readOnly: boolean;
  try {
    const location = files.locate(`/${normalised}`);
    fsPath = location.fsPath;
    readOnly = files.isReadOnly(location);
  } catch {
    return 'destination_not_exist';
  }
  if (!statSync(fsPath, { throwIfNoEntry: false })?.isDirectory()) return 'destination_not_exist';
  return readOnly ? 'destination_denied' : undefined;
}

function normalise(destination: string): string {
  return destination.trim().replace(/\/+$/, '');
}
