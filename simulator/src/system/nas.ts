import type { SimulatorClock } from '../clock';
import type { SimulatorProfileName } from '../options';
import { hardwareOf } from './hardware';
import { NasHealth } from './health';
import { NasPower } from './power';

/** The NAS as hardware: health of disks and volume, power and hibernation, whether a DSM update is offered. */
export class Nas {
  readonly health: NasHealth;
  readonly power: NasPower;
  /** SYNO.Core.Upgrade.Server check answers an update (and Status upgrade_ready stays false: not downloaded). */
  updateAvailable = false;

  constructor(
    readonly profile: SimulatorProfileName,
    clock: SimulatorClock,
  ) {
    this.health = new NasHealth(hardwareOf(profile), clock);
    this.power = new NasPower(clock);
  }
}
