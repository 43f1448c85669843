import type { DiskSpec } from './hardware';
import type { NasHealth } from './health';

const POOL_ID = 'reuse_1';
const VOLUME_ID = 'volume_1';

// Capability blocks copied in shape from the DS918+ capture (DSM 6.2): nothing reads them but DSM's own UI.
const CAN_DO = {
  data_scrubbing: true,
  delete: true,
  expand_by_disk: 1,
  migrate: { 'to_raid5+spare': '1-1', to_raid6: 1 },
  raid_cross: true,
};
const VSPACE_CAN_DO = {
  drbd: { resize: { can_do: false, errCode: 53504, stopService: false } },
  flashcache: {
    apply: { can_do: true, errCode: 0, stopService: true },
    remove: { can_do: true, errCode: 0, stopService: false },
    resize: { can_do: true, errCode: 0, stopService: false },
  },
  snapshot: { resize: { can_do: false, errCode: 53504, stopService: false } },
};

/**
 * SYNO.Storage.CGI.Storage load_info, in the shape of the DSM 6 captures (py-synologydsm-api
 * dsm_6__storage__*.json; same keys as the DS918+ RAID 5 one): sizes are decimal strings, `temp` an int, the
 * volume's `disks` is empty and its `pool_path` names the pool, whose `disks` lists the disk ids; a disk's
 * `used_by` is the pool id.
 */
export function loadInfo(health: NasHealth): Record<string, unknown> {
  const { hardware } = health;
  return {
    disks: hardware.disks.map((disk) => diskObject(health, disk)),
    env: envObject(health),
    hotSpareConf: { cross_repair: true, disable_repair: [] },
    hotSpares: [],
    iscsiLuns: [],
    iscsiTargets: [],
    ports: [],
    ssdCaches: [],
    storagePools: [poolObject(health)],
    volumes: [volumeObject(health)],
  };
}

function diskObject(health: NasHealth, disk: DiskSpec): Record<string, unknown> {
  const state = health.disk(disk.id);
  const name = `Drive ${disk.numId}`;
  return {
    adv_progress: '',
    adv_status: 'normal',
    below_remain_life_thr: state.below_remain_life_thr,
    compatibility: 'disabled',
    container: { order: 0, str: health.hardware.model, supportPwrBtnDisable: false, type: 'internal' },
    device: disk.device,
    disable_secera: false,
    diskType: 'SATA',
    disk_code: disk.diskCode,
    erase_time: 448,
    exceed_bad_sector_thr: state.exceed_bad_sector_thr,
    firm: disk.firm,
    has_system: true,
    id: disk.id,
    ihm_testing: false,
    is4Kn: false,
    isSsd: false,
    isSynoPartition: true,
    is_erasing: false,
    longName: name,
    model: disk.model,
    name,
    num_id: disk.numId,
    order: disk.numId,
    overview_status: state.overview_status,
    pciSlot: -1,
    perf_testing: false,
    portType: 'normal',
    remain_life: -1,
    remote_info: { compatibility: 'disabled', unc: 0 },
    serial: disk.serial,
    size_total: disk.sizeTotal,
    smart_progress: '',
    smart_status: state.smart_status,
    smart_test_limit: 0,
    smart_testing: false,
    status: state.status,
    support: false,
    temp: health.diskTemp(disk),
    testing_progress: '',
    testing_type: '',
    tray_status: 'join',
    unc: 0,
    used_by: POOL_ID,
    vendor: disk.vendor,
  };
}

function poolObject(health: NasHealth): Record<string, unknown> {
  const { hardware } = health;
  const failed = health.failedDiskCount();
  return {
    cacheStatus: '',
    can_do: CAN_DO,
    container: 'internal',
    deploy_path: VOLUME_ID,
    desc: hardware.pool.desc,
    device_type: hardware.pool.deviceType,
    disk_failure_number: failed,
    disks: hardware.disks.map((disk) => disk.id),
    drive_type: 0,
    id: POOL_ID,
    is_actioning: false,
    is_scheduled: false,
    is_writable: health.volumeStatus !== 'crashed',
    last_done_time: 1_551_201_018,
    limited_disk_number: 24,
    maximal_disk_size: '0',
    minimal_disk_size: hardware.pool.minimalDiskSize,
    next_schedule_time: 0,
    num_id: 1,
    pool_path: POOL_ID,
    progress: { percent: '-1', step: 'none' },
    raidType: 'single',
    raids: [
      {
        designedDiskCount: hardware.disks.length,
        devices: hardware.disks.map((disk, slot) => ({
          id: disk.id,
          slot,
          status: health.disk(disk.id).status,
        })),
        hasParity: true,
        minDevSize: hardware.pool.minimalDiskSize,
        normalDevCount: hardware.disks.length - failed,
        raidPath: '/dev/md2',
        raidStatus: 1,
        spares: [],
      },
    ],
    scrubbingStatus: 'no_action',
    size: { total: hardware.pool.total, used: hardware.pool.total },
    space_path: '/dev/md2',
    ssd_trim: { support: 'not support' },
    status: health.volumeStatus,
    suggestions: [],
    timebackup: false,
    vspace_can_do: VSPACE_CAN_DO,
  };
}

function volumeObject(health: NasHealth): Record<string, unknown> {
  const { hardware } = health;
  const { volume } = hardware;
  const inodes = volume.totalInode === '0' ? '0' : String(Math.round(Number(volume.totalInode) * 0.9));
  return {
    atime_checked: false,
    atime_opt: 'relatime',
    cacheStatus: '',
    can_do: CAN_DO,
    container: 'internal',
    deploy_path: VOLUME_ID,
    desc: hardware.pool.desc,
    device_type: hardware.pool.deviceType,
    disk_failure_number: health.failedDiskCount(),
    disks: [],
    drive_type: 0,
    eppool_used: '0',
    exist_alive_vdsm: false,
    fs_type: volume.fsType,
    id: VOLUME_ID,
    is_acting: false,
    is_actioning: false,
    is_inode_full: false,
    is_scheduled: false,
    is_writable: health.volumeStatus !== 'crashed',
    last_done_time: 1_551_201_018,
    limited_disk_number: 24,
    max_fs_size: '1152921504606846976',
    next_schedule_time: 0,
    num_id: 1,
    pool_path: POOL_ID,
    progress: { percent: '-1', step: 'none' },
    raidType: 'single',
    scrubbingStatus: 'no_action',
    size: {
      free_inode: inodes,
      total: volume.total,
      total_device: volume.totalDevice,
      total_inode: volume.totalInode,
      used: String(health.volumeUsed()),
    },
    ssd_trim: { support: 'not support' },
    status: health.volumeStatus,
    suggestions: [],
    timebackup: false,
    used_by_gluster: false,
    vol_path: '/volume1',
    vspace_can_do: VSPACE_CAN_DO,
  };
}

function envObject(health: NasHealth): Record<string, unknown> {
  const { hardware } = health;
  return {
    batchtask: { max_task: 64, remain_task: 64 },
    bay_number: String(hardware.bays),
    data_scrubbing: { sche_enabled: '0', sche_status: 'disabled' },
    ebox: [],
    fs_acting: false,
    isSyncSysPartition: false,
    is_space_actioning: false,
    isns: { address: '', enabled: false },
    isns_server: '',
    max_fs_bytes: hardware.maxFsBytes,
    max_fs_bytes_high_end: hardware.maxFsBytesHighEnd,
    model_name: hardware.model,
    ram_enough_for_fs_high_end: false,
    ram_size: Math.round(hardware.ramMb / 1024),
    ram_size_required: 32,
    showpooltab: false,
    status: { system_crashed: false, system_need_repair: false },
    support: { ebox: false, raid_cross: true, sysdef: true },
    support_fit_fs_limit: true,
    unique_key: 'SimulatorUniqueKey',
    volume_full_critical: 0.1,
    volume_full_warning: 0.2,
  };
}
