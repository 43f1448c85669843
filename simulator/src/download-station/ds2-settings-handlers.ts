import type { ApiCall, ApiHandler } from '../handlers/api-handler';
import { stationOf } from './call-context';
import { checkDestination } from './destination';
import { Ds2Params } from './ds2-params';
import { totalSpeeds } from './task-views';

/** Settings.Location get: the keys of mikespub's schema; the watch folder is not simulated. */
function locationGet(call: ApiCall): object {
  const { station, user } = stationOf(call);
  return {
    default_destination: station.defaultDestination(user) ?? '',
    enable_delete_torrent_nzb_watch: false,
    enable_torrent_nzb_watch: false,
    torrent_nzb_watch_folder: '',
  };
}

/** Settings.Location set: default_destination (checked like a task's: 403, 402; "" clears it). */
function locationSet(call: ApiCall): undefined {
  const { station, user } = stationOf(call);
  const destination = new Ds2Params(call.params).string('default_destination');
  if (destination !== undefined) {
    station.setDefaultDestination(
      user,
      destination === '' ? '' : checkDestination(call.sim.files, destination),
    );
  }
  return undefined;
}

/** Task.Statistic get -> {download_rate, upload_rate} (mikespub schema). */
function statisticGet(call: ApiCall): object {
  const { station, user } = stationOf(call);
  const speeds = totalSpeeds(station, user);
  return { download_rate: speeds.download, upload_rate: speeds.upload };
}

export const ds2SettingsLocationHandler: ApiHandler = { methods: { get: locationGet, set: locationSet } };

export const ds2TaskStatisticHandler: ApiHandler = { methods: { get: statisticGet } };
