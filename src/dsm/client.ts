import { randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { waitFor } from './abort';
import { AUTH_API, isJudgedLogin, sendLogin, sendLogout, type LoginHow } from './auth';
import { checkCallOptions, checkClientOptions, checkLoginOptions } from './client-options';
import { queryApiInfo, resolveApi, type ApiInfoMap, type ResolvedApi } from './discovery';
import { DsmError, dsmAnswerError, inputError, isSessionError } from './errors';
import { LoginBackoff, ReloginBucket } from './login-guard';
import { checkEncodable, encodeParams } from './params';
import type { TlsOptions } from './tls';
import { totpCode } from './totp';
import { Transport, encodeForm, type DsmEnvelope } from './transport';

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
  /**
   * First pause after DSM refused a login, doubled on each further refusal up to 30 min (default 60 s, at
   * least 5 s). Shared by every client of this process that logs in to the same DSM with the same account.
   */
  loginBackoffMs?: number;
}

export interface CallOptions {
  /** A version DSM serves for this API; by default the highest that DSM and this client both speak. */
  version?: number;
  signal?: AbortSignal;
  timeoutMs?: number;
  /** Send the params in a POST body, never in the URL (for passwords: URLs end up in web server logs). */
  post?: boolean;
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
  createdAt: number;
}

/** What one request to DSM needs from the session, see {@link DsmClient.request}. */
export interface SessionRequest {
  resolved: ResolvedApi;
  method: string;
  /** `api`, `version`, `method` and `_sid`: goes in the query string (uploads need `_sid` there). */
  query: Record<string, string>;
  /** `X-SYNO-TOKEN` when DSM gave a SynoToken. */
  headers: Record<string, string>;
}

const MAX_GET_URL = 1800;
/** An API that answered 105 on a fresh session is taken as "no permission" for this long: no re-login for it. */
const PERMISSION_MEMORY_MS = 5 * 60_000;
/** An API missing from the cached SYNO.API.Info is looked up again at most this often (packages get installed). */
const API_INFO_REFRESH_MS = 60_000;
/** Set by the connection, never by call params. */
const RESERVED_PARAMS = ['api', 'version', 'method', '_sid', 'SynoToken'];

/**
 * A DSM connection with its login session. Every call logs in when needed (once, however many calls
 * wait), logs in again after a session error and retries that call once, and never retries a refused login.
 * The retry policy is written out in the README ("What is retried").
 *
 * Events: `state` (ConnectionState, DsmError?) and `deviceToken` (string: store it, it is a credential).
 */
export class DsmClient extends EventEmitter {
  private readonly baseUrl: URL;
  /** The HTTP layer of this connection, for uploads and downloads (see {@link DsmClient.request}). */
  readonly transport: Transport;
  private readonly sessionName: string;
  private readonly deviceName: string;
  private apiInfoPromise?: Promise<ApiInfoMap>;
  private apiInfoAt = 0;
  private session?: Session;
  private loginPromise?: Promise<Session>;
  private everLoggedIn = false;
  /** When a rate-limited re-login will be sent (monotonic ms); 0 when none waits. */
  private loginSendAt = 0;
  private readonly timeoutMs: number;
  /** Aborted by close(): ends waits for a login token or a TOTP code, so a closed client sends nothing. */
  private readonly closing = new AbortController();
  private readonly backoff: LoginBackoff;
  private readonly relogins = new ReloginBucket();
  /** APIs that answered 105 on a fresh session, and when: DSM denies this account their use. */
  private readonly deniedApis = new Map<string, number>();
  /** APIs that answered 105 on an older session, and when: a 105 on any session made after that is the proof. */
  private readonly suspectApis = new Map<string, number>();
  private lastTotpStep?: number;
  private currentState: ConnectionState = 'idle';
  private currentDeviceId?: string;
  private closed = false;
  private readonly operations = new Set<Promise<unknown>>();

  constructor(private readonly options: DsmClientOptions) {
    super();
    this.baseUrl = parseBaseUrl(options?.url);
    checkClientOptions(options);
    if (options.totpSecret) totpCode(options.totpSecret);
    this.backoff = new LoginBackoff(
      this.baseUrl.origin,
      options.username,
      [options.password, options.totpSecret, options.deviceId],
      options.loginBackoffMs ?? 60_000,
    );
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.transport = new Transport({ baseUrl: this.baseUrl, tls: options.tls, timeoutMs: this.timeoutMs });
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

  /** SYNO.API.Info for this DSM, queried once and shared; `signal` ends only this caller's wait. */
  apiInfo(signal?: AbortSignal): Promise<ApiInfoMap> {
    if (!this.apiInfoPromise) {
      const query: Promise<ApiInfoMap> = queryApiInfo(this.transport).then(
        (info) => {
          this.apiInfoAt = monotonicNow();
          return info;
        },
        (err: unknown) => {
          if (this.apiInfoPromise === query) this.apiInfoPromise = undefined;
          throw err;
        },
      );
      this.apiInfoPromise = query;
    }
    return waitFor(this.apiInfoPromise, signal, 'SYNO.API.Info');
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
    checkCallOptions(options);
    return this.request(api, method, options, (req) => this.sendCall<T>(req, params, options));
  }

  /**
   * Runs `send` with what a request to `api.method` needs: path, version, the query with `_sid` and the
   * SynoToken header. After a session error (105/106/107/119) logs in again and runs `send` once more when
   * `replayable` (the default); a request whose body cannot be sent twice reports the error instead.
   * For requests beyond plain calls, such as uploads and downloads.
   */
  async request<T>(
    api: string,
    method: string,
    options: CallOptions & { replayable?: boolean },
    send: (req: SessionRequest) => Promise<T>,
  ): Promise<T> {
    if (this.closed) throw inputError('client', 'is closed');
    checkCallOptions(options);
    const resolved = await this.resolve(api, options.version, options.signal).catch((err: unknown) => {
      throw err instanceof DsmError && !err.method ? new DsmError({ ...err.toJSON(), method }) : err;
    });
    const base = { api: resolved.api, version: String(resolved.version), method };
    const toRequest = (session?: Session): SessionRequest => ({
      resolved,
      method,
      query: session ? { ...base, _sid: session.sid } : base,
      headers: session?.synoToken ? { 'X-SYNO-TOKEN': session.synoToken } : {},
    });
    if (api === 'SYNO.API.Info') return send(toRequest());
    // A session made by a login that ended after this moment is "fresh": DSM has just given it, so a session error on
    // it says something about DSM or the account, not about an old session.
    let freshSince = monotonicNow();
    let session = await this.ensureSession(options);
    for (let retries = 0; ; retries++) {
      try {
        const result = await send(toRequest(session));
        this.suspectApis.delete(resolved.api);
        return result;
      } catch (err) {
        if (!isSessionError(err)) throw err;
        const fresh = session.createdAt >= freshSince;
        if (err.code === 105) {
          // 105 on a session made after this API's last unexplained 105: the account lacks the permission, and
          // the session itself is fine (DSM 6 also answers 105 to the old sessions after a reboot).
          const suspectSince = this.recentMark(this.suspectApis, resolved.api);
          const proof = fresh || (suspectSince !== undefined && session.createdAt > suspectSince);
          if (proof) this.deniedApis.set(resolved.api, monotonicNow());
          if (proof || this.recentMark(this.deniedApis, resolved.api) !== undefined)
            throw permissionDenied(err);
          this.suspectApis.set(resolved.api, monotonicNow());
        }
        this.dropSession(session, err);
        if (fresh) throw sessionRefused(err);
        if (options.replayable === false) throw notSentAgain(err);
        // A retry on a session another call made meanwhile proved nothing: at most one more, on a fresh one.
        if (retries >= 2) throw sessionRefused(err);
        freshSince = monotonicNow();
        session = await this.ensureSession(options);
      }
    }
  }

  /**
   * Logs in now (replacing any session). Use it to test a connection, or with `otpCode` and `trustDevice`
   * to get a trusted-device token. Clears a login back-off: a person asked for this attempt.
   */
  async login(options: LoginOptions = {}): Promise<void> {
    if (this.closed) throw inputError('client', 'is closed');
    checkLoginOptions(options);
    const previous = this.loginPromise;
    const relogin = (async () => {
      if (previous) await previous.catch(() => undefined);
      const old = this.session;
      this.session = undefined;
      if (old) await this.logout(old);
      return this.performLogin(options);
    })();
    this.trackLogin(relogin);
    await waitFor(relogin, options.signal, AUTH_API);
  }

  /**
   * Keeps the connection open for `work` when close() is called meanwhile (for up to 8 s): work that must tidy up
   * on DSM when aborted, such as stopping a background task, gets to do it.
   */
  track<T>(work: Promise<T>): Promise<T> {
    this.operations.add(work);
    work.finally(() => this.operations.delete(work)).catch(() => undefined);
    return work;
  }

  /** Logs out and frees the connections. The client cannot be used afterwards. */
  async close(): Promise<void> {
    if (this.closed) return;
    if (this.operations.size > 0)
      await Promise.race([Promise.allSettled([...this.operations]), delay(8_000)]);
    if (this.closed) return;
    this.closed = true;
    this.closing.abort();
    const pending = this.loginPromise;
    // A login still under way logs itself out when it ends (see performLogin); do not wait long for it.
    if (pending) await Promise.race([pending.catch(() => undefined), delay(5000)]);
    const session = this.session;
    this.session = undefined;
    if (session) await this.logout(session);
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
    const reserved = RESERVED_PARAMS.find((key) => key in params);
    if (reserved) throw inputError(`params.${reserved}`, 'is set by the connection, not by params');
    checkEncodable(params as Record<string, unknown>);
  }

  private async resolve(
    api: string,
    version: number | undefined,
    signal?: AbortSignal,
  ): Promise<ResolvedApi> {
    const info = await this.apiInfo(signal);
    try {
      return resolveApi(info, api, version);
    } catch (err) {
      // DSM may have gained the API since discovery (a package installed, DSM updated): look once more.
      const missing = err instanceof DsmError && err.code === 102;
      if (!missing || monotonicNow() - this.apiInfoAt < API_INFO_REFRESH_MS) throw err;
      this.apiInfoPromise = undefined;
      return resolveApi(await this.apiInfo(signal), api, version);
    }
  }

  private ensureSession(options: CallOptions): Promise<Session> {
    if (this.closed) return Promise.reject(inputError('client', 'is closed'));
    if (this.session) return Promise.resolve(this.session);
    if (!this.loginPromise) {
      const refused = this.refusedNow();
      if (refused) return Promise.reject(refused);
      this.trackLogin(this.automaticLogin());
    }
    // A re-login may wait for the rate limit: each caller waits at most its own timeout for it.
    const waitLeft = this.loginSendAt - monotonicNow();
    if (waitLeft > (options.timeoutMs ?? this.timeoutMs)) return Promise.reject(reloginRateError(waitLeft));
    return waitFor(this.loginPromise as Promise<Session>, options.signal, AUTH_API);
  }

  /** A login no person asked for: after the first, limited by the re-login rate (see {@link ReloginBucket}). */
  private async automaticLogin(): Promise<Session> {
    if (this.everLoggedIn) {
      const { granted, waitMs } = this.relogins.take(this.timeoutMs);
      if (!granted) {
        const error = reloginRateError(waitMs);
        this.setState('login-backoff', error);
        throw error;
      }
      if (waitMs > 0) {
        this.loginSendAt = monotonicNow() + waitMs;
        this.setState('login-backoff', reloginRateError(waitMs));
        await this.pause(waitMs);
      }
    }
    return this.performLogin({});
  }

  /** Waits, unless the client closes meanwhile: then throws, so that nothing is sent after close(). */
  private async pause(ms: number): Promise<void> {
    await delay(ms, this.closing.signal);
    if (this.closed) throw inputError('client', 'is closed');
  }

  /** When `api` was marked in `marks`, if that was less than PERMISSION_MEMORY_MS ago. */
  private recentMark(marks: Map<string, number>, api: string): number | undefined {
    const at = marks.get(api);
    if (at === undefined || monotonicNow() - at >= PERMISSION_MEMORY_MS) return undefined;
    return at;
  }

  private trackLogin(login: Promise<Session>): void {
    this.loginPromise = login;
    login
      .finally(() => {
        if (this.loginPromise === login) this.loginPromise = undefined;
      })
      .catch(() => undefined);
  }

  /** Forgets a session DSM refused. One DSM may still hold (105, 107) is logged out in the background. */
  private dropSession(stale: Session, err: DsmError): void {
    if (this.session === stale) this.session = undefined;
    if (err.code === 105 || err.code === 107) void this.logout(stale);
  }

  private refusedNow(): DsmError | undefined {
    const refusal = this.backoff.current();
    if (!refusal) return undefined;
    const { error, leftMs } = refusal;
    const seconds = Math.ceil(leftMs / 1000);
    const refused = new DsmError({
      kind: error.kind === 'two-factor' ? 'two-factor' : 'login-backoff',
      code: error.code,
      api: AUTH_API,
      method: 'login',
      reason: `not logging in again for ${seconds} s after DSM refused the last login: ${error.reason}`,
      hint: `${error.hint ?? ''} This pause keeps DSM from blocking this IP after repeated failed logins; Test connection in the config node tries at once.`.trim(),
      details: { retryAfterSeconds: seconds, refusal: error.reason },
    });
    if (refused.kind === 'login-backoff') this.setState('login-backoff', refused);
    return refused;
  }

  private async performLogin(options: LoginOptions): Promise<Session> {
    this.setState('connecting');
    try {
      const auth = resolveApi(await this.apiInfo(), AUTH_API);
      const session = await this.loginWith(auth, options);
      if (this.closed) {
        await this.logout(session);
        throw inputError('client', 'is closed');
      }
      this.backoff.accepted();
      this.everLoggedIn = true;
      this.loginSendAt = 0;
      this.session = session;
      this.setState('connected');
      return session;
    } catch (err) {
      const error =
        err instanceof DsmError
          ? err
          : new DsmError({ kind: 'internal', code: 'EINTERNAL', reason: String(err) });
      if (isJudgedLogin(error)) this.backoff.refused(error);
      if (!this.closed) this.setState(error.kind === 'two-factor' ? 'two-factor-required' : 'error', error);
      throw error;
    }
  }

  private async loginWith(auth: ResolvedApi, options: LoginOptions): Promise<Session> {
    const useDevice = Boolean(this.currentDeviceId) && !options.otpCode;
    const secret = this.options.totpSecret;
    const how: LoginHow = {
      otpCode: options.otpCode ?? (!useDevice && secret ? await this.freshTotpCode(secret) : undefined),
      deviceId: useDevice ? this.currentDeviceId : undefined,
      trustDevice: options.trustDevice,
    };
    try {
      return await this.loginOnce(auth, how);
    } catch (err) {
      // A stored device token DSM no longer honours: with a TOTP secret, one login with a code fixes it.
      if (!(err instanceof DsmError && err.kind === 'two-factor' && useDevice && secret)) throw err;
      return this.loginOnce(auth, { otpCode: await this.freshTotpCode(secret) });
    }
  }

  private async loginOnce(auth: ResolvedApi, how: LoginHow): Promise<Session> {
    if (this.closed) throw inputError('client', 'is closed');
    const credentials = {
      username: this.options.username,
      password: this.options.password,
      sessionName: this.sessionName,
      deviceName: this.deviceName,
    };
    const answer = await sendLogin(this.transport, auth, credentials, how);
    if (answer.issuedDeviceId && answer.issuedDeviceId !== this.currentDeviceId) {
      this.currentDeviceId = answer.issuedDeviceId;
      this.emit('deviceToken', answer.issuedDeviceId);
    }
    return { sid: answer.sid, synoToken: answer.synoToken, createdAt: monotonicNow() };
  }

  /** A TOTP code not used before: DSM may refuse a code twice, so a second login in one 30 s step waits. */
  private async freshTotpCode(secret: string): Promise<string> {
    const step = Math.floor(Date.now() / 30_000);
    if (step === this.lastTotpStep) await this.pause((step + 1) * 30_000 - Date.now() + 250);
    this.lastTotpStep = Math.floor(Date.now() / 30_000);
    return totpCode(secret);
  }

  private async logout(session: Session): Promise<void> {
    const info = await this.apiInfo().catch(() => undefined);
    if (!info?.[AUTH_API]) return;
    await sendLogout(this.transport, resolveApi(info, AUTH_API), this.sessionName, session.sid);
  }

  private async sendCall<T>(
    req: SessionRequest,
    params: Record<string, unknown>,
    options: CallOptions,
  ): Promise<T> {
    const { resolved, method } = req;
    const encoded = encodeParams(params, resolved.requestFormat, resolved.version);
    const asQuery = { ...encoded, ...req.query };
    const long = options.post === true || encodeForm(asQuery).length > MAX_GET_URL;
    const envelope = await this.transport.send({
      cgiPath: resolved.cgiPath,
      api: resolved.api,
      method,
      query: long ? req.query : asQuery,
      form: long ? encoded : undefined,
      headers: req.headers,
      signal: options.signal,
      timeoutMs: options.timeoutMs,
    });
    return unwrap<T>(envelope, resolved.api, method);
  }

  private setState(state: ConnectionState, error?: DsmError): void {
    if (state === this.currentState && !error) return;
    this.currentState = state;
    this.emit('state', state, error);
  }
}

/** A session error again on a session DSM had just given: reported, not retried. */
function sessionRefused(err: DsmError): DsmError {
  const hint =
    err.code === 107
      ? 'Another client logs in with the same session name: give each connection its own.'
      : 'DSM ended a session it had just given: is a proxy between here and the NAS dropping _sid or changing the source IP, or is DSM restarting?';
  return new DsmError({
    kind: 'dsm',
    code: err.code,
    api: err.api,
    method: err.method,
    reason: err.reason,
    hint,
  });
}

/** A session error for a request whose body cannot be sent twice (a stream upload): reported, the session dropped. */
function notSentAgain(err: DsmError): DsmError {
  return new DsmError({
    kind: 'dsm',
    code: err.code,
    api: err.api,
    method: err.method,
    reason: `${err.reason}; the request was not sent again, as its body (a stream) can be read only once`,
    hint:
      err.code === 105
        ? 'The session had ended, or the account lacks the permission for this API; the next request logs in again and tells which.'
        : 'The connection logs in again for the next request.',
  });
}

function permissionDenied(err: DsmError): DsmError {
  return new DsmError({
    kind: 'dsm',
    code: 105,
    api: err.api,
    method: err.method,
    reason: 'the DSM account has no permission for this API',
    hint: `Give the account access to the application behind ${err.api ?? 'this API'} (Control Panel > User > Applications), or use an account that has it.`,
  });
}

function reloginRateError(waitMs: number): DsmError {
  const seconds = Math.ceil(waitMs / 1000);
  return new DsmError({
    kind: 'login-backoff',
    code: 'ERELOGIN_RATE',
    api: AUTH_API,
    method: 'login',
    reason: `DSM keeps ending this connection's sessions; the next login is allowed in ${seconds} s`,
    hint: 'Something ends DSM sessions as soon as they start: another client with the same session name, a proxy that drops _sid, or DSM restarting.',
    details: { retryAfterSeconds: seconds },
  });
}

/** Resolves after `ms`, or at once when `signal` aborts. */
function delay(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, Math.max(0, ms));
    timer.unref();
    signal?.addEventListener('abort', done, { once: true });
  });
}

/** Milliseconds that never go back when the wall clock is set (NTP, a Raspberry Pi without a clock battery). */
export function monotonicNow(): number {
  return performance.now();
}

/** DSM's `data`, or the DsmError its `error` stands for. */
export function unwrap<T>(envelope: DsmEnvelope, api: string, method: string): T {
  if (!envelope.success)
    throw dsmAnswerError(api, method, envelope.error?.code ?? 100, envelope.error?.errors);
  return envelope.data as T;
}

function parseBaseUrl(url: unknown): URL {
  if (typeof url !== 'string' || !url.trim()) {
    throw inputError('url', 'is empty', 'Give the NAS address, e.g. https://nas.local:5001.');
  }
  let parsed: URL;
  try {
    parsed = new URL(url.trim());
  } catch {
    // Never echoed with a password in it: the config node logs this message.
    const shown = url.replace(/\/\/[^/@]*@/, '//');
    throw inputError('url', `"${shown}" is not a URL`, 'Give the NAS address, e.g. https://nas.local:5001.');
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
