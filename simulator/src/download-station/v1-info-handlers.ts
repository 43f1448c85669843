import type { ApiCall, ApiHandler } from '../handlers/api-handler';
import { stationOf } from './call-context';
import { checkDestination } from './destination';
import { totalSpeeds } from './task-views';

/** Download Station's package version per profile: 6.2.2 as captured, 7.2 a current 4.x build. */
const PACKAGE_VERSION = {
  dsm6: { version: 3543, version_string: '3.8-3543' },
  dsm7: { version: 4736, version_string: '4.0.4-4736' },
} as const;

/** The settings getconfig answers besides default_destination, as captured on DSM 6.2.2. */
const CAPTURED_CONFIG = {
  bt_max_download: 0,
  bt_max_upload: 800,
  emule_default_destination: null,
  emule_enabled: false,
  emule_max_download: 0,
  emule_max_upload: 20,
  ftp_max_download: 0,
  http_max_download: 0,
  nzb_max_download: 0,
  unzip_service_enabled: false,
};

function getinfo(call: ApiCall): object {
  return { is_manager: true, ...PACKAGE_VERSION[call.sim.profile.name] };
}

function getconfig(call: ApiCall): object {
  const { station, user } = stationOf(call);
  return { ...CAPTURED_CONFIG, default_destination: station.defaultDestination(user) ?? '' };
}

/**
 * setserverconfig: the account's default_destination (checked like a task's: 403, 402; "" clears it); the
 * other settings are accepted and not kept.
 */
function setserverconfig(call: ApiCall): undefined {
  const { station, user } = stationOf(call);
  const destination = call.params.string('default_destination');
  if (destination === undefined) return undefined;
  station.setDefaultDestination(
    user,
    destination === '' ? '' : checkDestination(call.sim.files, destination),
  );
  return undefined;
}

function statisticGetinfo(call: ApiCall): object {
  const { station, user } = stationOf(call);
  const speeds = totalSpeeds(station, user);
  return { speed_download: speeds.download, speed_upload: speeds.upload };
}

export const v1InfoHandler: ApiHandler = { methods: { getinfo, getconfig, setserverconfig } };

export const v1StatisticHandler: ApiHandler = { methods: { getinfo: statisticGetinfo } };
