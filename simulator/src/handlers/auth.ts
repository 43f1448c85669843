import type { Account } from '../accounts';
import { ikMessage } from '../auth-noise';
import { AuthError, CommonError, DsmApiError } from '../dsm-error';
import { randomToken } from '../random-token';
import type { ApiCall, ApiHandler } from './api-handler';

/** What DSM answers as synotoken when the login did not ask for one. */
const NO_SYNO_TOKEN = '--------';

function login(call: ApiCall): Record<string, unknown> {
  const { counters } = call.sim;
  counters.loginAttempts += 1;
  try {
    const data = performLogin(call);
    counters.loginSuccesses += 1;
    return data;
  } catch (error) {
    counters.loginFailures += 1;
    throw error;
  }
}

function performLogin(call: ApiCall): Record<string, unknown> {
  const { sim, params, clientIp } = call;
  if (sim.loginGuard.isBlocked(clientIp)) throw new DsmApiError(AuthError.IpBlocked);
  const username = params.requiredString('account');
  const password = params.string('passwd');
  if (password === undefined) throw new DsmApiError(CommonError.MissingParameter);

  const account = sim.accounts.authenticate(username, password);
  if (!account) {
    sim.loginGuard.recordFailure(clientIp);
    throw new DsmApiError(AuthError.BadCredentials);
  }
  const deviceId = verifySecondFactor(call, account);
  const issuedDeviceId =
    deviceId ??
    (params.string('enable_device_token') === 'yes'
      ? sim.accounts.issueDeviceId(account, params.string('device_name') ?? '')
      : undefined);

  const synoToken = params.string('enable_syno_token') === 'yes' ? randomToken(10) : undefined;
  const session = sim.sessions.create(username, params.string('session') ?? '', synoToken);
  if (params.string('format') !== 'sid') call.setCookie(`id=${session.sid}; path=/; HttpOnly`);

  if (call.version >= 7) {
    return {
      account: username,
      device_id: issuedDeviceId ?? '',
      // DSM 7.2 answers a non-empty handshake message here (see auth-noise.ts).
      ik_message: ikMessage(),
      is_portal_port: false,
      sid: session.sid,
      synotoken: synoToken ?? NO_SYNO_TOKEN,
    };
  }
  const data: Record<string, unknown> = {};
  if (issuedDeviceId) data.did = issuedDeviceId;
  data.is_portal_port = false;
  data.sid = session.sid;
  // DSM 5 (Auth up to version 4/5) has no synotoken unless asked for one.
  if (synoToken || call.version >= 6) data.synotoken = synoToken ?? NO_SYNO_TOKEN;
  return data;
}

/** Checks the OTP step; returns the remembered device id that was used to skip it, if any. */
function verifySecondFactor(call: ApiCall, account: Account): string | undefined {
  const { sim, params, clientIp } = call;
  const deviceId = params.string('device_id');
  if (sim.accounts.isKnownDevice(account, deviceId)) return deviceId;
  if (!account.totp) return undefined;
  const otpCode = params.string('otp_code');
  if (!otpCode) {
    throw new DsmApiError(AuthError.OtpRequired, { token: randomToken(24), types: [{ type: 'otp' }] });
  }
  if (!sim.accounts.verifyOtp(account, otpCode, sim.clock.now())) {
    sim.loginGuard.recordFailure(clientIp);
    throw new DsmApiError(AuthError.OtpFailed);
  }
  return undefined;
}

function logout(call: ApiCall): undefined {
  call.sim.counters.logouts += 1;
  if (call.sid) call.sim.sessions.remove(call.sid);
  return undefined;
}

export const authHandler: ApiHandler = {
  publicMethods: ['login', 'logout'],
  methods: { login, logout },
};
