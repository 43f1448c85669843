import { DsmError, DsmSystem, type DsmClient, type PingResult } from '../dsm';

/**
 * What the watch makes of DSM's liveness page before a poll. up: poll. asleep: the disks hibernate, so no Web API
 * request is sent (any would wake them). offline: booting or down, so no request (and no login) is sent.
 * unknown: the page could not be read (a reverse proxy that forwards only /webapi, a TLS failure): poll anyway,
 * the sources' own errors tell what is wrong.
 */
export type Liveness =
  | { state: 'up' }
  | { state: 'asleep'; reason: string }
  | { state: 'offline'; nas: 'booting' | 'down'; error: DsmError }
  | { state: 'unknown' };

export async function livenessOf(client: DsmClient, signal: AbortSignal): Promise<Liveness> {
  let ping: PingResult;
  try {
    ping = await new DsmSystem(client).ping({ signal });
  } catch {
    return { state: 'unknown' };
  }
  switch (ping.state) {
    case 'up':
      return { state: 'up' };
    case 'hibernating':
      return { state: 'asleep', reason: `the disks hibernate (${ping.reason})` };
    case 'booting':
      return {
        state: 'offline',
        nas: 'booting',
        error: new DsmError({
          kind: 'http',
          code: 'EBOOTING',
          api: 'pingpong.cgi',
          reason: `DSM is booting (${ping.reason})`,
          hint: 'The watch polls again once DSM is up; nothing to do.',
        }),
      };
    case 'down':
      return {
        state: 'offline',
        nas: 'down',
        error: new DsmError({
          kind: 'network',
          code: ping.reason,
          api: 'pingpong.cgi',
          reason: `DSM does not answer (${ping.reason})`,
          hint: 'Check that the NAS is on and reachable at this address.',
        }),
      };
  }
}
