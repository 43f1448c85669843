import type { SimulatorProfileName } from '../options';

/** One drive bay's disk, with the fixed fields of a `load_info` disk. */
export interface DiskSpec {
  readonly id: string;
  readonly device: string;
  readonly numId: number;
  /** Space-padded as DSM sends it (captures: "ST4000VN008-2DR166      "). */
  readonly model: string;
  readonly vendor: string;
  readonly serial: string;
  readonly firm: string;
  readonly diskCode: string;
  /** Bytes, a decimal string as in the captures. */
  readonly sizeTotal: string;
  /** °C at rest; the simulator clock makes it drift around this. */
  readonly baseTemp: number;
}

/** The box a profile simulates: CPU, RAM, its disks and the one RAID pool / volume on them. */
export interface NasHardware {
  readonly model: string;
  readonly cpu: {
    readonly clockSpeed: number;
    readonly cores: string;
    readonly family: string;
    readonly series: string;
    readonly vendor: string;
  };
  readonly ramMb: number;
  readonly bays: number;
  readonly firmwareDate: string;
  readonly baseSysTemp: number;
  readonly disks: readonly DiskSpec[];
  readonly pool: {
    readonly deviceType: string;
    readonly desc: string;
    readonly total: string;
    readonly minimalDiskSize: string;
  };
  readonly volume: {
    readonly fsType: string;
    readonly total: string;
    readonly totalDevice: string;
    /** Bytes used at start; grows slowly over the simulator clock. */
    readonly used: number;
    readonly totalInode: string;
  };
  readonly maxFsBytes: string;
  readonly maxFsBytesHighEnd: string;
}

const FOUR_TB = '4000787030016';

/**
 * DSM 7 profile: a DS220+ (2 bays) with one RAID 1 pool and one Btrfs volume. The disk ids follow the DSM 7
 * naming of the DS923+ storage_v2 capture (`sata1`, `/dev/sata1`); the rest of the shapes follow the DSM 6
 * `load_info` captures, there being no DSM 7 one.
 */
const DS220_PLUS: NasHardware = {
  model: 'DS220+',
  cpu: { clockSpeed: 2000, cores: '2', family: 'Celeron', series: 'J4025', vendor: 'INTEL' },
  ramMb: 2048,
  bays: 2,
  firmwareDate: '2024/11/12',
  baseSysTemp: 41,
  disks: [
    {
      id: 'sata1',
      device: '/dev/sata1',
      numId: 1,
      model: 'ST4000VN006-3CW104      ',
      vendor: 'Seagate',
      serial: 'ZW60SIM1',
      firm: 'SC60',
      diskCode: 'ironwolf',
      sizeTotal: FOUR_TB,
      baseTemp: 34,
    },
    {
      id: 'sata2',
      device: '/dev/sata2',
      numId: 2,
      model: 'ST4000VN006-3CW104      ',
      vendor: 'Seagate',
      serial: 'ZW60SIM2',
      firm: 'SC60',
      diskCode: 'ironwolf',
      sizeTotal: FOUR_TB,
      baseTemp: 35,
    },
  ],
  pool: {
    deviceType: 'raid_1',
    desc: 'Located on Storage Pool 1, RAID 1',
    total: '3995681804288',
    minimalDiskSize: '4000681164800',
  },
  volume: {
    fsType: 'btrfs',
    total: '3835854667776',
    totalDevice: '3995681804288',
    used: 1_512_493_543_424,
    totalInode: '0',
  },
  maxFsBytes: '118747255799808',
  maxFsBytesHighEnd: '219902325555200',
};

/** DSM 6 profile: a DS218+ (2 bays), RAID 1 pool `reuse_1` deployed as ext4 `volume_1`, disks `sda`/`sdb`. */
const DS218_PLUS: NasHardware = {
  model: 'DS218+',
  cpu: { clockSpeed: 2000, cores: '2', family: 'Celeron', series: 'J3355', vendor: 'INTEL' },
  ramMb: 2048,
  bays: 2,
  firmwareDate: '2019/08/14',
  baseSysTemp: 39,
  disks: [
    {
      id: 'sda',
      device: '/dev/sda',
      numId: 1,
      model: 'WD40EFRX-68N32N0        ',
      vendor: 'WDC',
      serial: 'WD-WCC7SIM00001',
      firm: '82.00A82',
      diskCode: '',
      sizeTotal: FOUR_TB,
      baseTemp: 31,
    },
    {
      id: 'sdb',
      device: '/dev/sdb',
      numId: 2,
      model: 'WD40EFRX-68N32N0        ',
      vendor: 'WDC',
      serial: 'WD-WCC7SIM00002',
      firm: '82.00A82',
      diskCode: '',
      sizeTotal: FOUR_TB,
      baseTemp: 32,
    },
  ],
  pool: {
    deviceType: 'raid_1',
    desc: 'Located on Storage Pool 1, RAID 1',
    total: '3995681804288',
    minimalDiskSize: '4000681164800',
  },
  volume: {
    fsType: 'ext4',
    total: '3932543234048',
    totalDevice: '3995681804288',
    used: 2_104_871_231_488,
    totalInode: '244056064',
  },
  maxFsBytes: '118747255799808',
  maxFsBytesHighEnd: '219902325555200',
};

export function hardwareOf(profile: SimulatorProfileName): NasHardware {
  return profile === 'dsm6' ? DS218_PLUS : DS220_PLUS;
}
