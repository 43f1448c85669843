import type { SimulatorProfileName } from '../options';
import type { SimulatorProfile } from './api-entry';
import { DSM6_PROFILE } from './dsm6';
import { DSM7_PROFILE } from './dsm7';

export type { ApiEntry, SimulatorProfile } from './api-entry';
export { advertisedEntry } from './api-entry';

const PROFILES: Record<SimulatorProfileName, SimulatorProfile> = { dsm7: DSM7_PROFILE, dsm6: DSM6_PROFILE };

export function getProfile(name: SimulatorProfileName): SimulatorProfile {
  return PROFILES[name];
}
