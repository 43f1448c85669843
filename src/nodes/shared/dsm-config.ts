import type { NodeDef } from 'node-red';
import {
  checkCaPem,
  inputError,
  normalizeFingerprint,
  type DsmClientOptions,
  type TlsOptions,
} from '../../dsm';

/** The `synology-dsm` config node's settings as the editor saves them. */
export interface DsmConfigDef extends NodeDef {
  host: string;
  port: string | number;
  protocol: string;
  tlsMode: string;
  ca: string;
  fingerprint: string;
  sessionName: string;
  timeout: string | number;
  deviceName: string;
}

/** Its credentials: kept by Node-RED apart from the flow, never sent back to the editor. */
export interface DsmCredentials {
  username?: string;
  password?: string;
  deviceId?: string;
  totpSecret?: string;
}

/** Client options from the config node's settings; a bad setting throws an input error naming it. */
export function clientOptionsFrom(
  config: Partial<DsmConfigDef>,
  credentials: DsmCredentials,
  nodeId: string,
): DsmClientOptions {
  const host = String(config.host ?? '').trim();
  if (!host) throw inputError('host', 'is empty', 'Enter the NAS name or IP address, e.g. nas.local.');
  if (/[/\s@]|^[a-z]+:/i.test(host) && !/^\[[0-9a-f:]+\]$/i.test(host) && !isBareIpv6(host)) {
    throw inputError(
      'host',
      `"${host}" is not a host name`,
      'Enter only the name or IP, e.g. nas.local; protocol and port have their own fields.',
    );
  }
  const protocol = config.protocol || 'https';
  if (protocol !== 'http' && protocol !== 'https') throw inputError('protocol', 'must be http or https');
  const port =
    config.port === undefined || config.port === ''
      ? protocol === 'https'
        ? 5001
        : 5000
      : Number(config.port);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw inputError(
      'port',
      `"${config.port}" is not a port number (1-65535)`,
      'DSM uses 5001 for HTTPS, 5000 for HTTP.',
    );
  }
  const timeoutSeconds = config.timeout === undefined || config.timeout === '' ? 30 : Number(config.timeout);
  if (!Number.isFinite(timeoutSeconds) || timeoutSeconds <= 0) {
    throw inputError('timeout', `"${config.timeout}" is not a number of seconds`);
  }
  const hostPart = isBareIpv6(host) ? `[${host}]` : host;
  return {
    url: `${protocol}://${hostPart}:${port}`,
    username: credentials.username ?? '',
    password: credentials.password ?? '',
    deviceId: credentials.deviceId || undefined,
    totpSecret: credentials.totpSecret || undefined,
    sessionName: config.sessionName?.trim() || `NodeRED_${nodeId.replace(/[^A-Za-z0-9_]/g, '')}`,
    deviceName: config.deviceName?.trim() || 'Node-RED',
    timeoutMs: Math.round(timeoutSeconds * 1000),
    tls: protocol === 'https' ? tlsOptionsFrom(config) : undefined,
  };
}

/**
 * Everything that decides where a password goes: the URL (protocol, host, port), the certificate the connection
 * accepts (TLS mode, CA, pin) and the account. Stored secrets may go only to the target they were deployed for.
 * Bad settings throw, as in {@link clientOptionsFrom}.
 */
export function connectionTarget(config: Partial<DsmConfigDef>, username: string | undefined): string {
  const { url, tls } = clientOptionsFrom(config, { username }, 'target');
  return JSON.stringify({
    url: new URL(url).href,
    tlsMode: tls?.mode ?? null,
    // Pasted again, a PEM may differ in line breaks only.
    ca: tls?.mode === 'ca' ? tls.ca.replace(/\s+/g, '') : null,
    fingerprint: tls?.mode === 'fingerprint' ? tls.fingerprint : null,
    username: username ?? '',
  });
}

function tlsOptionsFrom(config: Partial<DsmConfigDef>): TlsOptions {
  switch (config.tlsMode || 'verify') {
    case 'verify':
      return { mode: 'verify' };
    case 'ca':
      if (!config.ca?.trim())
        throw inputError(
          'ca',
          'is empty',
          'Paste the PEM certificate of the CA that signed the NAS certificate.',
        );
      return { mode: 'ca', ca: checkCaPem(config.ca, 'ca') };
    case 'fingerprint':
      if (!config.fingerprint?.trim()) {
        throw inputError(
          'fingerprint',
          'is empty',
          'Use "Test connection": on a self-signed NAS it shows the fingerprint to pin.',
        );
      }
      return { mode: 'fingerprint', fingerprint: normalizeFingerprint(config.fingerprint, 'fingerprint') };
    default:
      throw inputError('tlsMode', `"${config.tlsMode}" is not one of verify, ca, fingerprint`);
  }
}

function isBareIpv6(host: string): boolean {
  return /^[0-9a-f]*:[0-9a-f:]+$/i.test(host);
}
