import http from 'node:http';
import type { Readable } from 'node:stream';
import type FormData from 'form-data';
import https from 'node:https';
import axios, { AxiosError, type AxiosInstance, type AxiosRequestConfig } from 'axios';
import { DsmError } from './errors';
import { createHttpsAgent, FingerprintMismatchError, peekFingerprint, type TlsOptions } from './tls';

export interface TransportOptions {
  /** `https://nas.local:5001` */
  baseUrl: URL;
  tls?: TlsOptions;
  timeoutMs: number;
}

export interface WebApiRequest {
  /** CGI path under /webapi, from discovery: `entry.cgi`, `auth.cgi`, `DownloadStation/task.cgi` */
  cgiPath: string;
  api: string;
  method: string;
  query: Record<string, string>;
  /** Sent as an urlencoded POST body when present. */
  form?: Record<string, string>;
  headers?: Record<string, string>;
  signal?: AbortSignal;
  timeoutMs?: number;
}

/** DSM's JSON envelope. */
export interface DsmEnvelope {
  success: boolean;
  data?: unknown;
  error?: { code: number; errors?: unknown };
}

const TLS_VERIFY_CODES = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'UNABLE_TO_GET_ISSUER_CERT',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_UNTRUSTED',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

const NETWORK_HINTS: Record<string, string> = {
  ECONNREFUSED: 'Nothing listens there: check host and port (DSM uses 5000 for HTTP, 5001 for HTTPS).',
  ENOTFOUND: 'The host name does not resolve: check the host.',
  EAI_AGAIN: 'The host name could not be resolved right now: check DNS.',
  EHOSTUNREACH: 'The host is unreachable: check the network and the address.',
  ENETUNREACH: 'The network is unreachable from this machine.',
  ECONNRESET: 'The connection was reset: the NAS restarted, or a firewall or proxy cut it.',
  EPIPE: 'The connection was closed by the NAS while sending.',
  EPROTO: 'TLS handshake failed: is the protocol right for this port (HTTP 5000, HTTPS 5001)?',
};

/** Sends Web API requests over one keep-alive connection pool, with this connection's TLS rules. */
export class Transport {
  private readonly http: AxiosInstance;
  private readonly httpAgent: http.Agent;
  private readonly httpsAgent: https.Agent;

  constructor(private readonly options: TransportOptions) {
    // Idle sockets close after 10 s, before the NAS web server drops them and a reuse fails with ECONNRESET.
    // keepAliveMsecs as axios sets it on every request (TCP keep-alive after 60 s): with Node's default of 1 s the
    // agent and axios reset it on each reuse, 8 setsockopt calls per request.
    const agentOptions = { keepAlive: true, keepAliveMsecs: 60_000, maxSockets: 16, timeout: 10_000 };
    this.httpAgent = new http.Agent(agentOptions);
    this.httpsAgent = createHttpsAgent(options.tls, agentOptions);
    this.http = axios.create({
      baseURL: options.baseUrl.origin,
      httpAgent: this.httpAgent,
      httpsAgent: this.httpsAgent,
      // A NAS on the LAN: an environment proxy would only get in the way.
      proxy: false,
      maxRedirects: 0,
      responseType: 'text',
      transformResponse: [(body: unknown) => body],
      validateStatus: () => true,
      transport: keepAliveOnlyAfterSuccess,
    });
  }

  /** Sends one request and returns DSM's envelope, or rejects with a DsmError (network, timeout, TLS, HTTP). */
  send(req: WebApiRequest): Promise<DsmEnvelope> {
    return this.exchange(req, {
      method: req.form ? 'POST' : 'GET',
      data: req.form ? encodeForm(req.form) : undefined,
      headers: {
        ...req.headers,
        ...(req.form ? { 'Content-Type': 'application/x-www-form-urlencoded' } : {}),
      },
    });
  }

  /**
   * POSTs a multipart body (uploads). `length` is the exact body size: DSM 6 refuses uploads without
   * Content-Length (error 1800); without it the body goes chunked (DSM 7). The body streams; nothing is buffered.
   */
  sendMultipart(req: WebApiRequest & { body: FormData; length?: number }): Promise<DsmEnvelope> {
    const length = req.length === undefined ? {} : { 'Content-Length': String(req.length) };
    return this.exchange(req, {
      method: 'POST',
      data: req.body,
      // No maxBodyLength: axios's default (-1) sets no limit, while any number (even Infinity) adds a counting
      // stream stage to the body.
      headers: { ...req.headers, ...req.body.getHeaders(), ...length },
    });
  }

  private async exchange(req: WebApiRequest, config: AxiosRequestConfig): Promise<DsmEnvelope> {
    const timeout = req.timeoutMs ?? this.options.timeoutMs;
    let response;
    try {
      response = await this.http.request<string>({
        ...config,
        url: `/webapi/${req.cgiPath}?${encodeForm(req.query)}`,
        timeout,
        signal: req.signal,
      });
    } catch (err) {
      throw await this.describeFailure(err, req, timeout);
    }
    if (response.status !== 200) throw httpError(response.status, req, response.headers);
    return parseEnvelope(response.data, req);
  }

  /**
   * GETs a page outside /webapi (`/webman/pingpong.cgi`) with this connection's TLS rules: no session, no retry.
   * Any HTTP status resolves; no answer rejects with a DsmError (network, timeout, TLS) named after `api`.
   */
  async getPage(
    path: string,
    options: { api: string; timeoutMs?: number; signal?: AbortSignal },
  ): Promise<{ status: number; body: string }> {
    const timeout = options.timeoutMs ?? this.options.timeoutMs;
    try {
      const response = await this.http.request<string>({
        url: path,
        method: 'GET',
        timeout,
        signal: options.signal,
      });
      return { status: response.status, body: typeof response.data === 'string' ? response.data : '' };
    } catch (err) {
      const req = { cgiPath: path, api: options.api, method: 'GET', query: {} };
      throw await this.describeFailure(err, req, timeout);
    }
  }

  /**
   * GETs a file body as a stream (downloads). DSM answers errors as a JSON envelope instead of the file:
   * then `envelope` is set and there is no stream.
   */
  async openStream(req: WebApiRequest): Promise<StreamAnswer> {
    const timeout = req.timeoutMs ?? this.options.timeoutMs;
    let response;
    try {
      response = await this.http.request<Readable>({
        url: `/webapi/${req.cgiPath}?${encodeForm(req.query)}`,
        method: 'GET',
        headers: req.headers,
        responseType: 'stream',
        transformResponse: undefined,
        // No maxContentLength: the default (-1) sets no limit; a number wraps the body in an async generator stage.
        timeout,
        signal: req.signal,
      });
    } catch (err) {
      throw await this.describeFailure(err, req, timeout);
    }
    const headers = response.headers as Record<string, string | undefined>;
    const type = headers['content-type'] ?? '';
    if (response.status !== 200 && response.status !== 206) {
      response.data.destroy();
      throw httpError(response.status, req, headers);
    }
    if (/json|text\/plain/i.test(type)) {
      const body = await readSmall(response.data, 1 << 20);
      return { envelope: parseEnvelope(body, req) };
    }
    const length = Number(headers['content-length']);
    return {
      stream: response.data,
      length: Number.isFinite(length) ? length : undefined,
      contentType: type || undefined,
      contentRange: headers['content-range'],
    };
  }

  close(): void {
    this.httpAgent.destroy();
    this.httpsAgent.destroy();
  }

  private async describeFailure(err: unknown, req: WebApiRequest, timeout: number): Promise<DsmError> {
    const base = { api: req.api, method: req.method };
    const axiosErr = err instanceof AxiosError ? err : undefined;
    const cause = (axiosErr?.cause ?? err) as NodeJS.ErrnoException | undefined;
    if (axios.isCancel(err) || axiosErr?.code === 'ERR_CANCELED') {
      return new DsmError({
        ...base,
        kind: 'aborted',
        code: 'ABORTED',
        reason: 'cancelled before DSM answered',
      });
    }
    if (cause instanceof FingerprintMismatchError) {
      return new DsmError({
        ...base,
        kind: 'tls',
        code: cause.code,
        reason: `the NAS certificate has SHA-256 fingerprint ${cause.seen}, not the pinned ${cause.expected}`,
        hint: 'If the NAS certificate was renewed on purpose, pin the new fingerprint; otherwise something is in between.',
      });
    }
    const code = cause?.code ?? axiosErr?.code ?? 'ENETWORK';
    if (code === 'ECONNABORTED' || code === 'ETIMEDOUT') {
      return new DsmError({
        ...base,
        kind: 'timeout',
        code: 'ETIMEDOUT',
        reason: `no answer within ${timeout} ms`,
        hint: 'The NAS is slow or unreachable; raise the timeout in the config node for long operations.',
      });
    }
    if (TLS_VERIFY_CODES.has(code)) {
      const { hostname, port } = this.options.baseUrl;
      const seen = await peekFingerprint(hostname.replace(/^\[|\]$/g, ''), Number(port) || 443);
      return new DsmError({
        ...base,
        kind: 'tls',
        code,
        reason: `the NAS certificate was rejected (${code})`,
        hint: seen
          ? `To trust this certificate, pin its SHA-256 fingerprint ${seen} (TLS mode "pin fingerprint") after checking it on the NAS, or give the CA that signed it.`
          : 'Give the CA that signed the NAS certificate, or pin its SHA-256 fingerprint.',
      });
    }
    return new DsmError({
      ...base,
      kind: 'network',
      code,
      reason: `cannot reach ${this.options.baseUrl.host} (${code})`,
      hint: NETWORK_HINTS[code] ?? 'Check that the NAS is on and reachable from this machine.',
    });
  }
}

/** A download: the body stream, or DSM's JSON error envelope. */
export interface StreamAnswer {
  stream?: Readable;
  envelope?: DsmEnvelope;
  length?: number;
  contentType?: string;
  contentRange?: string;
}

/**
 * node:http for axios, except that a connection that carried an HTTP error answer (413, a proxy's 502) is closed
 * instead of going back to the pool: it may still hold the rest of a body the server did not read, or be closed by
 * the server a moment later. Decided on the answer's headers, before Node hands the socket to a queued request.
 */
const keepAliveOnlyAfterSuccess = {
  request(
    options: https.RequestOptions,
    onResponse: (res: http.IncomingMessage) => void,
  ): http.ClientRequest {
    const request =
      options.protocol === 'https:' ? https.request(options, onResponse) : http.request(options, onResponse);
    request.on('response', (res: http.IncomingMessage) => {
      if (res.statusCode !== 200 && res.statusCode !== 206) {
        (request as http.ClientRequest & { shouldKeepAlive: boolean }).shouldKeepAlive = false;
      }
    });
    return request;
  },
};

const HTTP_HINTS: Record<number, string> = {
  404: 'No DSM Web API at this address: check host, port and protocol.',
  416: 'The requested byte range is outside the file.',
  429: 'A reverse proxy limits the request rate: send fewer requests at once, or try again later.',
  502: 'DSM answers 502 while it starts or restarts (its web server runs before its API); otherwise a reverse proxy cannot reach it. The call may have been done: it was not sent again.',
  503: 'The NAS web server or a reverse proxy in front of it is overloaded or in maintenance: try again later.',
  504: 'A reverse proxy gave up waiting for DSM: the call may still have been done; it was not sent again.',
};

/**
 * An HTTP answer that is not DSM's (a web server's or a proxy's error page): reported by its status, never sent
 * again (a 502 or 504 may come after DSM did the work). A `Retry-After` (RFC 9110 §10.2.3: seconds or an HTTP date;
 * proxies send it with 503 and 429, DSM's own nginx does not) goes to `details.retryAfterSeconds`, as with the
 * client's own login pauses, so that a flow can wait that long before it tries again.
 */
function httpError(status: number, req: WebApiRequest, headers: Record<string, unknown>): DsmError {
  const retryAfterSeconds = parseRetryAfter(headers['retry-after']);
  const hint = HTTP_HINTS[status] ?? 'A reverse proxy or the NAS web server refused the request.';
  return new DsmError({
    kind: 'http',
    code: `HTTP_${status}`,
    api: req.api,
    method: req.method,
    reason: `HTTP ${status} from /webapi/${req.cgiPath}`,
    hint: retryAfterSeconds === undefined ? hint : `${hint} The server asks to wait ${retryAfterSeconds} s.`,
    details: retryAfterSeconds === undefined ? undefined : { retryAfterSeconds },
  });
}

/** Whole seconds from now; undefined when absent or neither delta-seconds nor an HTTP date. */
export function parseRetryAfter(value: unknown, now = Date.now()): number | undefined {
  if (typeof value !== 'string' || value.trim() === '') return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text);
  const at = Date.parse(text);
  if (!/[a-z]/i.test(text) || Number.isNaN(at)) return undefined;
  return Math.max(0, Math.ceil((at - now) / 1000));
}

async function readSmall(stream: Readable, limit: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    size += (chunk as Buffer).length;
    if (size > limit) {
      stream.destroy();
      break;
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** `a=1&b=x%20y`: spaces as %20, which every DSM CGI decodes. */
export function encodeForm(params: Record<string, string>): string {
  return Object.entries(params)
    .map(([key, value]) => `${encodeURIComponent(key)}=${encodeURIComponent(value)}`)
    .join('&');
}

function parseEnvelope(body: unknown, req: WebApiRequest): DsmEnvelope {
  let parsed: unknown = body;
  if (typeof body === 'string') {
    try {
      parsed = JSON.parse(body);
    } catch {
      parsed = undefined;
    }
  }
  if (!parsed || typeof parsed !== 'object' || typeof (parsed as DsmEnvelope).success !== 'boolean') {
    throw new DsmError({
      kind: 'http',
      code: 'EBADANSWER',
      api: req.api,
      method: req.method,
      reason: `the answer from /webapi/${req.cgiPath} is not a DSM Web API answer`,
      hint: 'Check that the URL points at DSM itself and not at a web page or proxy login.',
    });
  }
  return parsed as DsmEnvelope;
}
