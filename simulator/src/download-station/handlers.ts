import type { ApiHandler } from '../handlers/api-handler';
import { ds2SettingsLocationHandler, ds2TaskStatisticHandler } from './ds2-settings-handlers';
import { ds2TaskHandler } from './ds2-task-handler';
import { ds2TaskListHandler, ds2TaskListPollingHandler } from './ds2-task-list-handlers';
import { v1InfoHandler, v1StatisticHandler } from './v1-info-handlers';
import { v1TaskHandler } from './v1-task-handler';

/** The handler of each Download Station API (see api-entries.ts for where and in which versions). */
export const DOWNLOAD_STATION_HANDLERS: readonly (readonly [string, ApiHandler])[] = [
  ['SYNO.DownloadStation.Info', v1InfoHandler],
  ['SYNO.DownloadStation.Statistic', v1StatisticHandler],
  ['SYNO.DownloadStation.Task', v1TaskHandler],
  ['SYNO.DownloadStation2.Settings.Location', ds2SettingsLocationHandler],
  ['SYNO.DownloadStation2.Task', ds2TaskHandler],
  ['SYNO.DownloadStation2.Task.List', ds2TaskListHandler],
  ['SYNO.DownloadStation2.Task.List.Polling', ds2TaskListPollingHandler],
  ['SYNO.DownloadStation2.Task.Statistic', ds2TaskStatisticHandler],
];
