import type { DsmClient } from '../../client';
import { DsmError } from '../../errors';
import { SYSTEM_API } from './apis';

/** SYNO.Core.System has `reboot` and `shutdown` in versions 1-2 only; version 3 (DSM 7.2) answers 103 (mikespub docs/Core.json, home-assistant/core #105845). */
const POWER_MAX_VERSION = 2;

/**
 * Sends `reboot` or `shutdown` at a version that has it. Sent once, never retried by anything but the client's
 * session renewal (DSM did not run a call it answered with a session error).
 */
export async function sendPower(
  client: DsmClient,
  method: 'reboot' | 'shutdown',
  signal?: AbortSignal,
): Promise<void> {
  const entry = (await client.apiInfo(signal))[SYSTEM_API];
  if (entry && entry.minVersion > POWER_MAX_VERSION) {
    throw new DsmError({
      kind: 'input',
      code: 104,
      api: SYSTEM_API,
      method,
      reason: `this DSM serves ${SYSTEM_API} versions ${entry.minVersion}-${entry.maxVersion}; ${method} exists only in versions 1-2`,
      hint: `Use DSM's own ${method} (Control Panel or the power button).`,
    });
  }
  const version = entry ? Math.min(POWER_MAX_VERSION, entry.maxVersion) : undefined;
  // py-synologydsm-api sends shutdown with local=true (as the simulator notes); reboot without params.
  const params = method === 'shutdown' ? { local: true } : {};
  await client.call(SYSTEM_API, method, params, { signal, version });
}
