/**
 * One Download Station task in one shape, whether SYNO.DownloadStation.Task (v1: `tasks`, string statuses) or
 * SYNO.DownloadStation2.Task (DS2: `task`, numeric statuses) described it. DSM's own object is kept in `raw`.
 */
export interface DownloadTask {
  id: string;
  title: string;
  /** `bt`, `http`, `https`, `ftp`, `nzb`, `emule` (lower-case as DSM sends it). */
  type: string;
  /** One of {@link TASK_STATUSES}, `error`, or DSM's own value as text when it is none of them (see statusUnknown). */
  status: string;
  /** True when DSM sent a status this client does not know; `raw.status` has it as sent. */
  statusUnknown: boolean;
  /** Bytes (DSM sends some sizes as strings). */
  size: number;
  downloaded: number;
  uploaded: number;
  /** 0-100, one decimal. */
  progress: number;
  /** Bytes per second. */
  speedDownload: number;
  speedUpload: number;
  /** Seconds left at the current speed; null when not downloading. */
  eta: number | null;
  /** Share-relative folder, e.g. `downloads/tv`. */
  destination: string | null;
  /** The link (or the .torrent file name) the task was created from. */
  uri: string | null;
  username: string | null;
  /** DSM's `status_extra.error_detail` (`broken_link`, `disk_full`..., a number on some DS2 versions), else null. */
  error: string | number | null;
  /** ms since 1970; null when DSM has none. */
  createdAt: number | null;
  startedAt: number | null;
  completedAt: number | null;
  /** The task as DSM sent it, except the archive password (`additional.detail.unzip_password`), shown as `***`. */
  raw: Record<string, unknown>;
}

/** The statuses Download Station reports (v1 names; DS2's numbers map onto them). */
export const TASK_STATUSES = [
  'waiting',
  'downloading',
  'paused',
  'finishing',
  'finished',
  'hash_checking',
  'preseeding',
  'seeding',
  'filehosting_waiting',
  'extracting',
  'preprocessing',
  'preprocess_pass',
  'downloaded',
  'postprocessing',
  'captcha_needed',
  'error',
] as const;

/**
 * DS2 numeric statuses (plneto DownloadStationTaskStatus.cs, next-apis-notes §1b; Prowlarr #1812 shows 8 on
 * seeding tasks). DS2 has no error member: a failed task is known by its status_extra.error_detail.
 */
const DS2_STATUSES: Readonly<Record<number, string>> = {
  1: 'waiting',
  2: 'downloading',
  3: 'paused',
  4: 'finishing',
  5: 'finished',
  6: 'hash_checking',
  7: 'preseeding',
  8: 'seeding',
  9: 'filehosting_waiting',
  10: 'extracting',
  11: 'preprocessing',
  12: 'preprocess_pass',
  13: 'downloaded',
  14: 'postprocessing',
  15: 'captcha_needed',
};

/** Statuses after which the download is complete (next-apis-notes §1c: nas-dl, rdt-client, Radarr agree). */
export const DONE_STATUSES: ReadonlySet<string> = new Set([
  'finished',
  'seeding',
  'preseeding',
  'downloaded',
]);

type Raw = Record<string, unknown>;

/** Numbers DSM may send as strings; anything unreadable counts as 0. */
function num(value: unknown): number {
  const n = typeof value === 'number' ? value : typeof value === 'string' ? Number(value) : NaN;
  return Number.isFinite(n) ? n : 0;
}

function text(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}

/** DSM times are seconds since 1970; 0 means "not yet". */
function ms(seconds: unknown): number | null {
  const n = num(seconds);
  return n > 0 ? n * 1000 : null;
}

function object(value: unknown): Raw {
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as Raw) : {};
}

/** The error detail, string or number, or null when the task has none. */
function errorDetail(task: Raw): string | number | null {
  const detail = object(task.status_extra).error_detail;
  if (typeof detail === 'number') return detail;
  return typeof detail === 'string' && detail !== '' ? detail : null;
}

function statusOf(raw: unknown, error: string | number | null): { status: string; unknown: boolean } {
  let known: string | undefined;
  if (typeof raw === 'number') known = DS2_STATUSES[raw];
  else if (typeof raw === 'string') {
    const lower = raw.toLowerCase();
    // Some DSMs send a DS2 number as text.
    known = /^\d+$/.test(lower)
      ? DS2_STATUSES[Number(lower)]
      : (TASK_STATUSES as readonly string[]).includes(lower)
        ? lower
        : undefined;
  }
  // rdt-client and next-apis-notes §1b: a task with an error detail has failed, whatever its status says.
  if (error !== null) return { status: 'error', unknown: known === undefined };
  if (known) return { status: known, unknown: false };
  return { status: raw === undefined || raw === null ? 'unknown' : String(raw), unknown: true };
}

export function toDownloadTask(task: Raw): DownloadTask {
  const additional = object(task.additional);
  const detail = object(additional.detail);
  const transfer = object(additional.transfer);
  const error = errorDetail(task);
  const { status, unknown } = statusOf(task.status, error);
  const size = num(task.size);
  const downloaded = num(transfer.size_downloaded);
  const speedDownload = num(transfer.speed_download);
  const done = DONE_STATUSES.has(status);
  const progress = done ? 100 : size > 0 ? Math.min(100, Math.floor((downloaded / size) * 1000) / 10) : 0;
  return {
    id: String(task.id),
    title: typeof task.title === 'string' ? task.title : '',
    type: typeof task.type === 'string' ? task.type.toLowerCase() : '',
    status,
    statusUnknown: unknown,
    size,
    downloaded,
    uploaded: num(transfer.size_uploaded),
    progress,
    speedDownload,
    speedUpload: num(transfer.speed_upload),
    eta:
      status === 'downloading' && speedDownload > 0
        ? Math.ceil(Math.max(0, size - downloaded) / speedDownload)
        : null,
    destination: text(detail.destination),
    uri: text(detail.uri),
    username: text(task.username),
    error,
    createdAt: ms(detail.create_time),
    startedAt: ms(detail.started_time),
    completedAt: ms(detail.completed_time),
    raw: withoutPassword(task, detail),
  };
}

/** DSM lists the archive password a task was created with: a secret, kept out of results (and so out of msgs). */
function withoutPassword(task: Raw, detail: Raw): Raw {
  if (typeof detail.unzip_password !== 'string' || detail.unzip_password === '') return task;
  const additional = object(task.additional);
  return { ...task, additional: { ...additional, detail: { ...detail, unzip_password: '***' } } };
}
