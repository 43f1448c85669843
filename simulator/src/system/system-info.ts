import type { SimulatorState } from '../state';

/** Above this system temperature (°C) DSM's warning flags are set; DSM's own threshold is not in any source. */
export const SYSTEM_TEMP_WARNING = 70;

/** "289:31:54": hours not wrapped into days, minutes and seconds not padded ("75:12:9") as in the captures. */
export function formatUpTime(ms: number): string {
  const seconds = Math.max(0, Math.floor(ms / 1000));
  return `${Math.floor(seconds / 3600)}:${Math.floor(seconds / 60) % 60}:${seconds % 60}`;
}

/** "2020-10-19 23:33:52" (UTC here). */
function formatLocalTime(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19).replace('T', ' ');
}

/**
 * SYNO.Core.System info without `type`, in the shape of the DSM 6.2.3 captures (py-synologydsm-api
 * dsm_6__core__dsm_6_core_system_ds918_plus.json): `cpu_cores` a string, `support_esata` "yes"/"no".
 */
export function systemInfo(sim: SimulatorState): Record<string, unknown> {
  const { health, power } = sim.nas;
  const { hardware } = health;
  const now = sim.clock.now();
  const sysTemp = health.systemTemp();
  const warm = sysTemp >= SYSTEM_TEMP_WARNING;
  return {
    cpu_clock_speed: hardware.cpu.clockSpeed,
    cpu_cores: hardware.cpu.cores,
    cpu_family: hardware.cpu.family,
    cpu_series: hardware.cpu.series,
    cpu_vendor: hardware.cpu.vendor,
    enabled_ntp: true,
    firmware_date: hardware.firmwareDate,
    firmware_ver: sim.profile.versionString,
    model: hardware.model,
    ntp_server: 'time.google.com',
    ram_size: hardware.ramMb,
    sata_dev: [],
    serial: 'SIM0123456789',
    support_esata: 'no',
    sys_temp: sysTemp,
    sys_tempwarn: warm,
    systempwarn: warm,
    temperature_warning: warm,
    time: formatLocalTime(now),
    time_zone: 'UTC',
    time_zone_desc: '(GMT) Coordinated Universal Time',
    up_time: formatUpTime(now - power.bootedAt),
    usb_dev: [],
  };
}

/**
 * SYNO.Core.System.Utilization get, in the shape of the DSM 6.2.2 capture
 * (dsm_6__core__dsm_6_core_utilization.json): memory in KB, disks by device, volumes as `md2`/`volume1`.
 */
export function utilization(sim: SimulatorState): Record<string, unknown> {
  const { health } = sim.nas;
  const { hardware } = health;
  const minute = 60_000;
  const user = health.swing(2, 30, 10 * minute, 0);
  const system = health.swing(1, 8, 7 * minute, 1);
  const other = health.swing(0, 4, 5 * minute, 2);
  const memorySize = hardware.ramMb * 1024;
  const totalReal = Math.round(memorySize * 0.92);
  const realUsage = health.swing(18, 45, 30 * minute, 3);
  const disks = hardware.disks.map((disk) => ({
    device: disk.id,
    display_name: `Drive ${disk.numId}`,
    read_access: health.swing(0, 12, 3 * minute, disk.numId),
    read_byte: health.swing(0, 900_000, 3 * minute, disk.numId),
    type: 'internal',
    utilization: health.swing(0, 25, 4 * minute, disk.numId),
    write_access: health.swing(0, 30, 3 * minute, disk.numId + 1),
    write_byte: health.swing(0, 1_500_000, 3 * minute, disk.numId + 1),
  }));
  const sum = (key: 'read_access' | 'read_byte' | 'write_access' | 'write_byte'): number =>
    disks.reduce((total, disk) => total + disk[key], 0);
  const volumeIo = {
    read_access: Math.round(sum('read_access') / 2),
    read_byte: Math.round(sum('read_byte') / 2),
    utilization: Math.round(disks.reduce((total, disk) => total + disk.utilization, 0) / disks.length),
    write_access: Math.round(sum('write_access') / 2),
    write_byte: Math.round(sum('write_byte') / 2),
  };
  const rx = health.swing(0, 2_000_000, 2 * minute, 4);
  const tx = health.swing(0, 600_000, 2 * minute, 5);
  return {
    cpu: {
      '15min_load': health.swing(10, 60, 60 * minute, 6),
      '1min_load': health.swing(5, 90, 5 * minute, 7),
      '5min_load': health.swing(8, 70, 20 * minute, 8),
      device: 'System',
      other_load: other,
      system_load: system,
      user_load: user,
    },
    disk: {
      disk: disks,
      total: {
        device: 'total',
        read_access: sum('read_access'),
        read_byte: sum('read_byte'),
        utilization: volumeIo.utilization,
        write_access: sum('write_access'),
        write_byte: sum('write_byte'),
      },
    },
    lun: [],
    memory: {
      avail_real: Math.round((totalReal * (100 - realUsage)) / 100 / 4),
      avail_swap: 2_000_000,
      buffer: 15_172,
      cached: Math.round((totalReal * (100 - realUsage)) / 100 / 2),
      device: 'Memory',
      memory_size: memorySize,
      real_usage: realUsage,
      si_disk: 0,
      so_disk: 0,
      swap_usage: 3,
      total_real: totalReal,
      total_swap: 2_097_084,
    },
    network: [
      { device: 'total', rx, tx },
      { device: 'eth0', rx, tx },
      { device: 'eth1', rx: 0, tx: 0 },
    ],
    space: {
      total: { device: 'total', ...volumeIo },
      volume: [{ device: 'md2', display_name: 'volume1', ...volumeIo }],
    },
    time: Math.floor(sim.clock.now() / 1000),
  };
}

/** The update SYNO.Core.Upgrade.Server check offers when one is available (shapes of the 6.2.3 / 7.0.1 captures). */
export function offeredUpdate(sim: SimulatorState): Record<string, unknown> {
  const dsm6 = sim.profile.name === 'dsm6';
  const [major, minor, micro, build, nano] = dsm6 ? [6, 2, 4, 25556, 7] : [7, 2, 2, 72806, 4];
  const version = `${major}.${minor}.${micro}-${build} Update ${nano}`;
  return {
    available: true,
    reboot: 'now',
    restart: 'some',
    type: 'nano',
    // DSM 6 prefixes "DSM " (dsm_6__core__dsm_6_core_upgrade_true.json), DSM 7 does not (dsm_7_…_true.json).
    version: dsm6 ? `DSM ${version}` : version,
    version_details: { buildnumber: build, major, micro, minor, nano, os_name: 'DSM' },
  };
}
