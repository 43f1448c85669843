import type { DsmClient } from '../../client';
import { DsmError, inputError } from '../../errors';
import { optionsObject } from '../file-station/options';
import { deleteTasks, editDestination, runAction, type DeleteResult, type TaskActionResult } from './actions';
import {
  INFO_V1,
  SETTINGS_LOCATION_DS2,
  STATISTIC_DS2,
  STATISTIC_V1,
  TASK_DS2,
  inDownloadStationTerms,
} from './apis';
import { createTasks, type CreateOptions, type CreateResult, type CreateSource } from './create';
import { checkDestination, ensureDestination } from './destination';
import { checkTaskIds, findTasks, listTasks, type ListOptions } from './listing';
import type { DownloadTask } from './task';

export type { DeleteResult, TaskActionResult } from './actions';
export type { CreateOptions, CreateResult, CreateSource } from './create';
export type { ListOptions } from './listing';
export type { DownloadTask } from './task';
export type { TorrentInfo } from './torrent';
export { TASK_STATUSES, DONE_STATUSES, toDownloadTask } from './task';
export { checkDestination } from './destination';
export { checkLink, LINK_SCHEMES } from './sources';
export { checkStatusFilter, checkTaskIds } from './listing';
export { readTorrent } from './torrent';

export interface DownloadStatistics {
  /** Bytes per second over all tasks. */
  speedDownload: number;
  speedUpload: number;
  /** DSM's answer as sent. */
  raw: Record<string, unknown>;
}

type Signal = { signal?: AbortSignal };

/**
 * Download Station on one connection: SYNO.DownloadStation.Task (v1) where DSM has it, DownloadStation2 where it
 * has not and for .torrent files. Tasks come back in one shape ({@link DownloadTask}) from both. Task ids are
 * `dbid_N`; every action checks its ids exist before it touches any task.
 */
export class DownloadStation {
  constructor(private readonly client: DsmClient) {}

  /**
   * Creates tasks from links (http, https, ftp, magnet, ed2k) or a .torrent Buffer. Skips what the account already
   * has (same normalized URL, magnet info hash, or torrent info hash / name and size) unless `skipDuplicates` is false.
   */
  create(source: CreateSource, options?: CreateOptions): Promise<CreateResult> {
    return createTasks(this.client, source, options);
  }

  /** Every task of the account (one request), optionally only those with the given status(es). */
  list(options?: ListOptions): Promise<DownloadTask[]> {
    return listTasks(this.client, optionsObject(options));
  }

  /** The tasks with these ids (`dbid_N`, a list, or tasks from list()); an unknown id is an input error. */
  async get(ids: string | readonly unknown[], options?: Signal): Promise<DownloadTask[]> {
    return findTasks(this.client, checkTaskIds('id', ids), optionsObject(options).signal);
  }

  /** Ids, tasks from list(), or `'all'`. */
  pause(ids: unknown, options?: Signal): Promise<TaskActionResult> {
    return runAction(this.client, 'pause', ids, optionsObject(options));
  }

  resume(ids: unknown, options?: Signal): Promise<TaskActionResult> {
    return runAction(this.client, 'resume', ids, optionsObject(options));
  }

  /** Deletes tasks; with `withFiles` also what they downloaded (`destination/title`), through File Station. */
  delete(ids: unknown, options?: Signal & { withFiles?: boolean }): Promise<DeleteResult> {
    return deleteTasks(this.client, ids, optionsObject(options));
  }

  /** Moves unfinished tasks to another destination (`share/dir`); `createFolder` makes it first when missing. */
  editDestination(
    ids: unknown,
    destination: string,
    options?: Signal & { createFolder?: boolean },
  ): Promise<TaskActionResult> {
    return editDestination(this.client, ids, destination, optionsObject(options));
  }

  /** Total download and upload speed. */
  async statistics(options?: Signal): Promise<DownloadStatistics> {
    const { signal } = optionsObject(options);
    const info = await this.client.apiInfo(signal);
    if (!info[STATISTIC_V1] && info[STATISTIC_DS2]) {
      const raw = await inDownloadStationTerms(
        this.client.call<Record<string, unknown>>(STATISTIC_DS2, 'get', {}, { signal }),
      );
      return {
        speedDownload: Number(raw.download_rate) || 0,
        speedUpload: Number(raw.upload_rate) || 0,
        raw,
      };
    }
    const raw = await inDownloadStationTerms(
      this.client.call<Record<string, unknown>>(STATISTIC_V1, 'getinfo', {}, { signal }),
    );
    return {
      speedDownload: Number(raw.speed_download) || 0,
      speedUpload: Number(raw.speed_upload) || 0,
      raw,
    };
  }

  /**
   * Download Station's version and whether the account manages it: DSM's `{is_manager, version, version_string}`
   * (SYNO.DownloadStation.Info); a NAS that offers only DownloadStation2 has no such answer (ENOTSUPPORTED).
   */
  async info(options?: Signal): Promise<Record<string, unknown>> {
    const { signal } = optionsObject(options);
    const apis = await this.client.apiInfo(signal);
    if (!apis[INFO_V1] && apis[TASK_DS2]) {
      throw new DsmError({
        kind: 'dsm',
        code: 'ENOTSUPPORTED',
        api: INFO_V1,
        method: 'getinfo',
        reason:
          'this NAS offers Download Station through DownloadStation2 only, without SYNO.DownloadStation.Info',
        hint: 'Use config or statistics, which DownloadStation2 answers too.',
      });
    }
    return inDownloadStationTerms(this.client.call(INFO_V1, 'getinfo', {}, { signal }));
  }

  /**
   * Download Station's settings as DSM sends them (`default_destination`, limits...). Where only DownloadStation2
   * is offered: its Settings.Location answer (`default_destination` and the watch folder settings).
   */
  async config(options?: Signal): Promise<Record<string, unknown>> {
    const { signal } = optionsObject(options);
    const apis = await this.client.apiInfo(signal);
    if (!apis[INFO_V1] && apis[SETTINGS_LOCATION_DS2]) {
      return inDownloadStationTerms(this.client.call(SETTINGS_LOCATION_DS2, 'get', {}, { signal }));
    }
    return inDownloadStationTerms(this.client.call(INFO_V1, 'getconfig', {}, { signal }));
  }

  /**
   * Makes sure a destination (`share/dir` or `/share/dir`) exists, creating the folders through File Station; the
   * shared folder itself must exist. Returns the destination as Download Station wants it.
   */
  async ensureDestination(destination: string, options?: Signal): Promise<string> {
    const checked = checkDestination('destination', destination);
    if (!checked) throw inputError('destination', 'is empty', 'Give a folder such as downloads/tv.');
    await ensureDestination(this.client, checked, optionsObject(options).signal);
    return checked;
  }
}
