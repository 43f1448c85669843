import type { TaskSource } from './sources';

export type TaskStatus =
  'waiting' | 'downloading' | 'paused' | 'finishing' | 'finished' | 'seeding' | 'error';

/** How long a task waits before it downloads, and finishes (checks and moves) after it. */
export const WAITING_MS = 1000;
export const FINISHING_MS = 1000;

export interface TaskFiles {
  /** Indexes into source.files that are downloaded (Task.List file selection); all when undefined. */
  readonly wanted: ReadonlySet<number> | undefined;
  /** Multi-file torrents go into a folder named after the task (DS2 create_subfolder). */
  readonly subfolder: boolean;
}

/** One Download Station task. Its status follows the simulator clock: see advance(). */
export class DownloadTask {
  status: TaskStatus = 'waiting';
  /** When the current status began (simulator clock ms). */
  since: number;
  /** Download time already done before the current stretch (pauses split it). */
  downloadedMs = 0;
  startedAt = 0;
  completedAt = 0;
  errorDetail: string | number | undefined;
  /** The destination the task was created with; undefined: the account's default at start time. */
  destination: string | undefined;

  constructor(
    readonly id: string,
    readonly owner: string,
    readonly source: TaskSource,
    readonly createdAt: number,
    destination: string | undefined,
    readonly unzipPassword: string,
    readonly files: TaskFiles = { wanted: undefined, subfolder: true },
  ) {
    this.since = createdAt;
    this.destination = destination;
  }

  get size(): number {
    const { wanted } = this.files;
    if (!wanted || !this.source.files) return this.source.size;
    return this.source.files.reduce((sum, file, index) => sum + (wanted.has(index) ? file.size : 0), 0);
  }

  get isDone(): boolean {
    return this.status === 'finished' || this.status === 'seeding';
  }

  /** 0..1 of the download done at `now`. */
  progress(now: number, durationMs: number): number {
    if (this.isDone || this.status === 'finishing') return 1;
    if (durationMs <= 0) return this.status === 'downloading' ? 1 : 0;
    const running = this.status === 'downloading' ? now - this.since : 0;
    return Math.min(1, (this.downloadedMs + running) / durationMs);
  }
}
