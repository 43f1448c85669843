import { summary, type Snapshot, type SourceMemory } from '../source';

/** What a state source keeps of an item across polls and restarts: a key per facet, and the item as last told. */
export interface Remembered {
  keys: Record<string, string>;
  item: object & { health?: string };
}

export type Prior = Map<string, Remembered>;

const KEY = 'lastSeen';

/**
 * What the poll before saw: the last snapshot, or after a restart what node context kept (a file store keeps it on
 * disk); undefined when nothing is known (a first deploy).
 */
export async function priorState<TItem>(
  before: Snapshot<TItem> | undefined,
  memory: SourceMemory,
  remembered: (item: TItem) => Remembered,
): Promise<Prior | undefined> {
  if (before) return new Map([...before].map(([id, item]) => [id, remembered(item)]));
  const stored = await memory.get<Record<string, Remembered>>(KEY);
  return stored && typeof stored === 'object' ? new Map(Object.entries(stored)) : undefined;
}

/**
 * Keeps what was seen in node context, written only when a key changed or an item came or went: values that drift
 * from poll to poll (temperatures, progress) cost no write.
 */
export async function remember(memory: SourceMemory, prior: Prior | undefined, now: Prior): Promise<void> {
  const keysOf = (state: Prior | undefined) =>
    state && JSON.stringify([...state].map(([id, { keys }]) => [id, keys]));
  if (keysOf(prior) === keysOf(now)) return;
  await memory.set(KEY, Object.fromEntries([...now].map(([id, r]) => [id, { ...r, item: summary(r.item) }])));
}
