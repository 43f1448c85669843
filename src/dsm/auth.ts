import type { ResolvedApi } from './discovery';
import { DsmError, dsmAnswerError } from './errors';
import type { Transport } from './transport';

export const AUTH_API = 'SYNO.API.Auth';

export interface LoginCredentials {
  username: string;
  password: string;
  sessionName: string;
  deviceName: string;
}

export interface LoginHow {
  otpCode?: string;
  /** A trusted-device token to skip the OTP code. */
  deviceId?: string;
  /** Ask DSM for a trusted-device token. */
  trustDevice?: boolean;
}

export interface LoginAnswer {
  sid: string;
  synoToken?: string;
  /** The device token DSM issued, when one was asked for. */
  issuedDeviceId?: string;
}

/** One SYNO.API.Auth login: the password in a POST body, never in a URL. */
export async function sendLogin(
  transport: Transport,
  auth: ResolvedApi,
  credentials: LoginCredentials,
  how: LoginHow,
): Promise<LoginAnswer> {
  const query: Record<string, string> = { api: AUTH_API, version: String(auth.version), method: 'login' };
  // DSM 7 reads the trusted-device token from the URL, not only from a cookie (acme.sh PR #4329).
  if (how.deviceId) {
    query.device_id = how.deviceId;
    query.device_name = credentials.deviceName;
  }
  const form: Record<string, string> = {
    account: credentials.username,
    passwd: credentials.password,
    session: credentials.sessionName,
    format: 'sid',
    enable_syno_token: 'yes',
  };
  if (how.otpCode) form.otp_code = how.otpCode;
  if (how.trustDevice) {
    form.enable_device_token = 'yes';
    form.device_name = credentials.deviceName;
  }
  const envelope = await transport.send({
    cgiPath: auth.cgiPath,
    api: AUTH_API,
    method: 'login',
    query,
    form,
  });
  if (!envelope.success) throw dsmAnswerError(AUTH_API, 'login', envelope.error?.code ?? 100);
  const data = (envelope.data ?? {}) as {
    sid?: string;
    synotoken?: string;
    did?: string;
    device_id?: string;
  };
  if (!data.sid) {
    throw new DsmError({
      kind: 'http',
      code: 'EBADANSWER',
      api: AUTH_API,
      method: 'login',
      reason: 'DSM gave no session id',
    });
  }
  // DSM sends "--------" as the token when none was asked for or none applies.
  const synoToken = data.synotoken && !/^-+$/.test(data.synotoken) ? data.synotoken : undefined;
  // v6 calls the device token "did", v7 "device_id".
  const issued = how.trustDevice ? data.did || data.device_id || undefined : undefined;
  return { sid: data.sid, synoToken, issuedDeviceId: issued };
}

/** Ends a DSM session; failures are ignored (DSM ends idle sessions by itself). */
export async function sendLogout(
  transport: Transport,
  auth: ResolvedApi,
  sessionName: string,
  sid: string,
): Promise<void> {
  const query = {
    api: AUTH_API,
    version: String(auth.version),
    method: 'logout',
    session: sessionName,
    _sid: sid,
  };
  await transport
    .send({ cgiPath: auth.cgiPath, api: AUTH_API, method: 'logout', query, timeoutMs: 5000 })
    .catch(() => undefined);
}

/**
 * DSM answered this login with a refusal (a wrong password, 2FA wanted, a blocked IP, or any other code such as
 * 119): another try now would only count towards DSM's auto-block, or meet the same answer.
 */
export function isJudgedLogin(error: DsmError): boolean {
  return error.api === AUTH_API && (error.kind === 'dsm' || error.kind === 'two-factor');
}
