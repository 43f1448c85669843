import { DsmError } from '../../errors';
import type { DsmClient } from '../../client';

/** Progress of long work, as progress msgs carry it. `total` 0 means unknown. */
export interface Progress {
  phase: string;
  done: number;
  total: number;
  percent: number;
  /** The file DSM works on now, when it says. */
  current?: string;
}

export type ProgressListener = (progress: Progress) => void;

export interface TaskOptions {
  signal?: AbortSignal;
  /** Gives up (and stops the DSM task) after this long; default: no limit. */
  timeoutMs?: number;
  onProgress?: ProgressListener;
}

export interface TaskSpec<TStatus> {
  api: string;
  phase: string;
  startParams: Record<string, unknown>;
  /** How far the task is, from one status answer. */
  progressOf(status: TStatus): Omit<Progress, 'phase'>;
}

const FIRST_POLL_MS = 100;
const MAX_POLL_MS = 1000;

/**
 * Starts a File Station background task, polls its status until `finished`, and returns the last status. On abort,
 * timeout or a failed status call the DSM task is stopped before the promise rejects.
 */
export function runBackgroundTask<TStatus extends { finished?: boolean }>(
  client: DsmClient,
  spec: TaskSpec<TStatus>,
  options: TaskOptions = {},
): Promise<TStatus> {
  // Tracked: a client closing meanwhile waits until the DSM task is stopped.
  return client.track(
    withStartedTask(client, spec.api, spec.startParams, options, async (taskid) => {
      try {
        return await pollUntilFinished(
          spec,
          () => client.call<TStatus>(spec.api, 'status', { taskid }, { signal: options.signal }),
          options,
        );
      } catch (err) {
        await client.call(spec.api, 'stop', { taskid }, { timeoutMs: 10_000 }).catch(() => undefined);
        throw err;
      }
    }),
  );
}

/**
 * Starts a DSM task and hands its id to `work`. The start request is not cut off by the caller's signal: DSM
 * may already have started the task, and only its id lets it be stopped. An abort meanwhile stops it at once.
 */
export async function withStartedTask<T>(
  client: DsmClient,
  api: string,
  startParams: Record<string, unknown>,
  options: TaskOptions,
  work: (taskid: string) => Promise<T>,
): Promise<T> {
  throwIfAborted(options.signal, api);
  // POST: start params may hold a password (compress, extract).
  const { taskid } = await client.call<{ taskid: string }>(api, 'start', startParams, {
    timeoutMs: 30_000,
    post: true,
  });
  if (options.signal?.aborted) {
    await client.call(api, 'stop', { taskid }, { timeoutMs: 10_000 }).catch(() => undefined);
    throw abortError(api);
  }
  return work(taskid);
}

/** Calls `poll` (fast at first, then once a second) until it reports `finished`, sending progress on the way. */
export async function pollUntilFinished<TStatus extends { finished?: boolean }>(
  spec: Pick<TaskSpec<TStatus>, 'api' | 'phase' | 'progressOf'>,
  poll: () => Promise<TStatus>,
  options: TaskOptions,
): Promise<TStatus> {
  const { signal } = options;
  const deadline = options.timeoutMs ? Date.now() + options.timeoutMs : Infinity;
  let wait = FIRST_POLL_MS;
  let last = '';
  for (;;) {
    await sleep(wait, signal).catch(() => {
      throw abortError(spec.api);
    });
    wait = Math.min(wait * 2, MAX_POLL_MS);
    const status = await poll();
    const progress = { phase: spec.phase, ...spec.progressOf(status) };
    // Polls often see no change: only a change is news.
    const key = JSON.stringify(progress);
    if (key !== last) options.onProgress?.(progress);
    last = key;
    if (status.finished) return status;
    if (Date.now() > deadline) {
      throw new DsmError({
        kind: 'timeout',
        code: 'ETIMEDOUT',
        api: spec.api,
        method: 'status',
        reason: `the ${spec.phase} did not finish within ${options.timeoutMs} ms; it was stopped`,
        hint: 'Raise the timeout for large operations.',
      });
    }
  }
}

/** 0..1 or 0..100, as DSM versions differ, to a percentage. */
export function toPercent(progress: unknown, finished?: boolean): number {
  if (finished) return 100;
  const value = Number(progress);
  if (!Number.isFinite(value) || value < 0) return 0;
  return Math.min(100, Math.round((value <= 1 ? value * 100 : value) * 10) / 10);
}

export function abortError(api: string): DsmError {
  return new DsmError({ kind: 'aborted', code: 'ABORTED', api, reason: 'cancelled' });
}

export function throwIfAborted(signal: AbortSignal | undefined, api: string): void {
  if (signal?.aborted) throw abortError(api);
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new Error('aborted'));
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(new Error('aborted'));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
