/** Common error codes of every DSM Web API (DSM Login Web API guide, "Common Error Codes"). */
export const CommonError = {
  Unknown: 100,
  MissingApiMethodOrVersion: 101,
  NoSuchApi: 102,
  NoSuchMethod: 103,
  VersionNotSupported: 104,
  NoPermission: 105,
  SessionTimeout: 106,
  SessionInterruptedByDuplicateLogin: 107,
  MissingParameter: 114,
  InvalidSession: 119,
  InvalidParameter: 120,
} as const;

/** SYNO.API.Auth error codes. */
export const AuthError = {
  BadCredentials: 400,
  OtpRequired: 403,
  OtpFailed: 404,
  IpBlocked: 407,
} as const;

/** Thrown by handlers to answer `{success:false, error:{code, errors?}}` (HTTP 200 unless httpStatus says). */
export class DsmApiError extends Error {
  constructor(
    readonly code: number,
    readonly errors?: unknown,
    readonly httpStatus = 200,
  ) {
    super(`DSM error ${code}`);
    this.name = 'DsmApiError';
  }
}
