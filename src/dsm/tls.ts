import { X509Certificate } from 'node:crypto';
import https from 'node:https';
import { connect as tlsConnect, type TLSSocket } from 'node:tls';
import { isIP } from 'node:net';
import type { Duplex } from 'node:stream';
import { inputError } from './errors';

/** How the client checks the NAS certificate. Set per connection, never process-wide. */
export type TlsOptions =
  { mode?: 'verify' } | { mode: 'ca'; ca: string } | { mode: 'fingerprint'; fingerprint: string };

/** Raised by the pinning agent when the certificate is not the pinned one. */
export class FingerprintMismatchError extends Error {
  readonly code = 'CERT_FINGERPRINT_MISMATCH';
  constructor(
    readonly expected: string,
    readonly seen: string,
  ) {
    super(`certificate fingerprint ${seen} is not the pinned ${expected}`);
    this.name = 'FingerprintMismatchError';
  }
}

/** `AB:CD:...` upper case from any of `abcd...`, `ab:cd`, `sha256/AB CD`. Throws on anything else. */
export function normalizeFingerprint(input: string, field = 'tls.fingerprint'): string {
  const hex = input
    .trim()
    .replace(/^sha-?256[:/= ]*/i, '')
    .replace(/[\s:]/g, '')
    .toUpperCase();
  if (!/^[0-9A-F]{64}$/.test(hex)) {
    throw inputError(
      field,
      'must be a SHA-256 fingerprint: 64 hex digits, colons allowed',
      'In a browser, open the certificate details of the NAS page and copy the SHA-256 fingerprint.',
    );
  }
  return hex.replace(/(..)(?!$)/g, '$1:');
}

/** A PEM CA certificate, or an input error naming `field`. */
export function checkCaPem(ca: unknown, field = 'tls.ca'): string {
  if (typeof ca !== 'string' || !/-----BEGIN CERTIFICATE-----/.test(ca)) {
    throw inputError(field, 'must be a PEM certificate (-----BEGIN CERTIFICATE-----)');
  }
  try {
    new X509Certificate(ca);
  } catch {
    throw inputError(field, 'is not a readable PEM certificate');
  }
  return ca;
}

/** An https.Agent that enforces the chosen TLS mode on every connection it makes. */
export function createHttpsAgent(tls: TlsOptions | undefined, agentOptions: https.AgentOptions): https.Agent {
  const mode = tls?.mode ?? 'verify';
  if (mode === 'verify') return new https.Agent({ ...agentOptions, rejectUnauthorized: true });
  if (mode === 'ca') {
    const ca = checkCaPem((tls as { ca: string }).ca);
    return new https.Agent({ ...agentOptions, ca, rejectUnauthorized: true });
  }
  const expected = normalizeFingerprint((tls as { fingerprint: string }).fingerprint);
  return new PinningAgent(expected, agentOptions);
}

/**
 * Accepts exactly one certificate, by SHA-256 fingerprint, whoever signed it (self-signed NAS certificates).
 * The check runs on 'secureConnect', before any request byte leaves, as Node's own verification does.
 */
class PinningAgent extends https.Agent {
  constructor(
    private readonly expected: string,
    options: https.AgentOptions,
  ) {
    // No TLS session reuse: every connection shows its certificate and is checked.
    super({ ...options, rejectUnauthorized: false, maxCachedSessions: 0 });
  }

  override createConnection(...args: Parameters<https.Agent['createConnection']>): Duplex {
    const createConnection = https.Agent.prototype.createConnection as (...a: unknown[]) => Duplex;
    const socket = createConnection.apply(this, args) as TLSSocket;
    socket.once('secureConnect', () => {
      const seen = socket.getPeerCertificate()?.fingerprint256 ?? 'none';
      if (seen !== this.expected) socket.destroy(new FingerprintMismatchError(this.expected, seen));
    });
    return socket;
  }
}

/** The SHA-256 fingerprint a server shows, read without sending anything: for error hints. */
export function peekFingerprint(host: string, port: number, timeoutMs = 5000): Promise<string | undefined> {
  return new Promise((resolve) => {
    const socket = tlsConnect({
      host,
      port,
      servername: isIP(host) ? undefined : host,
      rejectUnauthorized: false,
    });
    const finish = (fp?: string) => {
      socket.destroy();
      resolve(fp);
    };
    socket.setTimeout(timeoutMs, () => finish());
    socket.once('secureConnect', () => finish(socket.getPeerCertificate()?.fingerprint256));
    socket.once('error', () => finish());
  });
}
