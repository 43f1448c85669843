import type { DsmClient } from '../dsm';

/** What the filters judge of an item: its id, status and (Cloud Sync connections) name. */
export interface Subject {
  id: string;
  status: string;
  name?: string;
}

/** The items of one poll, by id. */
export type Snapshot<TItem = unknown> = Map<string, TItem>;

/** A change a source found between two polls; the watcher turns each into one msg. */
export interface WatchEvent {
  /** `download.finished`, `cloudsync.error`...: the msg's topic. */
  topic: string;
  /** What the msg's payload describes: the item now (or, once removed, as it was last seen). */
  item: object;
  /** The item as the poll before saw it; null when it is new. */
  previous: object | null;
  /** Progress only (same status): subject to the progress throttle. */
  progress?: boolean;
  /** What the filters judge, now and as the poll before saw it (a log entry is judged by its connection). */
  subject: Subject;
  subjectBefore: Subject | null;
}

/** What a source may keep across restarts: the node's context (a file store keeps it on disk). */
export interface SourceMemory {
  get<T>(key: string): Promise<T | undefined>;
  set(key: string, value: unknown): Promise<void>;
}

export interface PollContext {
  client: DsmClient;
  signal: AbortSignal;
  memory: SourceMemory;
  /** Whether the id and connection filters want an item: sources skip extra reads (logs) for the others. */
  wanted(subject: Subject): boolean;
  /** °C at or above which a temperature is high (health source). */
  temperatureThreshold: number;
}

/**
 * One source of the watch node, in a file of its own and listed in `sources/index.ts`. `poll` makes one DSM list
 * request however many items there are; `diff` turns two polls into events (it may read more, such as logs, but only
 * for items that changed).
 */
export interface WatchSource<TItem = unknown> {
  /** The name in the node's settings and the first part of its topics: `download`, `cloudsync`, `task`. */
  name: string;
  /** Shown in the editor. */
  label: string;
  /** The statuses its items can have: the status filter accepts these. */
  statuses: readonly string[];
  /** Its items are connections, which the connection filter picks by id or name. */
  connections?: boolean;
  poll(context: PollContext): Promise<Snapshot<TItem>>;
  /**
   * The events from `before` to `now`. `before` is undefined on the first poll (the baseline): the source then
   * emits nothing but may note where it starts (a log cursor); with `emitCurrent` it describes what there is.
   * Health and backup tell on their first poll what is wrong already (a problem that exists is news), unless their
   * memory says it was told before.
   */
  diff(
    before: Snapshot<TItem> | undefined,
    now: Snapshot<TItem>,
    context: PollContext & { emitCurrent: boolean },
  ): Promise<WatchEvent[]>;
}

/** Items that appeared, vanished, or are in both polls. */
export function compare<TItem>(
  before: Snapshot<TItem>,
  now: Snapshot<TItem>,
): { added: TItem[]; removed: TItem[]; kept: [TItem, TItem][] } {
  const added: TItem[] = [];
  const kept: [TItem, TItem][] = [];
  for (const [id, item] of now) {
    const old = before.get(id);
    if (old) kept.push([old, item]);
    else added.push(item);
  }
  const removed = [...before].filter(([id]) => !now.has(id)).map(([, item]) => item);
  return { added, removed, kept };
}

/** The item without DSM's raw answer, for `payload.previous`. */
export function summary(item: object): object {
  const rest: Record<string, unknown> = { ...item };
  delete rest.raw;
  return rest;
}

/**
 * An event about an item whose `id` and `status` are what the filters judge (tasks); `previous` is the item as the
 * poll before saw it.
 */
export function itemEvent<TItem extends Subject>(
  topic: string,
  item: TItem,
  previous: TItem | null,
  progress = false,
): WatchEvent {
  return {
    topic,
    item,
    previous: previous && summary(previous),
    subject: item,
    subjectBefore: previous,
    ...(progress ? { progress } : {}),
  };
}

export function snapshotOf<TItem extends { id: string | number }>(items: Iterable<TItem>): Snapshot<TItem> {
  return new Map([...items].map((item) => [String(item.id), item]));
}
