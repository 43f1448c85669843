import { randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { queryApiInfo, resolveApi, type ApiInfoMap, type ResolvedApi } from './discovery';
import { DsmError, dsmAnswerError, inputError, isSessionError } from './errors';
import { encodeParams } from './params';
import type { TlsOptions } from './tls';
import { totpCode } from './totp';
import { Transport, encodeForm } from './transport';

export interface DsmClientOptions {
  /** Where DSM answers, e.g. `https://nas.local:5001`. */
  url: string;
  username: string;
  password: string;
  /** DSM session name; keep it unique per client so logging out never ends someone's browser session. */
  sessionName?: string;
  /** Per-request timeout, default 30 s. */
  timeoutMs?: number;
  tls?: TlsOptions;
  /** Trusted-device token from an earlier 2FA login: skips the OTP code. */
  deviceId?: string;
  /** Name shown in DSM's list of trusted devices. */
  deviceName?: string;
  /** Base32 TOTP secret: the client computes 2FA codes itself. */
  totpSecret?: string;
  /** First wait after DSM refused a login, doubled on each further refusal (default 60 s, at most 30 min). */
  loginBackoffMs?: number;
}

export interface CallOptions {
  /** A version DSM serves for this API; by default the highest that DSM and this client both speak. */
  version?: number;
  signal?: AbortSignal;
  timeoutMs?: number;
}

export interface LoginOptions {
  /** A 6-digit code from the authenticator app, used once. */
  otpCode?: string;
  /** Ask DSM for a trusted-device token (emitted as 'deviceToken'), so later logins need no code. */
  trustDevice?: boolean;
  signal?: AbortSignal;
}

export type ConnectionState =
  'idle' | 'connecting' | 'connected' | 'two-factor-required' | 'login-backoff' | 'error' | 'closed';

interface Session {
  sid: string;
  synoToken?: string;
}

const AUTH_API = 'SYNO.API.Auth';
const MAX_GET_URL = 1800;
const MAX_BACKOFF_MS = 30 * 60_000;

/**
 * A DSM connection with its login session. Every call logs in when needed (once, however many calls
 * wait), logs in again after a session error and retries that call once, and never retries a refused login.
 *
 * Events: `state` (ConnectionState, DsmError?) and `deviceToken` (string: store it, it is a credential).
 */
export class DsmClient extends EventEmitter {
  private readonly baseUrl: URL;
  private readonly transport: Transport;
  private readonly sessionName: string;
  private readonly deviceName: string;
  private apiInfoPromise?: Promise<ApiInfoMap>;
  private session?: Session;
  private loginPromise?: Promise<Session>;
  private refusal?: { until: number; error: DsmError; waitMs: number };
  private currentState: ConnectionState = 'idle';
  private currentDeviceId?: string;
  private closed = false;

  constructor(private readonly options: DsmClientOptions) {
    super();
    this.baseUrl = parseBaseUrl(options.url);
    if (typeof options.username !== 'string' || !options.username.trim()) {
      throw inputError('username', 'is empty', 'Enter the DSM account name in the config node.');
    }
    if (typeof options.password !== 'string' || !options.password) {
      throw inputError('password', 'is empty', 'Enter the DSM account password in the config node.');
    }
    if (options.totpSecret) totpCode(options.totpSecret);
    this.transport = new Transport({
      baseUrl: this.baseUrl,
      tls: options.tls,
      timeoutMs: options.timeoutMs ?? 30_000,
    });
    this.sessionName = options.sessionName || `SynoFlow_${randomBytes(4).toString('hex')}`;
    this.deviceName = options.deviceName || 'Node-RED';
    this.currentDeviceId = options.deviceId || undefined;
  }

  get state(): ConnectionState {
    return this.currentState;
  }

  /** The trusted-device token in use (from the options or from a login that asked for one). */
  get deviceId(): string | undefined {
    return this.currentDeviceId;
  }

  /** The origin this client talks to, e.g. `https://nas.local:5001` (no credentials in it). */
  get url(): string {
    return this.baseUrl.origin;
  }

  /** SYNO.API.Info for this DSM, queried once and cached. */
  apiInfo(signal?: AbortSignal): Promise<ApiInfoMap> {
    if (!this.apiInfoPromise) {
      this.apiInfoPromise = queryApiInfo(this.transport, signal).catch((err: unknown) => {
        this.apiInfoPromise = undefined;
        throw err;
      });
    }
    return this.apiInfoPromise;
  }

  /**
   * Calls `api.method` and resolves to DSM's `data`, or rejects with a {@link DsmError}.
   * Logs in first if needed; after a session error (105/106/107/119) logs in again and retries once.
   */
  async call<T = unknown>(
    api: string,
    method: string,
    params: Record<string, unknown> = {},
    options: CallOptions = {},
  ): Promise<T> {
    this.checkCall(api, method, params);
    const resolved = resolveApi(await this.apiInfo(options.signal), api, options.version);
    if (api === 'SYNO.API.Info') return this.send<T>(resolved, method, params, undefined, options);
    const session = await this.ensureSession(options.signal);
    try {
      return await this.send<T>(resolved, method, params, session, options);
    } catch (err) {
      if (!isSessionError(err)) throw err;
      this.dropSession(session);
      const fresh = await this.ensureSession(options.signal);
      return this.send<T>(resolved, method, params, fresh, options);
    }
  }

  /**
   * Logs in now (replacing any session). Use it to test a connection, or with `otpCode` and `trustDevice`
   * to get a trusted-device token. Clears a login back-off: a person asked for this attempt.
   */
  async login(options: LoginOptions = {}): Promise<void> {
    this.refusal = undefined;
    if (this.loginPromise) await this.loginPromise.catch(() => undefined);
    const previous = this.session;
    this.session = undefined;
    if (previous) await this.logoutSession(previous);
    this.loginPromise = this.performLogin(options).finally(() => (this.loginPromise = undefined));
    await this.loginPromise;
  }

  /** Logs out and frees the connections. The client cannot be used afterwards. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const pending = this.loginPromise?.catch(() => undefined);
    if (pending) await pending;
    const session = this.session;
    this.session = undefined;
    if (session) await this.logoutSession(session);
    this.transport.close();
    this.setState('closed');
  }

  private checkCall(api: unknown, method: unknown, params: unknown): void {
    if (this.closed) throw inputError('client', 'is closed');
    if (typeof api !== 'string' || !/^SYNO\.[A-Za-z0-9_.]+$/.test(api)) {
      throw inputError(
        'api',
        `"${String(api)}" is not a DSM API name`,
        'API names look like SYNO.FileStation.List.',
      );
    }
    if (typeof method !== 'string' || !/^[A-Za-z0-9_]+$/.test(method)) {
      throw inputError(
        'method',
        `"${String(method)}" is not a method name`,
        'Methods look like list or getinfo.',
      );
    }
    if (api === AUTH_API) {
      throw inputError(
        'api',
        'SYNO.API.Auth is managed by the connection',
        'Log in through the config node.',
      );
    }
    if (params === null || typeof params !== 'object' || Array.isArray(params)) {
      throw inputError('params', 'must be an object of parameter names and values');
    }
  }

  private ensureSession(signal?: AbortSignal): Promise<Session> {
    if (this.closed) return Promise.reject(inputError('client', 'is closed'));
    if (this.session) return Promise.resolve(this.session);
    if (!this.loginPromise) {
      const refused = this.refusedNow();
      if (refused) return Promise.reject(refused);
      this.loginPromise = this.performLogin({ signal }).finally(() => (this.loginPromise = undefined));
    }
    return this.loginPromise;
  }

  /** Forgets a session DSM no longer accepts, unless another call already replaced it. */
  private dropSession(stale: Session): void {
    if (this.session === stale) this.session = undefined;
  }

  private refusedNow(): DsmError | undefined {
    if (!this.refusal) return undefined;
    const left = this.refusal.until - Date.now();
    if (left <= 0) return undefined;
    const { error } = this.refusal;
    return new DsmError({
      kind: 'login-backoff',
      code: error.code,
      api: AUTH_API,
      method: 'login',
      reason: `not logging in again for ${Math.ceil(left / 1000)} s after DSM refused the last login: ${error.reason}`,
      hint: `${error.hint ?? ''} This pause keeps DSM from blocking this IP after repeated failed logins.`.trim(),
    });
  }

  private async performLogin(options: LoginOptions): Promise<Session> {
    this.setState('connecting');
    try {
      const auth = resolveApi(await this.apiInfo(options.signal), AUTH_API);
      const session = await this.loginWith(auth, options);
      this.refusal = undefined;
      this.session = session;
      this.setState('connected');
      return session;
    } catch (err) {
      const error =
        err instanceof DsmError
          ? err
          : new DsmError({ kind: 'network', code: 'EUNKNOWN', reason: String(err) });
      if (isRefusedLogin(error)) this.startBackoff(error);
      this.setState(error.kind === 'two-factor' ? 'two-factor-required' : 'error', error);
      throw error;
    }
  }

  private async loginWith(auth: ResolvedApi, options: LoginOptions): Promise<Session> {
    const useDevice = Boolean(this.currentDeviceId) && !options.otpCode;
    const otpCode =
      options.otpCode ??
      (!useDevice && this.options.totpSecret ? totpCode(this.options.totpSecret) : undefined);
    try {
      return await this.sendLogin(
        auth,
        { otpCode, useDevice, trustDevice: options.trustDevice },
        options.signal,
      );
    } catch (err) {
      // A stored device token DSM no longer honours: with a TOTP secret, one login with a code fixes it.
      const secret = this.options.totpSecret;
      if (!(err instanceof DsmError && err.kind === 'two-factor' && useDevice && secret)) throw err;
      return this.sendLogin(auth, { otpCode: totpCode(secret), useDevice: false }, options.signal);
    }
  }

  private async sendLogin(
    auth: ResolvedApi,
    how: { otpCode?: string; useDevice: boolean; trustDevice?: boolean },
    signal?: AbortSignal,
  ): Promise<Session> {
    const query: Record<string, string> = { api: AUTH_API, version: String(auth.version), method: 'login' };
    // DSM 7 reads the trusted-device token from the URL (not only from a cookie).
    if (how.useDevice && this.currentDeviceId) {
      query.device_id = this.currentDeviceId;
      query.device_name = this.deviceName;
    }
    const form: Record<string, string> = {
      account: this.options.username,
      passwd: this.options.password,
      session: this.sessionName,
      format: 'sid',
      enable_syno_token: 'yes',
    };
    if (how.otpCode) form.otp_code = how.otpCode;
    if (how.trustDevice) {
      form.enable_device_token = 'yes';
      form.device_name = this.deviceName;
    }
    const envelope = await this.transport.send({
      cgiPath: auth.cgiPath,
      api: AUTH_API,
      method: 'login',
      query,
      form,
      signal,
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
    const issuedDevice = data.did || data.device_id;
    if (how.trustDevice && issuedDevice && issuedDevice !== this.currentDeviceId) {
      this.currentDeviceId = issuedDevice;
      this.emit('deviceToken', issuedDevice);
    }
    // DSM sends "--------" as the token when none was asked for or none applies.
    const synoToken = data.synotoken && !/^-+$/.test(data.synotoken) ? data.synotoken : undefined;
    return { sid: data.sid, synoToken };
  }

  private startBackoff(error: DsmError): void {
    const first = this.options.loginBackoffMs ?? 60_000;
    const waitMs = this.refusal ? Math.min(this.refusal.waitMs * 2, MAX_BACKOFF_MS) : first;
    this.refusal = { until: Date.now() + waitMs, error, waitMs };
  }

  private async logoutSession(session: Session): Promise<void> {
    try {
      const auth = resolveApi(await this.apiInfo(), AUTH_API);
      await this.transport.send({
        cgiPath: auth.cgiPath,
        api: AUTH_API,
        method: 'logout',
        query: {
          api: AUTH_API,
          version: String(auth.version),
          method: 'logout',
          session: this.sessionName,
          _sid: session.sid,
        },
        timeoutMs: 5000,
      });
    } catch {
      // The session ends on DSM's side by its idle timeout anyway.
    }
  }

  private async send<T>(
    resolved: ResolvedApi,
    method: string,
    params: Record<string, unknown>,
    session: Session | undefined,
    options: CallOptions,
  ): Promise<T> {
    const query: Record<string, string> = { api: resolved.api, version: String(resolved.version), method };
    if (session) query._sid = session.sid;
    const encoded = encodeParams(params, resolved.requestFormat);
    const asQuery = { ...query, ...encoded };
    const long = encodeForm(asQuery).length > MAX_GET_URL;
    const envelope = await this.transport.send({
      cgiPath: resolved.cgiPath,
      api: resolved.api,
      method,
      query: long ? query : asQuery,
      form: long ? encoded : undefined,
      headers: session?.synoToken ? { 'X-SYNO-TOKEN': session.synoToken } : undefined,
      signal: options.signal,
      timeoutMs: options.timeoutMs,
    });
    if (!envelope.success) {
      throw dsmAnswerError(resolved.api, method, envelope.error?.code ?? 100, envelope.error?.errors);
    }
    return envelope.data as T;
  }

  private setState(state: ConnectionState, error?: DsmError): void {
    if (state === this.currentState && !error) return;
    this.currentState = state;
    this.emit('state', state, error);
  }
}

/** DSM refused these credentials (400-410): another try now would only count towards DSM's auto-block. */
function isRefusedLogin(error: DsmError): boolean {
  return (
    error.api === AUTH_API &&
    (error.kind === 'dsm' || error.kind === 'two-factor') &&
    typeof error.code === 'number' &&
    error.code >= 400 &&
    error.code <= 410
  );
}

function parseBaseUrl(url: unknown): URL {
  if (typeof url !== 'string' || !url.trim()) {
    throw inputError('url', 'is empty', 'Give the NAS address, e.g. https://nas.local:5001.');
  }
  let parsed: URL;
  try {
    parsed = new URL(url.trim());
  } catch {
    throw inputError('url', `"${url}" is not a URL`, 'Give the NAS address, e.g. https://nas.local:5001.');
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw inputError('url', 'must start with http:// or https://');
  }
  if (parsed.username || parsed.password) {
    throw inputError(
      'url',
      'must not contain credentials',
      'Give the username and password as their own options.',
    );
  }
  return parsed;
}
