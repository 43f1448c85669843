import { randomBytes } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import { CommonError, DsmApiError } from '../dsm-error';
import { FileError, toDsmError } from './errors';

export interface TaskSpec {
  readonly api: string;
  readonly version: number;
  /** The account that started it: other accounts get 599 for its id. */
  readonly owner: string;
  /** The start parameters as SYNO.FileStation.BackgroundTask list shows them. */
  readonly params: Record<string, unknown>;
  /** Listed by SYNO.FileStation.BackgroundTask (copy, move, delete, compress, extract tasks). */
  readonly background: boolean;
  /** The code that wraps per-file failures in the status answer, e.g. 900 for Delete. */
  readonly failureCode?: number;
  /** The API's status answer while the task runs or after it finished. */
  status(task: FileTask): Record<string, unknown>;
  /** What BackgroundTask list adds to the task (path, processed_num, progress, total, ...). */
  summary?(task: FileTask): Record<string, unknown>;
}

/** One non-blocking File Station operation (search, dir size, MD5, copy/move, delete, compress, extract). */
export class FileTask {
  finished = false;
  /** The error the status method answers once the task failed. */
  failure: DsmApiError | undefined;
  done: Promise<void> = Promise.resolve();
  private readonly abort = new AbortController();

  constructor(
    readonly id: string,
    readonly spec: TaskSpec,
    /** Creation time, unix seconds. */
    readonly crtime: number,
  ) {}

  get stopped(): boolean {
    return this.abort.signal.aborted;
  }

  get signal(): AbortSignal {
    return this.abort.signal;
  }

  /** Stops the work; resolves once the step in progress is over, so nothing changes on disk afterwards. */
  async stop(): Promise<void> {
    this.abort.abort();
    await this.done;
  }
}

/** Spreads a task's steps over its duration (real time), so clients see progress between polls. */
export class Pacer {
  private readonly startedAt = Date.now();

  constructor(
    private readonly durationMs: number,
    private readonly signal: AbortSignal,
  ) {}

  get stopped(): boolean {
    return this.signal.aborted;
  }

  /** Step i runs no earlier than duration·i/n; the whole takes about the duration. False when stopped. */
  async each<T>(items: readonly T[], step: (item: T, index: number) => Promise<void>): Promise<boolean> {
    for (let index = 0; index < items.length; index += 1) {
      await this.waitUntil(this.startedAt + (this.durationMs * index) / items.length);
      if (this.stopped) return false;
      await step(items[index], index);
    }
    await this.waitUntil(this.startedAt + this.durationMs);
    return !this.stopped;
  }

  private async waitUntil(time: number): Promise<void> {
    const ms = time - Date.now();
    if (ms < 1 || this.stopped) return;
    await delay(ms, undefined, { signal: this.signal }).catch(() => undefined);
  }
}

type TaskWork = (pacer: Pacer, task: FileTask) => Promise<void>;

/** The running and finished tasks; finished ones stay until cleaned (clean, clear_finished) or close. */
export class TaskRegistry {
  private readonly tasks = new Map<string, FileTask>();

  constructor(
    private readonly durationMs: number,
    private readonly nowMs: () => number,
  ) {}

  start(spec: TaskSpec, work: TaskWork): FileTask {
    const task = new FileTask(newTaskId(spec.background), spec, Math.floor(this.nowMs() / 1000));
    this.tasks.set(task.id, task);
    task.done = run(task, work, new Pacer(this.durationMs, task.signal));
    return task;
  }

  /** The caller's task of this API; 599 for an unknown id, another API's or another account's task. */
  find(id: string, api: string, owner: string): FileTask {
    const task = this.tasks.get(id);
    if (!task || task.spec.api !== api || task.spec.owner !== owner) {
      throw new DsmApiError(FileError.NoSuchTask);
    }
    return task;
  }

  /** The account's tasks, oldest first. */
  list(owner: string): FileTask[] {
    return [...this.tasks.values()].filter((task) => task.spec.owner === owner);
  }

  remove(task: FileTask): void {
    this.tasks.delete(task.id);
  }

  async stopAll(): Promise<void> {
    await Promise.all([...this.tasks.values()].map((task) => task.stop()));
  }
}

async function run(task: FileTask, work: TaskWork, pacer: Pacer): Promise<void> {
  try {
    await work(pacer, task);
  } catch (error) {
    task.failure = failureOf(error, task.spec.failureCode);
  } finally {
    task.finished = true;
  }
}

function failureOf(error: unknown, top: number | undefined): DsmApiError {
  try {
    return toDsmError(error, top);
  } catch {
    console.error('synology-dsm-sim: background task failed', error);
    return new DsmApiError(CommonError.Unknown);
  }
}

/** DSM's ids: "FileStation_51D00B7912CDE0B0" for background tasks, "51CBD7CD5C76E461" for the others. */
function newTaskId(background: boolean): string {
  const hex = randomBytes(8).toString('hex').toUpperCase();
  return background ? `FileStation_${hex}` : hex;
}

/** Counts a task's processed items against its total (-1 until counted); `progress()` is 0..1. */
export function progressCounter(): { state: { processed: number; total: number }; progress: () => number } {
  const state = { processed: 0, total: -1 };
  const progress = (): number =>
    state.total > 0 ? state.processed / state.total : state.total === 0 ? 1 : 0;
  return { state, progress };
}
