import { DsmApiError } from '../dsm-error';

/** File operation codes shared by every File Station API (File Station guide, "Common Error Codes"). */
export const FileError = {
  InvalidParameter: 400,
  Unknown: 401,
  NotPermitted: 407,
  NoSuchFile: 408,
  ReadOnly: 411,
  NameTooLong: 412,
  Exists: 414,
  QuotaExceeded: 415,
  NoSpace: 416,
  IoError: 417,
  IllegalPath: 418,
  IllegalName: 419,
  NoSuchTask: 599,
} as const;

/** API-specific codes (File Station guide, "API Error Code" of each API). */
export const ApiError = {
  DeleteFailed: 900,
  CopyFailed: 1000,
  MoveFailed: 1001,
  DestinationFailed: 1002,
  OverwriteNotGiven: 1003,
  FileFolderConflict: 1004,
  CreateFolderFailed: 1100,
  RenameFailed: 1200,
  CompressFailed: 1300,
  ArchiveNameTooLong: 1301,
  ExtractFailed: 1400,
  NotAnArchive: 1401,
  ArchiveUnreadable: 1402,
  WrongPassword: 1403,
  NoSuchArchiveItem: 1405,
  UploadLengthMissing: 1800,
  UploadNoFile: 1802,
  UploadExists: 1805,
  NoSuchLink: 2000,
} as const;

/** One file that failed: becomes `{code, path}` in the `errors` of the API's own code, or the top code. */
export class FileFailure extends Error {
  constructor(
    readonly code: number,
    readonly path: string,
  ) {
    super(`File Station error ${code} at ${path}`);
    this.name = 'FileFailure';
  }
}

/**
 * The DSM error for a failure: `{code: top, errors: [{code, path}]}` under an API code such as 1100, or just
 * `{code}` without one. Node errno failures become the guide's codes; anything else is rethrown.
 */
export function toDsmError(error: unknown, top?: number, path = ''): DsmApiError {
  if (error instanceof DsmApiError) return error;
  const failure = error instanceof FileFailure ? error : errnoFailure(error, path);
  if (top === undefined) return new DsmApiError(failure.code);
  return new DsmApiError(top, [{ code: failure.code, path: failure.path }]);
}

const ERRNO_CODES: Record<string, number> = {
  ENOENT: FileError.NoSuchFile,
  ENOTDIR: FileError.NoSuchFile,
  EEXIST: FileError.Exists,
  EACCES: FileError.NotPermitted,
  EPERM: FileError.NotPermitted,
  EROFS: FileError.ReadOnly,
  ENAMETOOLONG: FileError.NameTooLong,
  EDQUOT: FileError.QuotaExceeded,
  ENOSPC: FileError.NoSpace,
  EIO: FileError.IoError,
  EINVAL: FileError.IllegalName,
};

/** A Node file-system error as the File Station code DSM reports for it (401 for the rest). */
export function errnoFailure(error: unknown, path: string): FileFailure {
  if (error instanceof FileFailure) return error;
  const errno = (error as NodeJS.ErrnoException | undefined)?.code;
  if (errno === undefined) throw error;
  return new FileFailure(ERRNO_CODES[errno] ?? FileError.Unknown, path);
}
