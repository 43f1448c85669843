export { DsmClient } from './client';
export type { DsmClientOptions, CallOptions, LoginOptions, ConnectionState } from './client';
export { DsmError, inputError } from './errors';
export type { DsmErrorKind, DsmErrorFields } from './errors';
export type { TlsOptions } from './tls';
export type { ApiInfoEntry, ApiInfoMap } from './discovery';
export { describeDsmCode } from './error-codes';
export { FileStation } from './api/file-station';
export type * from './api/file-station';
