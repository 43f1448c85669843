import { inputError } from './errors';

/** The longest timer Node.js keeps (about 24.8 days); longer ones fire at once. */
const MAX_TIMER_MS = 2 ** 31 - 1;
/** Below this, doubling pauses still reach DSM's auto-block (10 failed logins in 5 minutes). */
const MIN_LOGIN_BACKOFF_MS = 5000;
const TLS_MODES = ['verify', 'ca', 'fingerprint'];

/** Checks the options of a DsmClient, naming the first bad one; the URL is checked on its own. */
export function checkClientOptions(options: unknown): void {
  if (!options || typeof options !== 'object') throw inputError('options', 'must be an object');
  const o = options as Record<string, unknown>;
  if (typeof o.username !== 'string' || !o.username.trim()) {
    throw inputError('username', 'is empty', 'Enter the DSM account name in the config node.');
  }
  if (typeof o.password !== 'string' || !o.password) {
    throw inputError('password', 'is empty', 'Enter the DSM account password in the config node.');
  }
  for (const key of ['sessionName', 'deviceId', 'deviceName', 'totpSecret']) {
    optionalString(key, o[key]);
  }
  checkTimeout('timeoutMs', o.timeoutMs);
  if (o.loginBackoffMs !== undefined) {
    const ms = o.loginBackoffMs;
    if (typeof ms !== 'number' || !Number.isFinite(ms) || ms < MIN_LOGIN_BACKOFF_MS || ms > 30 * 60_000) {
      throw inputError(
        'loginBackoffMs',
        `must be a number of milliseconds from ${MIN_LOGIN_BACKOFF_MS} to 1800000`,
        'A shorter pause after a refused login would let DSM block this IP (10 failed logins in 5 minutes).',
      );
    }
  }
  checkTls(o.tls);
}

/** Checks the options of one call or request. */
export function checkCallOptions(options: unknown): void {
  if (options === undefined) return;
  if (options === null || typeof options !== 'object') throw inputError('options', 'must be an object');
  const o = options as Record<string, unknown>;
  if (o.version !== undefined && !(Number.isInteger(o.version) && (o.version as number) >= 1)) {
    throw inputError('version', `${describe(o.version)} is not a version number (1, 2, 3...)`);
  }
  checkTimeout('timeoutMs', o.timeoutMs);
  checkSignal(o.signal);
  for (const key of ['post', 'replayable']) {
    if (o[key] !== undefined && typeof o[key] !== 'boolean') throw inputError(key, 'must be true or false');
  }
}

export function checkLoginOptions(options: unknown): void {
  if (options === null || typeof options !== 'object') throw inputError('options', 'must be an object');
  const o = options as Record<string, unknown>;
  if (o.otpCode !== undefined && (typeof o.otpCode !== 'string' || !/^\d{6,8}$/.test(o.otpCode.trim()))) {
    throw inputError('otpCode', 'must be the 6-digit code from the authenticator app');
  }
  if (o.trustDevice !== undefined && typeof o.trustDevice !== 'boolean') {
    throw inputError('trustDevice', 'must be true or false');
  }
  checkSignal(o.signal);
}

/** An AbortSignal, or nothing: anything else would be ignored silently and the call could not be cancelled. */
export function checkSignal(signal: unknown, field = 'signal'): void {
  if (signal === undefined) return;
  const s = signal as { aborted?: unknown; addEventListener?: unknown } | null;
  if (!s || typeof s.aborted !== 'boolean' || typeof s.addEventListener !== 'function') {
    throw inputError(field, 'must be an AbortSignal (from an AbortController)');
  }
}

export function checkTimeout(field: string, value: unknown): void {
  if (value === undefined) return;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 1 || value > MAX_TIMER_MS) {
    throw inputError(field, `${describe(value)} is not a number of milliseconds from 1 to ${MAX_TIMER_MS}`);
  }
}

function checkTls(tls: unknown): void {
  if (tls === undefined) return;
  if (tls === null || typeof tls !== 'object')
    throw inputError('tls', 'must be an object such as { mode: "verify" }');
  const mode = (tls as { mode?: unknown }).mode;
  if (mode !== undefined && !TLS_MODES.includes(mode as string)) {
    throw inputError('tls.mode', `${describe(mode)} is not one of ${TLS_MODES.join(', ')}`);
  }
}

function optionalString(field: string, value: unknown): void {
  if (value !== undefined && typeof value !== 'string') throw inputError(field, 'must be a string');
}

function describe(value: unknown): string {
  if (typeof value === 'string') return `"${value}"`;
  if (typeof value === 'bigint') return `${value}n`;
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}
