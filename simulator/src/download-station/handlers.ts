import type { ApiHandler } from '../handlers/api-handler';
import { v1InfoHandler, v1StatisticHandler } from './v1-info-handlers';
import { v1TaskHandler } from './v1-task-handler';

/** The handler of each Download Station API (see api-entries.ts for where and in which versions). */
export const DOWNLOAD_STATION_HANDLERS: readonly (readonly [string, ApiHandler])[] = [
  ['SYNO.DownloadStation.Info', v1InfoHandler],
  ['SYNO.DownloadStation.Statistic', v1StatisticHandler],
  ['SYNO.DownloadStation.Task', v1TaskHandler],
];
