import { Secret, TOTP } from 'otpauth';
import { inputError } from './errors';

/** The current 6-digit code for a base32 TOTP secret (RFC 6238, SHA-1, 30 s), as DSM's authenticator expects. */
export function totpCode(base32Secret: string, timestamp = Date.now()): string {
  const cleaned = base32Secret.replace(/[\s-]/g, '').toUpperCase();
  if (!/^[A-Z2-7]+=*$/.test(cleaned) || cleaned.length < 16) {
    throw inputError(
      'totpSecret',
      'must be the base32 secret shown when 2FA was set up (letters A-Z, digits 2-7)',
    );
  }
  return new TOTP({ secret: Secret.fromBase32(cleaned), algorithm: 'SHA1', digits: 6, period: 30 }).generate({
    timestamp,
  });
}
