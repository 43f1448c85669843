import { randomBytes } from 'node:crypto';
import type { SimulatorClock } from '../clock';
import type { FileSpace } from '../file-station/dsm-path';
import type { DownloadStationApis, ResolvedOptions } from '../options';
import { materialize } from './materialize';
import type { TaskSource } from './sources';
import { DownloadTask, FINISHING_MS, type TaskFiles, WAITING_MS } from './task';

/** A torrent's file list waiting for the user's selection (DS2 create with create_list=true). */
export interface PendingList {
  readonly id: string;
  readonly owner: string;
  readonly source: TaskSource;
}

/** A Task.List.Polling download: the tasks it created, by its polling handle. */
export interface ListDownload {
  readonly owner: string;
  readonly taskIds: string[];
}

/**
 * Download Station's state: each account's tasks and default destination. Tasks move on with the simulator
 * clock (waiting -> downloading -> finishing -> finished, or seeding for torrents); every look at them first
 * brings them up to date, and a timer and clock advances do it too, so finished files appear on time.
 */
export class DownloadStation {
  installed: boolean;
  /** Which of its APIs it offers while installed. */
  apis: DownloadStationApis;
  readonly lists = new Map<string, PendingList>();
  readonly listDownloads = new Map<string, ListDownload>();
  private readonly tasks = new Map<string, DownloadTask>();
  private readonly destinations = new Map<string, string>();
  readonly durationMs: number;
  private nextId = 1;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(
    options: ResolvedOptions,
    private readonly clock: SimulatorClock,
    private readonly files: FileSpace,
  ) {
    this.installed = options.downloadStation;
    this.apis = options.downloadStationApis;
    this.durationMs = options.downloadDurationMs;
    for (const user of options.users) {
      if (user.downloadDestination) this.destinations.set(user.username, user.downloadDestination);
    }
    clock.onAdvance(() => this.update());
  }

  now(): number {
    return this.clock.now();
  }

  defaultDestination(user: string): string | undefined {
    return this.destinations.get(user);
  }

  setDefaultDestination(user: string, destination: string): void {
    if (destination === '') this.destinations.delete(user);
    else this.destinations.set(user, destination);
  }

  create(
    owner: string,
    source: TaskSource,
    destination: string | undefined,
    unzipPassword = '',
    files?: TaskFiles,
  ): DownloadTask {
    const id = `dbid_${this.nextId++}`;
    const task = new DownloadTask(id, owner, source, this.clock.now(), destination, unzipPassword, files);
    this.tasks.set(id, task);
    this.update();
    return task;
  }

  /** Keeps a source's file list for the user to choose from (DS2 Task.List); ids as DSM's "btdl…". */
  addList(owner: string, source: TaskSource): PendingList {
    const list = { id: `btdl${randomBytes(8).toString('hex')}`, owner, source };
    this.lists.set(list.id, list);
    return list;
  }

  findList(owner: string, id: string): PendingList | undefined {
    const list = this.lists.get(id);
    return list?.owner === owner ? list : undefined;
  }

  /** The account's task with this id (others' tasks are invisible). */
  find(owner: string, id: string): DownloadTask | undefined {
    this.update();
    const task = this.tasks.get(id);
    return task?.owner === owner ? task : undefined;
  }

  /** Any account's task: for the control surface. */
  findAny(id: string): DownloadTask | undefined {
    this.update();
    return this.tasks.get(id);
  }

  list(owner: string): DownloadTask[] {
    this.update();
    return [...this.tasks.values()].filter((task) => task.owner === owner);
  }

  remove(task: DownloadTask): void {
    this.tasks.delete(task.id);
  }

  pause(task: DownloadTask): boolean {
    this.update();
    if (task.status === 'paused') return true;
    if (task.status !== 'waiting' && task.status !== 'downloading') return false;
    task.downloadedMs = task.progress(this.clock.now(), this.durationMs) * this.durationMs;
    this.enter(task, 'paused', this.clock.now());
    return true;
  }

  /** A paused or failed task starts over from waiting, keeping what it downloaded. */
  resume(task: DownloadTask): boolean {
    this.update();
    if (task.status === 'waiting' || task.status === 'downloading') return true;
    if (task.status !== 'paused' && task.status !== 'error') return false;
    task.errorDetail = undefined;
    this.enter(task, 'waiting', this.clock.now());
    this.update();
    return true;
  }

  /** Control surface: the task skips to the end of its download now. */
  finishNow(task: DownloadTask): void {
    this.update();
    if (task.isDone) return;
    const now = this.clock.now();
    task.downloadedMs = this.durationMs;
    if (task.startedAt === 0) task.startedAt = now;
    task.errorDetail = undefined;
    this.enter(task, 'finishing', now - FINISHING_MS);
    this.update();
  }

  /** Control surface: the task fails with this error_detail. */
  fail(task: DownloadTask, errorDetail: string | number): void {
    this.update();
    task.errorDetail = errorDetail;
    this.enter(task, 'error', this.clock.now());
  }

  /** Moves every task on to the simulator's present and schedules the next change. */
  update(): void {
    if (this.stopped) return;
    const now = this.clock.now();
    for (const task of this.tasks.values()) this.advance(task, now);
    this.schedule(now);
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
  }

  private advance(task: DownloadTask, now: number): void {
    for (;;) {
      const end = this.phaseEnd(task);
      if (end === undefined || now < end) return;
      this.leavePhase(task, end);
    }
  }

  /** When the task's current status ends by itself; undefined when it stays. */
  private phaseEnd(task: DownloadTask): number | undefined {
    switch (task.status) {
      case 'waiting':
        return this.destinationOf(task) === undefined ? undefined : task.since + WAITING_MS;
      case 'downloading':
        return task.since + Math.max(0, this.durationMs - task.downloadedMs);
      case 'finishing':
        return task.since + FINISHING_MS;
      default:
        return undefined;
    }
  }

  private leavePhase(task: DownloadTask, at: number): void {
    if (task.status === 'waiting') {
      const failure = task.source.brokenLink
        ? 'broken_link'
        : this.isDuplicate(task)
          ? 'torrent_duplicate'
          : undefined;
      if (failure) {
        task.errorDetail = failure;
        this.enter(task, 'error', at);
        return;
      }
      if (task.startedAt === 0) task.startedAt = at;
      this.enter(task, 'downloading', at);
    } else if (task.status === 'downloading') {
      task.downloadedMs = this.durationMs;
      this.enter(task, 'finishing', at);
    } else {
      this.complete(task, at);
    }
  }

  private complete(task: DownloadTask, at: number): void {
    const destination = this.destinationOf(task);
    const problem = destination === undefined ? 'destination_not_exist' : this.write(task, destination, at);
    if (problem) {
      task.errorDetail = problem;
      this.enter(task, 'error', at);
      return;
    }
    task.destination = destination;
    task.completedAt = at;
    this.enter(task, task.source.type === 'bt' ? 'seeding' : 'finished', at);
  }

  /** A torrent (file or magnet) the account already has a task for: DSM's error_detail "torrent_duplicate". */
  private isDuplicate(task: DownloadTask): boolean {
    const hash = task.source.infoHash;
    if (hash === undefined) return false;
    for (const other of this.tasks.values()) {
      if (other === task) return false;
      if (other.owner === task.owner && other.source.infoHash === hash) return true;
    }
    return false;
  }

  private write(task: DownloadTask, destination: string, at: number): string | undefined {
    try {
      return materialize(this.files, task, destination, at);
    } catch (error) {
      console.error('synology-dsm-sim: could not write a finished download', error);
      return 'unknown';
    }
  }

  /**
   * The task's destination, or the account's default; a task without either waits forever (DSM logs "Failed to
   * get default download destination of user", rdt-client PR #998).
   */
  destinationOf(task: DownloadTask): string | undefined {
    return task.destination ?? this.destinations.get(task.owner);
  }

  private enter(task: DownloadTask, status: DownloadTask['status'], at: number): void {
    task.status = status;
    task.since = at;
  }

  private schedule(now: number): void {
    clearTimeout(this.timer);
    const ends = [...this.tasks.values()]
      .map((task) => this.phaseEnd(task))
      .filter((end): end is number => end !== undefined);
    if (ends.length === 0) return;
    const delay = Math.max(0, Math.min(...ends) - now);
    this.timer = setTimeout(() => this.update(), Math.min(delay + 1, 2 ** 31 - 1));
    this.timer.unref();
  }
}
