import type { ApiHandler } from './api-handler';
import { apiInfoHandler } from './api-info';
import { authHandler } from './auth';
import { dsmInfoHandler } from './dsm-info';
import { fileStationInfoHandler } from './file-station-info';
import { fileStationListHandler } from './file-station-list';

export type { ApiCall, ApiHandler, MethodHandler } from './api-handler';
export { hasMethod } from './api-handler';

/** The handler of every API a profile may advertise. */
export const API_HANDLERS: ReadonlyMap<string, ApiHandler> = new Map([
  ['SYNO.API.Info', apiInfoHandler],
  ['SYNO.API.Auth', authHandler],
  ['SYNO.DSM.Info', dsmInfoHandler],
  ['SYNO.FileStation.Info', fileStationInfoHandler],
  ['SYNO.FileStation.List', fileStationListHandler],
]);
