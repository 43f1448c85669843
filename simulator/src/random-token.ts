import { randomBytes } from 'node:crypto';

/** A random URL-safe token, as DSM uses for sids, SynoTokens and device ids. */
export function randomToken(bytes: number): string {
  return randomBytes(bytes).toString('base64url');
}
