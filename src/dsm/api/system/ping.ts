import { DsmError } from '../../errors';
import type { Transport } from '../../transport';
import { asRecord, flagOrNull } from './values';

/** What the NAS is doing, as told without logging in. */
export type PingState = 'up' | 'booting' | 'hibernating' | 'down';

export interface PingResult {
  state: PingState;
  /** pingpong's `boot_done` and `disk_hibernation`; null when it did not answer them. */
  bootDone: boolean | null;
  diskHibernation: boolean | null;
  /** Why this state, in one line: `boot_done is false`, `HTTP 502`, `ECONNREFUSED`... */
  reason: string;
}

export const PINGPONG_PATH = '/webman/pingpong.cgi?action=cors';
const PINGPONG = 'pingpong.cgi';

/**
 * Asks `/webman/pingpong.cgi?action=cors`, DSM's unauthenticated liveness page (seansfkelley/synology-typescript-api
 * PingPong.ts: `{success, boot_done, disk_hibernation, ezid}`). It needs no session, so it never counts towards
 * DSM's auto-block, and it does not wake hibernating disks as a Web API request does.
 *
 * down: no answer (refused, reset, timed out, unreachable). booting: `boot_done: false`, or HTTP 502/503 (DSM's
 * web server answers before DSM is up, home-assistant/core #135289). hibernating: `disk_hibernation: true`.
 * A TLS failure or an answer that is not pingpong's is an error, not a state: the address or settings are wrong.
 */
export async function ping(
  transport: Transport,
  options: { timeoutMs?: number; signal?: AbortSignal } = {},
): Promise<PingResult> {
  let answer: { status: number; body: string };
  try {
    answer = await transport.getPage(PINGPONG_PATH, { api: PINGPONG, ...options });
  } catch (err) {
    if (err instanceof DsmError && (err.kind === 'network' || err.kind === 'timeout'))
      return { state: 'down', bootDone: null, diskHibernation: null, reason: String(err.code) };
    throw err;
  }
  if (answer.status === 502 || answer.status === 503)
    return { state: 'booting', bootDone: null, diskHibernation: null, reason: `HTTP ${answer.status}` };
  const data = answer.status === 200 ? parse(answer.body) : undefined;
  if (!data || data.success !== true) throw notPingPong(answer.status);
  const bootDone = flagOrNull(data.boot_done);
  const diskHibernation = flagOrNull(data.disk_hibernation);
  if (bootDone === false)
    return { state: 'booting', bootDone, diskHibernation, reason: 'boot_done is false' };
  if (diskHibernation === true)
    return { state: 'hibernating', bootDone, diskHibernation, reason: 'disk_hibernation is true' };
  return { state: 'up', bootDone, diskHibernation, reason: 'DSM answered' };
}

function parse(body: string): Record<string, unknown> | undefined {
  try {
    return asRecord(JSON.parse(body));
  } catch {
    return undefined;
  }
}

function notPingPong(status: number): DsmError {
  return new DsmError({
    kind: 'http',
    code: status === 200 ? 'EBADANSWER' : `HTTP_${status}`,
    api: PINGPONG,
    method: 'GET',
    reason: `/webman/pingpong.cgi answered ${status === 200 ? 'something else than DSM' : `HTTP ${status}`}`,
    hint: 'Check that the address points at DSM itself (a reverse proxy may forward only /webapi).',
  });
}
