import type { IncomingMessage, ServerResponse } from 'node:http';
import type { CloudSyncConnectionSpec, CloudSyncFailureSpec } from './cloud-sync/control';
import type { SimulatorControl } from './control';
import type { FaultSpec } from './faults';
import { isLoopbackAddress, REMOTE_CONTROL_REFUSED } from './control-access';
import { decodePercent, readBody, sendJson } from './http-io';
import { checkDownloadStationApis } from './options';

type ControlAction = (control: SimulatorControl, body: Record<string, unknown>, arg: string) => unknown;

const OK = { ok: true };

/** `METHOD /sim/path` → action; a trailing `/*` passes the rest of the path as `arg`. */
const CONTROL_ROUTES: Record<string, ControlAction> = {
  'GET /sim/counters': (control) => control.counters(),
  'POST /sim/counters/reset': (control) => {
    control.resetCounters();
    return OK;
  },
  'GET /sim/faults': (control) => control.pendingFaults(),
  'POST /sim/faults': (control, body) => {
    control.injectFault(body as FaultSpec);
    return OK;
  },
  'DELETE /sim/faults': (control) => {
    control.clearFaults();
    return OK;
  },
  'GET /sim/clock': (control) => ({ now: control.now() }),
  'POST /sim/clock': (control, body) => ({ now: control.advanceClock(Number(body.advanceMs)) }),
  'GET /sim/sessions': (control) => control.sessions(),
  'POST /sim/sessions/expire': (control) => {
    control.expireAllSessions();
    return OK;
  },
  'POST /sim/sessions/invalidate': (control) => {
    control.invalidateAllSessions();
    return OK;
  },
  'POST /sim/sessions/kick': (control) => {
    control.kickAllSessions();
    return OK;
  },
  'POST /sim/sessions/forget': (control) => {
    control.forgetAllSessions();
    return OK;
  },
  'GET /sim/totp/*': (control, _body, username) => ({ code: control.totpCode(username) }),
  'POST /sim/unblock': (control) => {
    control.unblockAll();
    return OK;
  },
  'GET /sim/requests': (control) => control.requestLog(),
  'DELETE /sim/requests': (control) => {
    control.clearRequestLog();
    return OK;
  },
  'POST /sim/download-station': (control, body) => {
    if (body.installed === undefined && body.apis === undefined)
      throw new TypeError('give installed (true or false), apis, or both');
    if (body.installed !== undefined && typeof body.installed !== 'boolean')
      throw new TypeError('installed must be true or false');
    if (body.apis !== undefined) control.setDownloadStationApis(checkDownloadStationApis(body.apis, 'apis'));
    if (body.installed !== undefined) control.setDownloadStationInstalled(body.installed);
    return OK;
  },
  'POST /sim/download-station/finish': (control, body) => {
    control.finishDownloadTask(String(body.id));
    return OK;
  },
  'POST /sim/download-station/fail': (control, body) => {
    const detail = body.errorDetail;
    if (typeof detail !== 'string' && typeof detail !== 'number') {
      throw new TypeError('errorDetail must be a string or a number');
    }
    control.failDownloadTask(String(body.id), detail);
    return OK;
  },
  'POST /sim/cloud-sync': (control, body) => {
    if (typeof body.installed !== 'boolean') throw new TypeError('installed must be true or false');
    control.setCloudSyncInstalled(body.installed);
    return OK;
  },
  'POST /sim/cloud-sync/connections': (control, body) =>
    control.addCloudSyncConnection(body as unknown as CloudSyncConnectionSpec),
  'POST /sim/cloud-sync/fail': (control, body) => {
    control.failCloudSyncConnection(Number(body.id), body as CloudSyncFailureSpec);
    return OK;
  },
  'POST /sim/cloud-sync/recover': (control, body) => {
    control.recoverCloudSyncConnection(Number(body.id));
    return OK;
  },
  'POST /sim/health/disk': (control, body) => {
    const { id, ...health } = body;
    control.setDiskHealth(String(id), health);
    return OK;
  },
  'POST /sim/health/disk/fail-smart': (control, body) => {
    control.failDiskSmart(String(body.id));
    return OK;
  },
  'POST /sim/health/volume': (control, body) => {
    control.setVolumeStatus(body.status as string);
    return OK;
  },
  'POST /sim/health/temperature': (control, body) => {
    control.setTemperatureRise(Number(body.rise));
    return OK;
  },
  'POST /sim/upgrade': (control, body) => {
    if (typeof body.available !== 'boolean') throw new TypeError('available must be true or false');
    control.setUpdateAvailable(body.available);
    return OK;
  },
  'GET /sim/power': (control) => control.powerState(),
  'POST /sim/power/hibernate': (control) => {
    control.hibernate();
    return OK;
  },
  'POST /sim/power/reboot': (control, body) => {
    control.reboot({ downMs: optionalNumber(body.downMs), bootMs: optionalNumber(body.bootMs) });
    return OK;
  },
  'POST /sim/power/shutdown': (control) => {
    control.shutdown();
    return OK;
  },
  'POST /sim/power/on': (control, body) => {
    control.powerOn(optionalNumber(body.bootMs));
    return OK;
  },
  'POST /sim/hyper-backup': (control, body) => {
    if (typeof body.installed !== 'boolean') throw new TypeError('installed must be true or false');
    control.setHyperBackupInstalled(body.installed);
    return OK;
  },
  'POST /sim/hyper-backup/result': (control, body) => {
    control.setBackupResult(Number(body.taskId), body.result as string);
    return OK;
  },
  'POST /sim/hyper-backup/finish': (control, body) => {
    control.finishBackupNow(Number(body.taskId));
    return OK;
  },
};

function optionalNumber(value: unknown): number | undefined {
  return value === undefined ? undefined : Number(value);
}

/**
 * Serves the control surface under /sim/ (JSON in, JSON out), to this machine only unless allowRemote: it
 * can end sessions, inject faults and read TOTP codes.
 */
export async function handleControl(
  control: SimulatorControl,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  allowRemote: boolean,
): Promise<void> {
  if (!allowRemote && !isLoopbackAddress(req.socket.remoteAddress)) {
    sendJson(res, 403, { error: REMOTE_CONTROL_REFUSED });
    return;
  }
  const found = findAction(req.method ?? 'GET', url.pathname);
  if (!found) {
    sendJson(res, 400, { error: `Bad percent-encoding in ${url.pathname}` });
    return;
  }
  const { action, arg } = found;
  if (!action) {
    sendJson(res, 404, { error: `No control endpoint ${req.method} ${url.pathname}` });
    return;
  }
  try {
    const body = await readJsonObject(req);
    sendJson(res, 200, action(control, body, arg));
  } catch (error) {
    sendJson(res, 400, { error: error instanceof Error ? error.message : String(error) });
  }
}

/** The route and its argument; undefined when the argument is not valid percent-encoding. */
function findAction(
  method: string,
  pathname: string,
): { action: ControlAction | undefined; arg: string } | undefined {
  const exact = CONTROL_ROUTES[`${method} ${pathname}`];
  if (exact) return { action: exact, arg: '' };
  const slash = pathname.lastIndexOf('/');
  const wildcard = CONTROL_ROUTES[`${method} ${pathname.slice(0, slash)}/*`];
  const arg = decodePercent(pathname.slice(slash + 1));
  return arg === undefined ? undefined : { action: wildcard, arg };
}

async function readJsonObject(req: IncomingMessage): Promise<Record<string, unknown>> {
  const text = await readBody(req);
  if (text.trim() === '') return {};
  const parsed = JSON.parse(text) as unknown;
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new TypeError('The request body must be a JSON object');
  }
  return parsed as Record<string, unknown>;
}
