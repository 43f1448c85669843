import type { ApiCall, ApiHandler } from './api-handler';

const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** DSM's ctime-like time string, e.g. "Sat Mar 18 15:41:07 2023" (UTC here). */
export function formatDsmTime(ms: number): string {
  const date = new Date(ms);
  const pad = (value: number): string => String(value).padStart(2, '0');
  const clock = `${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())}`;
  return `${WEEKDAYS[date.getUTCDay()]} ${MONTHS[date.getUTCMonth()]} ${pad(date.getUTCDate())} ${clock} ${date.getUTCFullYear()}`;
}

function getinfo(call: ApiCall): Record<string, string | number | boolean> {
  const { sim } = call;
  const now = sim.clock.now();
  return {
    codepage: 'enu',
    model: sim.profile.model,
    ram: 2048,
    serial: 'SIM0123456789',
    temperature: 42,
    temperature_warn: false,
    time: formatDsmTime(now),
    uptime: Math.floor((now - sim.nas.power.bootedAt) / 1000),
    version: sim.profile.build,
    version_string: sim.profile.versionString,
  };
}

export const dsmInfoHandler: ApiHandler = { methods: { getinfo } };
