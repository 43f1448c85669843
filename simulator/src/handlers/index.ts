import type { ApiHandler } from './api-handler';
import { apiEncryptionHandler } from './api-encryption';
import { apiInfoHandler } from './api-info';
import { authHandler } from './auth';
import { authUiConfigHandler } from './auth-ui-config';
import { CLOUD_SYNC_HANDLERS } from '../cloud-sync/handlers';
import { BACKUP_HANDLERS } from '../backup/handlers';
import { DOWNLOAD_STATION_HANDLERS } from '../download-station/handlers';
import { SYSTEM_HANDLERS } from '../system/handlers';
import { dsmInfoHandler } from './dsm-info';
import { fileStationBackgroundTaskHandler } from './file-station-background-task';
import { fileStationCheckPermissionHandler } from './file-station-check-permission';
import { fileStationCompressHandler } from './file-station-compress';
import { fileStationCopyMoveHandler } from './file-station-copy-move';
import { fileStationCreateFolderHandler } from './file-station-create-folder';
import { fileStationDeleteHandler } from './file-station-delete';
import { fileStationDirSizeHandler } from './file-station-dir-size';
import { fileStationDownloadHandler } from './file-station-download';
import { fileStationExtractHandler } from './file-station-extract';
import { fileStationFavoriteHandler } from './file-station-favorite';
import { fileStationInfoHandler } from './file-station-info';
import { fileStationListHandler } from './file-station-list';
import { fileStationMd5Handler } from './file-station-md5';
import { fileStationRenameHandler } from './file-station-rename';
import { fileStationSearchHandler } from './file-station-search';
import { fileStationSharingHandler } from './file-station-sharing';
import { fileStationThumbHandler } from './file-station-thumb';
import { fileStationUploadHandler } from './file-station-upload';
import { fileStationVirtualFolderHandler } from './file-station-virtual-folder';

export type { ApiCall, ApiHandler, MethodHandler } from './api-handler';
export { hasMethod, RawAnswer } from './api-handler';

/** The handler of every API a profile may advertise. */
export const API_HANDLERS: ReadonlyMap<string, ApiHandler> = new Map([
  ['SYNO.API.Info', apiInfoHandler],
  ['SYNO.API.Auth', authHandler],
  ['SYNO.API.Auth.UIConfig', authUiConfigHandler],
  ['SYNO.API.Encryption', apiEncryptionHandler],
  ['SYNO.DSM.Info', dsmInfoHandler],
  ['SYNO.FileStation.Info', fileStationInfoHandler],
  ['SYNO.FileStation.List', fileStationListHandler],
  ['SYNO.FileStation.Search', fileStationSearchHandler],
  ['SYNO.FileStation.DirSize', fileStationDirSizeHandler],
  ['SYNO.FileStation.MD5', fileStationMd5Handler],
  ['SYNO.FileStation.Upload', fileStationUploadHandler],
  ['SYNO.FileStation.Download', fileStationDownloadHandler],
  ['SYNO.FileStation.Sharing', fileStationSharingHandler],
  ['SYNO.FileStation.CreateFolder', fileStationCreateFolderHandler],
  ['SYNO.FileStation.Rename', fileStationRenameHandler],
  ['SYNO.FileStation.CopyMove', fileStationCopyMoveHandler],
  ['SYNO.FileStation.Delete', fileStationDeleteHandler],
  ['SYNO.FileStation.Extract', fileStationExtractHandler],
  ['SYNO.FileStation.Compress', fileStationCompressHandler],
  ['SYNO.FileStation.BackgroundTask', fileStationBackgroundTaskHandler],
  ['SYNO.FileStation.Favorite', fileStationFavoriteHandler],
  ['SYNO.FileStation.VirtualFolder', fileStationVirtualFolderHandler],
  ['SYNO.FileStation.CheckPermission', fileStationCheckPermissionHandler],
  ['SYNO.FileStation.Thumb', fileStationThumbHandler],
  ...DOWNLOAD_STATION_HANDLERS,
  ...CLOUD_SYNC_HANDLERS,
  ...SYSTEM_HANDLERS,
  ...BACKUP_HANDLERS,
]);
