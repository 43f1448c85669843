import { DsmError } from '../../errors';

/**
 * A 408 that names no path (DSM sends `errors` only with batch codes such as 1100 or 1300) said of the paths the
 * call was given: "/home/a.txt does not exist", or "one of /a, /b does not exist" for several.
 */
export async function namingMissing<T>(paths: string | readonly string[], work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (err) {
    if (!(err instanceof DsmError) || err.kind !== 'dsm' || err.code !== 408 || err.failures.length > 0)
      throw err;
    const list = typeof paths === 'string' ? [paths] : paths;
    const reason =
      list.length === 1 ? `${list[0]} does not exist` : `one of ${list.join(', ')} does not exist`;
    throw err.rephrased({ reason });
  }
}

/** A batch error whose failed path is the destination folder, missing: the hint says to create it. */
export async function explainDestination<T>(folder: string, work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (err) {
    const missing = err instanceof DsmError && err.failures.some((f) => f.code === 408 && f.path === folder);
    if (!missing) throw err;
    throw err.rephrased({
      hint: `The destination folder ${folder} does not exist: create it first (createFolder).`,
    });
  }
}

/** Extract's archive codes (File Station guide, Extract "API Error Code") said of the archive they concern. */
const ARCHIVE_PROBLEMS: Readonly<Record<number, string>> = {
  1401: 'cannot be opened as an archive',
  1402: 'could not be read: failed to read archive data',
  1403: 'needs another password: wrong archive password',
  1404: 'could not be listed',
};

export async function namingArchive<T>(archive: string, work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (err) {
    if (!(err instanceof DsmError) || err.kind !== 'dsm') throw err;
    const problem = ARCHIVE_PROBLEMS[Number(err.code)];
    if (!problem) throw err;
    throw err.rephrased({ reason: `${archive} ${problem}` });
  }
}
