import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { sendErrorPage, sendJson } from '../http-io';
import type { SimulatorState } from '../state';

export const PINGPONG_PATH = '/webman/pingpong.cgi';

/**
 * `GET /webman/pingpong.cgi?action=cors`, no login: `{success, boot_done, disk_hibernation, ezid}`
 * (seansfkelley/synology-typescript-api PingPong.ts), `ezid` being md5 of the server id (QuickConnect checks it;
 * here the simulator's hostname). It never wakes the disks. While the NAS is down or off nothing answers.
 */
export function handlePingPong(
  sim: SimulatorState,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
): void {
  const { power } = sim.nas;
  const phase = power.phase();
  if (phase === 'down' || phase === 'off') {
    req.socket.destroy();
    return;
  }
  if (url.searchParams.get('action') === 'cors') res.setHeader('Access-Control-Allow-Origin', '*');
  sendJson(res, 200, {
    success: true,
    boot_done: phase === 'up',
    disk_hibernation: power.diskHibernation(),
    ezid: createHash('md5').update(sim.options.hostname).digest('hex'),
  });
}

/**
 * Whether a /webapi request may go on. Down or off: the connection is dropped (a client sees a reset, as for a
 * host that does not answer). Booting: DSM's nginx is up before its API and answers HTTP 502 with an HTML page
 * (HA #135289 logged a 502 text/html from entry.cgi; RROrg/rr#264: "upstream prematurely closed connection" for
 * /webapi/auth.cgi). Up: the request wakes hibernating disks.
 */
export function admitWebApi(sim: SimulatorState, req: IncomingMessage, res: ServerResponse): boolean {
  const { power } = sim.nas;
  switch (power.phase()) {
    case 'down':
    case 'off':
      req.socket.destroy();
      return false;
    case 'booting':
      sendErrorPage(res, 502, { Connection: 'close' });
      return false;
    case 'up':
      power.wake();
      return true;
  }
}
