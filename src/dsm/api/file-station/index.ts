import type { DsmClient } from '../../client';
import type { TaskOptions } from './background';
import { download, type DownloadOptions, type DownloadResult, type DownloadTarget } from './download';
import type { FileEntry } from './entries';
import * as favorites from './favorites';
import {
  getInfo,
  listFolder,
  listShares,
  search,
  type ListOptions,
  type SearchOptions,
  type ShareEntry,
} from './listing';
import * as ops from './operations';
import { checkWrite } from './permissions';
import { thumbnail, type Thumbnail, type ThumbnailOptions } from './thumbnails';
import { upload, type UploadOptions, type UploadResult, type UploadSource } from './upload';
import { listVirtualFolders, type VirtualFolderType } from './virtual-folders';

export type { Progress, ProgressListener, TaskOptions } from './background';
export type { FileEntry } from './entries';
export type { ListOptions, SearchOptions, ShareEntry } from './listing';
export type {
  CopyOptions,
  CompressOptions,
  ExtractOptions,
  DirSize,
  ShareLink,
  CopyMoveStatus,
  DeleteStatus,
  ArchiveItem,
  BackgroundTaskInfo,
} from './operations';
export type { UploadOptions, UploadResult, UploadSource } from './upload';
export type { DownloadOptions, DownloadResult, DownloadTarget } from './download';
export { describeType } from './options';
export type { Favorite } from './favorites';
export type { Thumbnail, ThumbnailOptions } from './thumbnails';
export type { VirtualFolderType } from './virtual-folders';
export {
  checkDsmPath,
  checkDsmPaths,
  checkItemPath,
  checkName,
  joinPath,
  baseName,
  parentPath,
} from './paths';

/**
 * File Station on one connection: lists follow every page, background operations are awaited with progress and
 * stopped on abort, uploads and downloads stream. Paths start with the shared folder: `/home/docs/a.txt`.
 */
export class FileStation {
  constructor(private readonly client: DsmClient) {}

  listShares(options?: ListOptions): Promise<ShareEntry[]> {
    return listShares(this.client, options);
  }

  list(folder: string, options?: ListOptions): Promise<FileEntry[]> {
    return listFolder(this.client, folder, options);
  }

  search(folders: string | string[], options?: SearchOptions): Promise<FileEntry[]> {
    return search(this.client, folders, options);
  }

  info(paths: string | string[], options?: { signal?: AbortSignal }): Promise<FileEntry[]> {
    return getInfo(this.client, paths, options);
  }

  createFolder(
    path: string,
    options?: { createParents?: boolean; signal?: AbortSignal },
  ): Promise<FileEntry> {
    return ops.createFolder(this.client, path, options);
  }

  rename(path: string, newName: string, options?: { signal?: AbortSignal }): Promise<FileEntry> {
    return ops.rename(this.client, path, newName, options);
  }

  copy(paths: string | string[], destFolder: string, options?: ops.CopyOptions) {
    return ops.copyOrMove(this.client, false, paths, destFolder, options);
  }

  move(paths: string | string[], destFolder: string, options?: ops.CopyOptions) {
    return ops.copyOrMove(this.client, true, paths, destFolder, options);
  }

  delete(paths: string | string[], options?: TaskOptions & { recursive?: boolean }) {
    return ops.deletePaths(this.client, paths, options);
  }

  md5(path: string, options?: TaskOptions): Promise<string> {
    return ops.md5(this.client, path, options);
  }

  dirSize(paths: string | string[], options?: TaskOptions): Promise<ops.DirSize> {
    return ops.dirSize(this.client, paths, options);
  }

  compress(paths: string | string[], destFile: string, options?: ops.CompressOptions) {
    return ops.compress(this.client, paths, destFile, options);
  }

  extract(archive: string, destFolder: string, options?: ops.ExtractOptions) {
    return ops.extract(this.client, archive, destFolder, options);
  }

  createShareLinks(paths: string | string[], options?: Parameters<typeof ops.createShareLinks>[2]) {
    return ops.createShareLinks(this.client, paths, options);
  }

  listShareLinks(options?: { signal?: AbortSignal }) {
    return ops.listShareLinks(this.client, options);
  }

  deleteShareLinks(ids: string | string[], options?: { signal?: AbortSignal }) {
    return ops.deleteShareLinks(this.client, ids, options);
  }

  backgroundTasks(options?: { signal?: AbortSignal }) {
    return ops.backgroundTasks(this.client, options);
  }

  archiveItems(archive: string, options?: { password?: string; signal?: AbortSignal }) {
    return ops.archiveItems(this.client, archive, options);
  }

  upload(source: UploadSource, options: UploadOptions): Promise<UploadResult> {
    return upload(this.client, source, options);
  }

  download(
    paths: string | string[],
    target: DownloadTarget,
    options?: DownloadOptions,
  ): Promise<DownloadResult> {
    return download(this.client, paths, target, options);
  }

  favorites(options?: { status?: 'all' | 'valid' | 'broken'; signal?: AbortSignal }) {
    return favorites.listFavorites(this.client, options);
  }

  addFavorite(path: string, name: string, options?: { index?: number; signal?: AbortSignal }) {
    return favorites.addFavorite(this.client, path, name, options);
  }

  renameFavorite(path: string, name: string, options?: { signal?: AbortSignal }) {
    return favorites.renameFavorite(this.client, path, name, options);
  }

  deleteFavorite(path: string, options?: { signal?: AbortSignal }) {
    return favorites.deleteFavorite(this.client, path, options);
  }

  clearBrokenFavorites(options?: { signal?: AbortSignal }) {
    return favorites.clearBrokenFavorites(this.client, options);
  }

  replaceFavorites(list: readonly { path: string; name: string }[], options?: { signal?: AbortSignal }) {
    return favorites.replaceFavorites(this.client, list, options);
  }

  virtualFolders(type: VirtualFolderType, options?: { signal?: AbortSignal }): Promise<FileEntry[]> {
    return listVirtualFolders(this.client, type, options);
  }

  checkWrite(
    folder: string,
    name: string,
    options?: { overwrite?: boolean; signal?: AbortSignal },
  ): Promise<void> {
    return checkWrite(this.client, folder, name, options);
  }

  thumbnail(path: string, options?: ThumbnailOptions): Promise<Thumbnail> {
    return thumbnail(this.client, path, options);
  }
}
