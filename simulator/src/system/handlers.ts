import { CommonError, DsmApiError } from '../dsm-error';
import type { ApiCall, ApiHandler } from '../handlers/api-handler';
import { loadInfo } from './storage-info';
import { offeredUpdate, systemInfo, utilization } from './system-info';

/** SYNO.Core.System v3 has `info` only; shutdown and reboot exist in v1-2 (mikespub docs/Core.json; HA #105845). */
const POWER_METHODS_MAX_VERSION = 2;

function requirePowerVersion(call: ApiCall): void {
  if (call.version > POWER_METHODS_MAX_VERSION) throw new DsmApiError(CommonError.NoSuchMethod);
}

/** `type` (storage, storage_v2, network, ...) is accepted but not simulated: the answer is always the plain info. */
function info(call: ApiCall): Record<string, unknown> {
  return systemInfo(call.sim);
}

/**
 * Answers success, then the NAS goes down: every session is gone (119 afterwards), connections are dropped,
 * then DSM boots (pingpong boot_done false, /webapi 502) and comes back.
 */
function reboot(call: ApiCall): undefined {
  requirePowerVersion(call);
  call.sim.nas.power.reboot();
  call.sim.sessions.forgetAll();
  return undefined;
}

/** `local=true` (py-synologydsm-api) is accepted. The NAS stays off until the control surface powers it on. */
function shutdown(call: ApiCall): undefined {
  requirePowerVersion(call);
  call.sim.nas.power.shutdown();
  call.sim.sessions.forgetAll();
  return undefined;
}

/** SYNO.Core.System.Status get: `{is_system_crashed, upgrade_ready}` (go-synology, synology-typescript-api types). */
function status(): Record<string, boolean> {
  return { is_system_crashed: false, upgrade_ready: false };
}

/** SYNO.Core.Upgrade.Server check: `{update: {available: false}}` or the offered update. */
function check(call: ApiCall): Record<string, unknown> {
  return { update: call.sim.nas.updateAvailable ? offeredUpdate(call.sim) : { available: false } };
}

export const SYSTEM_HANDLERS: readonly (readonly [string, ApiHandler])[] = [
  ['SYNO.Storage.CGI.Storage', { methods: { load_info: (call) => loadInfo(call.sim.nas.health) } }],
  ['SYNO.Core.System', { methods: { info, reboot, shutdown } }],
  ['SYNO.Core.System.Utilization', { methods: { get: (call) => utilization(call.sim) } }],
  ['SYNO.Core.System.Status', { methods: { get: status } }],
  ['SYNO.Core.Upgrade.Server', { methods: { check } }],
];
