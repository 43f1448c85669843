import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Route, ApiRouter } from './api-router';
import { CommonError, DsmApiError } from './dsm-error';
import { decryptParams } from './encryption/login-cipher';
import type { Fault } from './faults';
import { RawAnswer, type ApiCall } from './handlers';
import {
  BodyTooLargeError,
  headerValue,
  readCookie,
  readParams,
  sendJson,
  sendErrorPage,
  sendNotFound,
  sendStatus,
  sleep,
} from './http-io';
import { formFieldsRead, formFilesRead } from './multipart-form';
import { ParamReader, type RawParams } from './params';
import { maskParams, type RequestLogEntry } from './request-log';
import type { Session } from './sessions';
import type { SimulatorState } from './state';

type DsmBody =
  { success: true; data?: unknown } | { success: false; error: { code: number; errors?: unknown } };

interface DsmReply {
  body: DsmBody;
  cookies: string[];
  httpStatus?: number;
  contentType?: string;
}

interface WebApiRequest {
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  readonly params: RawParams;
  readonly log: RequestLogEntry;
}

/** Serves one request under /webapi/: routing, faults, session check, handler, DSM-shaped answer. */
export async function handleWebApi(
  sim: SimulatorState,
  router: ApiRouter,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
): Promise<void> {
  const { cgiPath, apiInPath } = splitApiPath(url.pathname.slice('/webapi/'.length));
  if (!router.servesPath(cgiPath)) {
    sendNotFound(res);
    return;
  }
  let params: RawParams;
  try {
    params = await decryptParams(withApiFromPath(await readParams(req, url), apiInPath));
  } catch (error) {
    if (!(error instanceof BodyTooLargeError)) throw error;
    sendStatus(res, 413);
    return;
  }
  const request: WebApiRequest = {
    req,
    res,
    params,
    log: sim.requestLog.add(logEntry(sim, req, cgiPath, params)),
  };

  let route: Route;
  try {
    route = router.resolve(cgiPath, params);
    const served = sim.served(route.entry);
    if (!served) throw new DsmApiError(CommonError.NoSuchApi);
    if (route.version > served.maxVersion) throw new DsmApiError(CommonError.VersionNotSupported);
  } catch (error) {
    reply(request, { body: errorBody(error), cookies: [] });
    return;
  }
  sim.counters.countRequest(route.entry.api, route.method);
  const fault = sim.faults.take(route.entry.api, route.method);
  const contentType = route.handler.answerContentType;
  if (fault?.when === 'before' && (await applyFault(request, fault, contentType))) return;
  const answer = await perform(sim, request, route);
  logFormFields(request);
  if (fault?.when === 'after' && (await applyFault(request, fault, contentType))) return;
  if (answer instanceof RawAnswer) await sendRaw(request, answer);
  else reply(request, answer);
}

async function sendRaw(request: WebApiRequest, answer: RawAnswer): Promise<void> {
  try {
    await answer.send(request.res);
  } catch (error) {
    // A client that goes away in the middle of a download is not the simulator's problem.
    if (!request.res.destroyed && !request.req.destroyed) throw error;
  }
}

async function perform(
  sim: SimulatorState,
  request: WebApiRequest,
  route: Route,
): Promise<DsmReply | RawAnswer> {
  const { req, params } = request;
  const sid = params.get('_sid') || readCookie(req, 'id') || undefined;
  const cookies: string[] = [];
  try {
    const session = authorize(sim, request, route, sid);
    request.log.performed = true;
    const call: ApiCall = {
      entry: route.entry,
      method: route.method,
      version: route.version,
      params: new ParamReader(params, route.entry.requestFormat === 'JSON'),
      sid,
      session,
      clientIp: req.socket.remoteAddress ?? '',
      sim,
      http: { req, res: request.res },
      setCookie: (cookie) => cookies.push(cookie),
    };
    const data = await route.handler.methods[route.method](call);
    if (data instanceof RawAnswer) return data;
    return {
      body: data === undefined ? { success: true } : { success: true, data },
      cookies,
      contentType: route.handler.answerContentType,
    };
  } catch (error) {
    return {
      body: errorBody(error),
      cookies: [],
      httpStatus: error instanceof DsmApiError ? error.httpStatus : undefined,
      contentType: route.handler.answerContentType,
    };
  }
}

/**
 * The session a non-public method needs (119 none or unknown, 106 idle too long, 105 lost as by a reboot, 107 ended
 * by a duplicate login).
 */
function authorize(
  sim: SimulatorState,
  request: WebApiRequest,
  route: Route,
  sid: string | undefined,
): Session | undefined {
  if (route.handler.publicMethods?.includes(route.method)) return sid ? sim.sessions.peek(sid) : undefined;
  if (!sid) throw new DsmApiError(CommonError.InvalidSession);
  const found = sim.sessions.lookup(sid);
  switch (found.status) {
    case 'expired':
      throw new DsmApiError(CommonError.SessionTimeout);
    case 'invalidated':
      throw new DsmApiError(CommonError.NoPermission);
    case 'kicked':
      throw new DsmApiError(CommonError.SessionInterruptedByDuplicateLogin);
    case 'unknown':
      throw new DsmApiError(CommonError.InvalidSession);
  }
  sim.sessions.touch(found.session);
  const token = found.session.synoToken;
  const sentToken = headerValue(request.req, 'x-syno-token') ?? request.params.get('SynoToken');
  if (token !== undefined && sentToken === token) sim.counters.requestsWithSynoToken += 1;
  return found.session;
}

/** Applies a fault at its point; true when it ended the request. */
async function applyFault(
  request: WebApiRequest,
  fault: Fault,
  contentType: string | undefined,
): Promise<boolean> {
  if (fault.delayMs > 0) await sleep(fault.delayMs);
  if (fault.reset) {
    request.log.reset = true;
    request.req.socket.destroy();
    return true;
  }
  if (fault.code !== undefined) {
    reply(request, { body: { success: false, error: { code: fault.code } }, cookies: [], contentType });
    return true;
  }
  if (fault.status !== undefined) {
    request.log.httpStatus = fault.status;
    const headers: Record<string, string> = {};
    if (fault.retryAfterS !== undefined) headers['Retry-After'] = String(fault.retryAfterS);
    sendErrorPage(request.res, fault.status, headers);
    return true;
  }
  return false;
}

/**
 * The text fields of a multipart body the handler read (torrent creates, uploads) join the logged params; the names
 * of its file parts are logged as `files`.
 */
function logFormFields(request: WebApiRequest): void {
  const fields = formFieldsRead(request.req);
  if (fields) Object.assign(request.log.params, maskParams(fields));
  const files = formFilesRead(request.req);
  if (files) request.log.files = [...files];
}

function reply(request: WebApiRequest, answer: DsmReply): void {
  if (!answer.body.success) request.log.errorCode = answer.body.error.code;
  sendJson(request.res, answer.httpStatus ?? 200, answer.body, answer.cookies, answer.contentType);
}

function errorBody(error: unknown): DsmBody {
  if (!(error instanceof DsmApiError)) {
    console.error('synology-dsm-sim: unexpected error', error);
    return { success: false, error: { code: CommonError.Unknown } };
  }
  const body: DsmBody = { success: false, error: { code: error.code } };
  if (error.errors !== undefined) body.error.errors = error.errors;
  return body;
}

/**
 * `entry.cgi/SYNO.API.Auth.UIConfig`: DSM 7's web UI names the API after the CGI (N4S4/synology-api auth.py,
 * `get_ik_message` and `request_webapi_data`); the `api` param, when sent, still decides.
 */
export function splitApiPath(path: string): { cgiPath: string; apiInPath?: string } {
  const match = /^(.*?\.cgi)\/(SYNO\.[A-Za-z0-9_.]+)$/.exec(path);
  return match ? { cgiPath: match[1], apiInPath: match[2] } : { cgiPath: path };
}

function withApiFromPath(params: RawParams, api: string | undefined): RawParams {
  if (!api || params.get('api')) return params;
  return new Map([...params, ['api', api]]);
}

function logEntry(
  sim: SimulatorState,
  req: IncomingMessage,
  cgiPath: string,
  params: RawParams,
): RequestLogEntry {
  const version = Number(params.get('version'));
  return {
    time: sim.clock.now(),
    httpMethod: req.method ?? 'GET',
    path: cgiPath,
    api: params.get('api'),
    method: params.get('method'),
    version: params.has('version') && Number.isInteger(version) ? version : undefined,
    params: maskParams(params),
    headers: {
      'x-syno-token': headerValue(req, 'x-syno-token') !== undefined,
      cookie: readCookie(req, 'id') !== undefined,
      'content-type': headerValue(req, 'content-type'),
      'transfer-encoding': headerValue(req, 'transfer-encoding'),
    },
  };
}
