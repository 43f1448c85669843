import { DsmError, type DsmClient } from '../dsm';
import { livenessOf } from './liveness';
import { wantedEvent, wantedItem, type WatchSettings } from './settings';
import type { PollContext, Snapshot, SourceMemory, WatchEvent, WatchSource } from './source';

/** DSM could not be reached: nothing answered, or a proxy in front of it answered for it. */
const OFFLINE_KINDS: ReadonlySet<string> = new Set(['network', 'timeout', 'http']);
/** Back-off while offline doubles the interval up to this (or the interval, when longer). */
const MAX_BACKOFF_MS = 60_000;

export type WatchState = 'stopped' | 'watching' | 'offline' | 'asleep' | 'failing';

/** Why the watch is offline: DSM booting or down (its liveness page says so), or its API unreachable. */
export type OfflineState = 'booting' | 'down' | 'unreachable';

export interface WatchReport {
  state: WatchState;
  /** Items per source after the last poll. */
  counts: Record<string, number>;
  /** When offline: the error, and when the next try is. */
  error?: DsmError;
  retryInMs?: number;
  /** Sources whose last poll failed (DSM answered with an error). */
  failing: string[];
}

export interface WatcherOptions {
  client: DsmClient;
  settings: WatchSettings;
  memory: SourceMemory;
  /** One call per poll with the msgs' events (watch.offline/online included), in order. */
  emit(events: WatchEvent[]): void;
  /** After each poll and on stop. */
  report(report: WatchReport): void;
  /** A source failed for a reason other than DSM being unreachable; told once until it works again. */
  error(err: DsmError, source: WatchSource): void;
  now?: () => number;
}

/**
 * Polls the chosen sources, one list request each per interval, never two polls at once. The first poll of a
 * source is its baseline. Each poll first asks DSM's liveness page (no login, no Web API request): while the disks
 * hibernate nothing is polled (a Web API request would wake them) and `watch.asleep` / `watch.awake` are told once;
 * while DSM boots, is down or unreachable it backs off and tells `watch.offline` once, then `watch.online` once it
 * answers again; no login is tried meanwhile. Session loss is the client's business (it logs in again).
 */
export class Watcher {
  private settings: WatchSettings;
  private readonly states = new Map<string, Snapshot>();
  private readonly lastProgress = new Map<string, number>();
  private readonly failures = new Map<string, string>();
  private running = false;
  private closed = false;
  private timer?: NodeJS.Timeout;
  private polling?: Promise<void>;
  private controller?: AbortController;
  private offline?: { since: number; error: DsmError; tries: number };
  private asleep?: { since: number; reason: string };
  private readonly now: () => number;

  constructor(private readonly options: WatcherOptions) {
    this.settings = options.settings;
    this.now = options.now ?? Date.now;
  }

  get isRunning(): boolean {
    return this.running;
  }

  /** Polls now (a fresh baseline) and then every interval. No-op when running. */
  start(): Promise<void> {
    if (this.running || this.closed) return this.polling ?? Promise.resolve();
    this.running = true;
    this.states.clear();
    return this.poll();
  }

  /** Stops the timer and cuts off a poll in flight; resolves when nothing runs any more. */
  async stop(): Promise<void> {
    this.running = false;
    clearTimeout(this.timer);
    this.timer = undefined;
    this.controller?.abort();
    await this.polling;
    this.report();
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.stop();
  }

  /**
   * Polls now (a poll in flight is joined, not doubled). Running, the next poll follows an interval later; stopped,
   * it is a single poll.
   */
  poll(): Promise<void> {
    if (this.closed) return Promise.resolve();
    if (this.polling) return this.polling;
    clearTimeout(this.timer);
    this.timer = undefined;
    const polling = this.cycle().finally(() => {
      this.polling = undefined;
      this.controller = undefined;
      if (this.running) this.schedule();
    });
    this.polling = polling;
    return polling;
  }

  /** New settings from then on; sources added get a baseline, removed ones are forgotten. */
  update(settings: WatchSettings): void {
    for (const name of this.states.keys())
      if (!settings.sources.some((source) => source.name === name)) this.states.delete(name);
    const intervalChanged = settings.intervalMs !== this.settings.intervalMs;
    this.settings = settings;
    if (intervalChanged && this.timer) {
      clearTimeout(this.timer);
      this.schedule();
    }
  }

  private schedule(): void {
    this.timer = setTimeout(() => void this.poll(), this.nextDelayMs());
  }

  /** The interval; offline, doubled per failed try up to a minute (or the interval, when longer). */
  private nextDelayMs(): number {
    const { intervalMs } = this.settings;
    if (!this.offline) return intervalMs;
    return Math.min(intervalMs * 2 ** (this.offline.tries - 1), Math.max(intervalMs, MAX_BACKOFF_MS));
  }

  private async cycle(): Promise<void> {
    const controller = new AbortController();
    this.controller = controller;
    const { sources, filter, emitCurrent } = this.settings;
    const context = (source: WatchSource): PollContext => ({
      client: this.options.client,
      signal: controller.signal,
      memory: scopedMemory(this.options.memory, source.name),
      wanted: (item) => wantedItem(filter, source, item),
      temperatureThreshold: this.settings.temperatureThreshold,
    });
    const liveness = await livenessOf(this.options.client, controller.signal);
    if (controller.signal.aborted) return;
    if (liveness.state === 'offline') return this.goOffline(liveness.error, liveness.nas);
    if (liveness.state === 'asleep') return this.goAsleep(liveness.reason);
    if (this.asleep) this.options.emit([this.awakeEvent()]);
    const polls = await Promise.allSettled(sources.map((source) => source.poll(context(source))));
    if (controller.signal.aborted) return;
    const unreachable = polls.find((p) => p.status === 'rejected' && isOffline(p.reason));
    if (unreachable) return this.goOffline((unreachable as PromiseRejectedResult).reason as DsmError);

    if (this.offline) this.options.emit([this.onlineEvent()]);
    for (const [index, source] of sources.entries()) {
      const result = polls[index];
      if (result.status === 'rejected') {
        this.failed(source, result.reason);
        continue;
      }
      if (controller.signal.aborted) return;
      let found: WatchEvent[];
      try {
        const before = this.states.get(source.name);
        found = await source.diff(before, result.value, { ...context(source), emitCurrent });
      } catch (err) {
        if (controller.signal.aborted) return;
        if (isOffline(err)) return this.goOffline(err as DsmError);
        this.failed(source, err);
        continue;
      }
      // Sent even when stopped meanwhile: the source has moved its cursors past these events.
      this.states.set(source.name, result.value);
      this.failures.delete(source.name);
      const events = found.filter(
        (event) => wantedEvent(filter, source, event) && this.unthrottled(source, event),
      );
      if (events.length > 0) this.options.emit(events);
    }
    this.report();
  }

  private goOffline(error: DsmError, state: OfflineState = 'unreachable'): void {
    this.asleep = undefined;
    if (this.offline) {
      this.offline.tries += 1;
      this.offline.error = error;
    } else {
      this.offline = { since: this.now(), error, tries: 1 };
      this.options.emit([
        {
          topic: 'watch.offline',
          item: { since: this.offline.since, state, reason: error.reason, error: error.toJSON() },
          previous: null,
          subject: { id: 'watch', status: 'offline' },
          subjectBefore: null,
        },
      ]);
    }
    this.report();
  }

  /** The disks sleep: told once; the sources keep what they saw and compare with it once DSM is awake. */
  private goAsleep(reason: string): void {
    const events: WatchEvent[] = this.offline ? [this.onlineEvent()] : [];
    if (!this.asleep) {
      this.asleep = { since: this.now(), reason };
      events.push({
        topic: 'watch.asleep',
        item: { since: this.asleep.since, reason },
        previous: null,
        subject: { id: 'watch', status: 'asleep' },
        subjectBefore: null,
      });
    }
    if (events.length > 0) this.options.emit(events);
    this.report();
  }

  private awakeEvent(): WatchEvent {
    const asleep = this.asleep as NonNullable<Watcher['asleep']>;
    this.asleep = undefined;
    const now = this.now();
    return {
      topic: 'watch.awake',
      item: { since: now, asleepSince: asleep.since, asleepMs: now - asleep.since },
      previous: { reason: asleep.reason },
      subject: { id: 'watch', status: 'awake' },
      subjectBefore: { id: 'watch', status: 'asleep' },
    };
  }

  private onlineEvent(): WatchEvent {
    const offline = this.offline as NonNullable<Watcher['offline']>;
    this.offline = undefined;
    const now = this.now();
    return {
      topic: 'watch.online',
      item: { since: now, offlineSince: offline.since, offlineMs: now - offline.since },
      previous: { error: offline.error.toJSON() },
      subject: { id: 'watch', status: 'online' },
      subjectBefore: { id: 'watch', status: 'offline' },
    };
  }

  private failed(source: WatchSource, err: unknown): void {
    const error = toDsmError(err);
    const key = `${error.code}: ${error.reason}`;
    if (this.failures.get(source.name) === key) return;
    this.failures.set(source.name, key);
    this.options.error(error, source);
  }

  /** Progress events of one item, at most one per throttle period; everything else passes. */
  private unthrottled(source: WatchSource, event: WatchEvent): boolean {
    const { progressThrottleMs } = this.settings;
    if (!event.progress || progressThrottleMs <= 0) return true;
    const key = `${source.name}:${event.subject.id}`;
    const now = this.now();
    const last = this.lastProgress.get(key);
    if (last !== undefined && now - last < progressThrottleMs) return false;
    this.lastProgress.set(key, now);
    return true;
  }

  private report(): void {
    const counts: Record<string, number> = {};
    for (const [name, snapshot] of this.states) counts[name] = snapshot.size;
    const failing = [...this.failures.keys()];
    const state: WatchState = !this.running
      ? 'stopped'
      : this.offline
        ? 'offline'
        : this.asleep
          ? 'asleep'
          : failing.length > 0
            ? 'failing'
            : 'watching';
    this.options.report({
      state,
      counts,
      failing,
      error: this.offline?.error,
      retryInMs: this.offline ? this.nextDelayMs() : undefined,
    });
  }
}

export function isOffline(err: unknown): boolean {
  return err instanceof DsmError && OFFLINE_KINDS.has(err.kind);
}

function toDsmError(err: unknown): DsmError {
  return err instanceof DsmError
    ? err
    : new DsmError({
        kind: 'internal',
        code: 'EINTERNAL',
        reason: err instanceof Error ? err.message : String(err),
      });
}

/** Keys of one source apart from another's: `cloudsync_cursor_3` (no dots: context keys are property paths). */
function scopedMemory(memory: SourceMemory, prefix: string): SourceMemory {
  return {
    get: (key) => memory.get(`${prefix}_${key}`),
    set: (key, value) => memory.set(`${prefix}_${key}`, value),
  };
}
