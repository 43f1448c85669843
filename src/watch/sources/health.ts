import {
  DsmError,
  DsmSystem,
  HEALTHS,
  type DiskHealth,
  type Health,
  type HealthItem,
  type PartialHealthSnapshot,
  type TemperatureReading,
} from '../../dsm';
import { summary, type Snapshot, type Subject, type WatchEvent, type WatchSource } from '../source';
import { priorState, remember, type Prior, type Remembered } from './remembered';

export const HEALTH_TOPICS = [
  'volume.state',
  'disk.state',
  'disk.smart',
  'temperature.high',
  'system.update',
] as const;
export type HealthTopic = (typeof HEALTH_TOPICS)[number];

/** One aspect of an item that makes its own event: what is compared between polls, and whether it is bad now. */
interface Facet {
  key: string;
  bad: boolean;
}

/** An item as the watch sees it: the msg's payload, and its facets by topic. */
export interface WatchedHealthItem {
  id: string;
  item: HealthItem;
  facets: Partial<Record<HealthTopic, Facet>>;
}

/** A temperature judged against the node's threshold, and DSM's own warning flag for the system's. */
export interface TemperatureState extends TemperatureReading {
  threshold: number;
  high: boolean;
}

// Only these SMART values are known good (storage.ts, the captures); anything else is bad here, as it is not ok.
const SMART_OK = ['normal', 'safe'];

function temperatureState(
  reading: TemperatureReading,
  threshold: number,
  dsmWarning: boolean,
): TemperatureState {
  const { celsius } = reading;
  const over = celsius !== null && celsius >= threshold;
  const high = over || dsmWarning;
  const problems = [
    ...(over ? [`${celsius} °C, at or above the threshold of ${threshold} °C`] : []),
    ...(dsmWarning ? ['DSM reports a temperature warning'] : []),
  ];
  const health: Health = high ? 'warning' : celsius === null ? 'unknown' : 'ok';
  return { ...reading, threshold, high, health, problems };
}

function diskFacets(disk: DiskHealth): Partial<Record<HealthTopic, Facet>> {
  const smart = [disk.smartStatus, disk.overviewStatus].filter((s) => s !== '');
  return {
    'disk.state': { key: disk.status, bad: disk.status !== 'normal' },
    'disk.smart': {
      key: JSON.stringify([
        disk.smartStatus,
        disk.overviewStatus,
        disk.exceedBadSectorThreshold,
        disk.belowRemainLifeThreshold,
      ]),
      bad:
        smart.length === 0 ||
        smart.some((s) => !SMART_OK.includes(s)) ||
        disk.exceedBadSectorThreshold === true ||
        disk.belowRemainLifeThreshold === true,
    },
  };
}

/** The watched items of one read: volumes, disks, temperatures and the DSM update. */
function watchedItems(snapshot: PartialHealthSnapshot, threshold: number): WatchedHealthItem[] {
  const watched: WatchedHealthItem[] = [];
  for (const volume of snapshot.volumes ?? [])
    watched.push({
      id: volume.id,
      item: volume,
      // Status and health: a volume filling past DSM's warning level is a change too; the free share is not.
      facets: { 'volume.state': { key: `${volume.status}|${volume.health}`, bad: volume.health !== 'ok' } },
    });
  for (const disk of snapshot.disks ?? [])
    watched.push({ id: disk.id, item: disk, facets: diskFacets(disk) });
  const dsmWarning = snapshot.system?.temperatureWarning === true;
  for (const reading of snapshot.temperatures ?? []) {
    const state = temperatureState(reading, threshold, reading.source === 'system' && dsmWarning);
    watched.push({
      id: reading.id,
      item: state,
      facets: { 'temperature.high': { key: String(state.high), bad: state.high } },
    });
  }
  const { update } = snapshot;
  if (update)
    watched.push({
      id: update.id,
      item: update,
      facets: {
        'system.update': {
          key: JSON.stringify([update.available, update.version]),
          bad: update.available === true,
        },
      },
    });
  return watched;
}

/**
 * SYNO.Core.Upgrade.Server `check` may ask Synology's update servers: it runs at most once an hour of the NAS's own
 * uptime per connection (after a reboot at once), or of this machine's time where DSM gives no uptime. Between
 * checks the last answer stands.
 */
const UPDATE_CHECK_S = 3600;
interface UpdateCheck {
  /** The NAS's uptime (s) at the last check, and at the last poll. */
  uptime: number | null;
  lastUptime: number | null;
  /** This machine's monotonic time (ms) at the last check. */
  at: number;
  update: PartialHealthSnapshot['update'];
}
const updateChecks = new WeakMap<object, UpdateCheck>();

function updateCheckDue(last: UpdateCheck | undefined): boolean {
  if (!last) return true;
  if (last.uptime === null || last.lastUptime === null)
    return performance.now() - last.at >= UPDATE_CHECK_S * 1000;
  return last.lastUptime < last.uptime || last.lastUptime - last.uptime >= UPDATE_CHECK_S;
}

/** A part DSM refused (an account without admin rights, an API missing) fails the poll: nothing is guessed. */
function failedPart(snapshot: PartialHealthSnapshot): DsmError | undefined {
  const source = snapshot.items.find((item) => item.kind === 'source');
  if (!source) return undefined;
  return new DsmError({
    kind: 'dsm',
    code: 'EHEALTHPART',
    api: source.name,
    reason: source.problems.join('; ') || 'DSM did not tell',
    hint: 'The health source needs an account in the administrators group.',
  });
}

function remembered(watched: WatchedHealthItem): Remembered {
  const keys: Record<string, string> = {};
  for (const [topic, facet] of Object.entries(watched.facets)) keys[topic] = facet.key;
  return { keys, item: watched.item };
}

const subjectOf = (item: { id?: unknown; health?: unknown }): Subject => ({
  id: String(item.id),
  status: String(item.health),
});

function healthEvent(topic: string, item: object, previous: object | null): WatchEvent {
  return {
    topic,
    item,
    previous: previous && summary(previous),
    subject: subjectOf(item),
    subjectBefore: previous && subjectOf(previous),
  };
}

/** A volume or disk DSM no longer lists (pulled, or the volume removed): told once, as `<kind>.state`. */
function goneEvent(id: string, last: Remembered): WatchEvent | undefined {
  const topic = ['volume.state', 'disk.state'].find((t) => t in last.keys);
  if (!topic) return undefined;
  const item = { ...last.item, health: 'unknown', problems: ['DSM no longer lists it'], removed: true, id };
  return healthEvent(topic, item, last.item);
}

/**
 * The NAS's health: one read of volumes, disks and temperatures per poll (two requests: Storage load_info, System
 * info), and the DSM update (Upgrade.Server check) once an hour. Each facet of an item is told when it changes, once;
 * its recovery is the same topic with `health: 'ok'` and `previous` as it was. On the first poll with nothing in
 * node context, what is already wrong is told (previous null).
 */
export const nasHealth: WatchSource<WatchedHealthItem> = {
  name: 'health',
  label: 'NAS health',
  statuses: HEALTHS,

  async poll({ client, signal, temperatureThreshold }) {
    const memo = updateChecks.get(client);
    const due = updateCheckDue(memo);
    const read = await new DsmSystem(client).read(
      ['volumes', 'disks', 'temperatures', 'system', ...(due ? (['update'] as const) : [])],
      { signal },
    );
    const failed = failedPart(read);
    if (failed) throw failed;
    const uptime = read.system?.uptimeSeconds ?? null;
    let snapshot = read;
    if (due || !memo) {
      updateChecks.set(client, { uptime, lastUptime: uptime, at: performance.now(), update: read.update });
    } else {
      memo.lastUptime = uptime;
      snapshot = { ...read, update: memo.update };
    }
    return new Map(watchedItems(snapshot, temperatureThreshold).map((w) => [w.id, w]));
  },

  async diff(before, now, { memory, emitCurrent }) {
    const prior = await priorState(before, memory, remembered);
    const current: Prior = new Map([...now].map(([id, w]) => [id, remembered(w)]));
    const events = changes(prior, now, !before && emitCurrent);
    await remember(memory, prior, current);
    return events;
  },
};

function changes(
  prior: Prior | undefined,
  now: Snapshot<WatchedHealthItem>,
  describe: boolean,
): WatchEvent[] {
  const events: WatchEvent[] = [];
  for (const [id, watched] of now) {
    const last = prior?.get(id);
    if (describe) events.push(healthEvent('health.current', watched.item, null));
    for (const topic of HEALTH_TOPICS) {
      const facet = watched.facets[topic];
      if (!facet) continue;
      if (!last) {
        // First sight (a first deploy, or an item new since): only what is wrong is news.
        if (facet.bad && !describe) events.push(healthEvent(topic, watched.item, null));
      } else if (last.keys[topic] !== facet.key) {
        events.push(healthEvent(topic, watched.item, last.item));
      }
    }
  }
  for (const [id, last] of prior ?? []) {
    if (now.has(id)) continue;
    const gone = goneEvent(id, last);
    if (gone) events.push(gone);
  }
  return events;
}
