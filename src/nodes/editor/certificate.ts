import { isIP } from 'node:net';
import { connect as tlsConnect, type PeerCertificate } from 'node:tls';

/** What the editor shows of a certificate the connection refused, so that the user can compare and pin it. */
export interface CertificateSummary {
  /** SHA-256, `AB:CD:…` as the pin field takes it. */
  fingerprint: string;
  /** `CN=nas.local, O=Synology` */
  subject: string;
  issuer: string;
  /** ISO 8601 */
  validFrom: string;
  validTo: string;
  /** The names it is valid for (subjectAltName), e.g. `DNS:nas.local, IP Address:192.168.1.10`. */
  altNames?: string;
  selfSigned: boolean;
}

/**
 * Reads the certificate a server shows, without verifying it and without sending anything after the handshake:
 * no request, no credential. Undefined when there is no TLS answer within `timeoutMs`.
 */
export function peekCertificate(
  host: string,
  port: number,
  timeoutMs = 5000,
): Promise<CertificateSummary | undefined> {
  return new Promise((resolve) => {
    const bare = host.replace(/^\[|\]$/g, '');
    const socket = tlsConnect({
      host: bare,
      port,
      servername: isIP(bare) ? undefined : bare,
      rejectUnauthorized: false,
    });
    const finish = (summary?: CertificateSummary) => {
      socket.destroy();
      resolve(summary);
    };
    socket.setTimeout(timeoutMs, () => finish());
    socket.once('secureConnect', () => finish(summarize(socket.getPeerCertificate())));
    socket.once('error', () => finish());
  });
}

function summarize(cert: PeerCertificate | undefined): CertificateSummary | undefined {
  if (!cert?.fingerprint256) return undefined;
  const subject = distinguishedName(cert.subject);
  const issuer = distinguishedName(cert.issuer);
  return {
    fingerprint: cert.fingerprint256,
    subject,
    issuer,
    validFrom: isoDate(cert.valid_from),
    validTo: isoDate(cert.valid_to),
    altNames: cert.subjectaltname || undefined,
    selfSigned: subject === issuer,
  };
}

/** `{CN: 'nas', O: 'Synology'}` as `CN=nas, O=Synology`; repeated fields come as arrays. */
function distinguishedName(name: Record<string, string | string[] | undefined> | undefined): string {
  if (!name) return '';
  return Object.entries(name)
    .flatMap(([key, value]) => (Array.isArray(value) ? value : [value]).map((v) => `${key}=${v ?? ''}`))
    .join(', ');
}

function isoDate(text: string): string {
  const date = new Date(text);
  return Number.isNaN(date.getTime()) ? text : date.toISOString();
}
