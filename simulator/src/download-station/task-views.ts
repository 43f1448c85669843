import type { DownloadStation } from './station';
import type { DownloadTask, TaskStatus } from './task';

export const ADDITIONAL_FIELDS = ['detail', 'transfer', 'file', 'tracker', 'peer'] as const;

/**
 * DownloadStation2's numeric statuses (next-apis-notes §1b, plneto DownloadStationTaskStatus: 1 waiting,
 * 2 downloading, 3 paused, 4 finishing, 5 finished, 8 seeding; Prowlarr #1812 shows 8 on seeding tasks). DS2
 * has no error member: 101 for a failed task follows the unsourced table of wire-notes.md; clients should go
 * by status_extra.error_detail.
 */
const DS2_STATUS: Record<TaskStatus, number> = {
  waiting: 1,
  downloading: 2,
  paused: 3,
  finishing: 4,
  finished: 5,
  seeding: 8,
  error: 101,
};

const SECOND = 1000;

/** The task as SYNO.DownloadStation.Task list/getinfo answers it (captured DSM 6.2.2 task list). */
export function v1Task(station: DownloadStation, task: DownloadTask, additional: readonly string[]): object {
  return taskObject(station, task, additional, task.status, 'v1');
}

/** The task as SYNO.DownloadStation2.Task list/get answers it: the same fields, a numeric status. */
export function ds2Task(station: DownloadStation, task: DownloadTask, additional: readonly string[]): object {
  return taskObject(station, task, additional, DS2_STATUS[task.status], 'ds2');
}

export function ds2StatusOf(task: DownloadTask): number {
  return DS2_STATUS[task.status];
}

function taskObject(
  station: DownloadStation,
  task: DownloadTask,
  additional: readonly string[],
  status: string | number,
  flavour: 'v1' | 'ds2',
): object {
  const answer: Record<string, unknown> = {
    id: task.id,
    type: task.source.type,
    username: task.owner,
    title: task.source.title,
    size: task.size,
    status,
  };
  // As captured: status_extra only on failed tasks.
  if (task.status === 'error') answer.status_extra = { error_detail: task.errorDetail ?? 'unknown' };
  const parts: Record<string, unknown> = {};
  for (const name of additional) {
    const part = additionalPart(station, task, name, flavour);
    if (part !== undefined) parts[name] = part;
  }
  if (additional.length > 0) answer.additional = parts;
  return answer;
}

function additionalPart(
  station: DownloadStation,
  task: DownloadTask,
  name: string,
  flavour: 'v1' | 'ds2',
): unknown {
  const bt = task.source.type === 'bt';
  switch (name) {
    case 'detail':
      return detail(station, task);
    case 'transfer':
      return transfer(station, task, flavour);
    // The capture has file lists only on bt tasks (empty while a magnet has no metadata yet).
    case 'file':
      return bt ? fileList(station, task) : undefined;
    case 'tracker':
    case 'peer':
      return bt ? [] : undefined;
    default:
      return undefined;
  }
}

function detail(station: DownloadStation, task: DownloadTask): object {
  const now = station.now();
  const seeding = task.status === 'seeding';
  return {
    completed_time: seconds(task.completedAt),
    connected_leechers: 0,
    connected_peers: task.status === 'downloading' && task.source.type === 'bt' ? 1 : 0,
    connected_seeders: task.status === 'downloading' && task.source.type === 'bt' ? 1 : 0,
    create_time: seconds(task.createdAt),
    destination: station.destinationOf(task) ?? '',
    seedelapsed: seeding ? Math.floor((now - task.since) / SECOND) : 0,
    started_time: seconds(task.startedAt),
    total_peers: 0,
    total_pieces: task.source.type === 'bt' ? Math.ceil(task.size / (1024 * 1024)) : 0,
    unzip_password: task.unzipPassword,
    uri: task.source.uri,
    waiting_seconds: 0,
  };
}

/**
 * Speeds are the size over the download time. v1 sends the transferred byte counts as decimal strings, one of
 * the string-or-number sizes clients must take (nas-download-manager fixTaskNumericTypes).
 */
function transfer(station: DownloadStation, task: DownloadTask, flavour: 'v1' | 'ds2'): object {
  const now = station.now();
  const progress = task.progress(now, station.durationMs);
  const downloaded = Math.floor(task.size * progress);
  const speed = downloadSpeed(station, task);
  const uploaded = task.status === 'seeding' ? Math.floor(((now - task.since) / SECOND) * (speed / 10)) : 0;
  const pieces = Math.ceil(task.size / (1024 * 1024));
  return {
    downloaded_pieces: task.source.type === 'bt' ? Math.floor(pieces * progress) : 0,
    size_downloaded: flavour === 'v1' ? String(downloaded) : downloaded,
    size_uploaded: flavour === 'v1' ? String(uploaded) : uploaded,
    speed_download: task.status === 'downloading' ? speed : 0,
    speed_upload: task.status === 'seeding' ? Math.floor(speed / 10) : 0,
  };
}

function fileList(station: DownloadStation, task: DownloadTask): object[] {
  const files =
    task.source.files ?? (task.source.infoHash ? [{ path: task.source.title, size: task.size }] : []);
  const progress = task.progress(station.now(), station.durationMs);
  return files.map((file, index) => {
    const wanted = task.files.wanted?.has(index) ?? true;
    return {
      filename: file.path,
      index,
      priority: 'normal',
      size: file.size,
      size_downloaded: wanted ? Math.floor(file.size * progress) : 0,
      wanted,
    };
  });
}

/** Bytes per second while downloading. */
export function downloadSpeed(station: DownloadStation, task: DownloadTask): number {
  if (station.durationMs <= 0) return task.size;
  return Math.floor((task.size * SECOND) / station.durationMs);
}

/** The account's total speeds (SYNO.DownloadStation.Statistic, DS2 Task.Statistic). */
export function totalSpeeds(station: DownloadStation, owner: string): { download: number; upload: number } {
  let download = 0;
  let upload = 0;
  for (const task of station.list(owner)) {
    if (task.status === 'downloading') download += downloadSpeed(station, task);
    if (task.status === 'seeding') upload += Math.floor(downloadSpeed(station, task) / 10);
  }
  return { download, upload };
}

function seconds(ms: number): number {
  return ms === 0 ? 0 : Math.floor(ms / SECOND);
}
