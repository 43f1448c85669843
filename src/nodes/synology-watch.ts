import type { Node, NodeAPI, NodeDef, NodeMessageInFlow, NodeStatus } from 'node-red';
import type { Request, Response } from 'express';
import { inputError, type DsmError } from '../dsm';
import { describeType } from '../dsm/api/file-station';
import { parseSettings, type FieldNames, type RawWatchSettings, type WatchSettings } from '../watch/settings';
import type { SourceMemory, WatchEvent } from '../watch/source';
import { SOURCES } from '../watch/sources';
import { Watcher, type WatchReport } from '../watch/watcher';
import type { DsmConfigNode } from './synology-dsm';
import { statusText, toNodeError } from './shared/node-error';
import { t } from './shared/i18n';
import { DONE, FAILED } from './shared/status';

interface WatchDef extends NodeDef {
  server: string;
  sources: string;
  interval: string | number;
  emitCurrent: boolean;
  progressThrottle: string | number;
  temperatureThreshold: string | number;
  ids: string;
  statuses: string;
  connections: string;
  startOnDeploy: boolean;
  /** The context store that keeps the Cloud Sync log cursor; blank: the default store. */
  store: string;
}

const COMMANDS = ['start', 'stop', 'poll'] as const;
type Command = (typeof COMMANDS)[number];

/**
 * A msg's own settings: `msg.sources`, `msg.interval`, `msg.progressThrottle`, `msg.temperatureThreshold`,
 * `msg.filter.{ids,statuses,connections}`.
 */
const MSG_FIELDS: FieldNames = {
  sources: 'msg.sources',
  interval: 'msg.interval',
  emitCurrent: 'msg.emitCurrent',
  progressThrottle: 'msg.progressThrottle',
  temperatureThreshold: 'msg.temperatureThreshold',
  ids: 'msg.filter.ids',
  statuses: 'msg.filter.statuses',
  connections: 'msg.filter.connections',
};

type ControlMsg = NodeMessageInFlow & {
  command?: unknown;
  sources?: unknown;
  interval?: unknown;
  emitCurrent?: unknown;
  progressThrottle?: unknown;
  temperatureThreshold?: unknown;
  filter?: unknown;
};

function commandOf(msg: ControlMsg): Command {
  const { command } = msg;
  if (command === undefined || command === null || command === '') return 'poll';
  if (typeof command === 'string' && (COMMANDS as readonly string[]).includes(command.trim()))
    return command.trim() as Command;
  const shown = typeof command === 'string' ? `"${command}"` : describeType(command);
  throw inputError('msg.command', `${shown} is not a command`, 'Use "start", "stop" or "poll".');
}

/** The settings a msg carries, or undefined when it carries none. */
function msgSettings(msg: ControlMsg): RawWatchSettings | undefined {
  const { filter } = msg;
  if (filter !== undefined && (filter === null || typeof filter !== 'object' || Array.isArray(filter)))
    throw inputError(
      'msg.filter',
      `must be an object {ids, statuses, connections}, not ${describeType(filter)}`,
    );
  const f = (filter ?? {}) as Record<string, unknown>;
  const unknownKey = Object.keys(f).find((key) => !['ids', 'statuses', 'connections'].includes(key));
  if (unknownKey)
    throw inputError(
      `msg.filter.${unknownKey}`,
      'is not a filter',
      'Filters are ids, statuses, connections.',
    );
  const raw: RawWatchSettings = {
    sources: msg.sources,
    interval: msg.interval,
    emitCurrent: msg.emitCurrent,
    progressThrottle: msg.progressThrottle,
    temperatureThreshold: msg.temperatureThreshold,
    ids: f.ids,
    statuses: f.statuses,
    connections: f.connections,
  };
  return Object.values(raw).some((value) => value !== undefined) ? raw : undefined;
}

function nodeSettings(config: WatchDef): WatchSettings {
  return parseSettings({
    sources: config.sources,
    interval: config.interval,
    emitCurrent: config.emitCurrent === true,
    progressThrottle: config.progressThrottle,
    temperatureThreshold: config.temperatureThreshold,
    ids: config.ids,
    statuses: config.statuses,
    connections: config.connections,
  });
}

/** Node context as a source's memory: a persistent store (localfilesystem) keeps it across restarts. */
function contextMemory(node: Node, store: string | undefined): SourceMemory {
  const context = node.context();
  return {
    get: <T>(key: string) =>
      new Promise<T | undefined>((resolve, reject) =>
        context.get(key, store as string, (err: Error | null | undefined, value: unknown) =>
          err ? reject(err) : resolve(value as T | undefined),
        ),
      ),
    set: (key, value) =>
      new Promise<void>((resolve, reject) =>
        context.set(key, value, store as string, (err?: Error | null) => (err ? reject(err) : resolve())),
      ),
  };
}

function clock(): string {
  return new Date().toTimeString().slice(0, 8);
}

const STOPPED = (RED: NodeAPI): NodeStatus => ({
  fill: 'grey',
  shape: 'ring',
  text: t(RED, 'synology-watch.status.stopped'),
});

function statusOf(RED: NodeAPI, report: WatchReport): NodeStatus {
  if (report.state === 'stopped') return STOPPED(RED);
  if (report.state === 'offline') {
    const reason = report.error?.reason ?? t(RED, 'synology-watch.status.noAnswer');
    const text = report.retryInMs
      ? t(RED, 'synology-watch.status.offlineRetry', { seconds: Math.round(report.retryInMs / 1000), reason })
      : t(RED, 'synology-watch.status.offline', { reason });
    return FAILED(text.slice(0, 60));
  }
  const time = clock();
  if (report.state === 'asleep')
    return { fill: 'grey', shape: 'dot', text: t(RED, 'synology-watch.status.asleep', { time }) };
  const counts = Object.entries(report.counts)
    .map(([name, count]) => `${name} ${count}`)
    .join(', ');
  if (report.state === 'failing')
    return FAILED(t(RED, 'synology-watch.status.failing', { sources: report.failing.join(', '), time }));
  return DONE(
    counts
      ? t(RED, 'synology-watch.status.counts', { counts, time })
      : t(RED, 'synology-watch.status.watching', { time }),
  );
}

/** The watch for one node: settings checked at deploy, the watcher started, commands and settings from msgs. */
function setupWatchNode(RED: NodeAPI, node: Node, config: WatchDef): void {
  const server = RED.nodes.getNode(config.server) as DsmConfigNode | null;
  let watcher: Watcher | undefined;
  let settings: WatchSettings | undefined;

  const send = (events: WatchEvent[]) => {
    node.send([
      events.map((event) => ({ topic: event.topic, payload: { ...event.item, previous: event.previous } })),
    ]);
  };
  const sourceError = (err: DsmError, source: { name: string }) => {
    const error = toNodeError(err);
    node.error(error, { topic: `watch.error`, payload: { source: source.name, error: err.toJSON() } });
  };

  try {
    if (!server) throw inputError('server', 'no Synology DSM connection is selected');
    if (!server.client) throw server.configError ?? inputError('server', 'the connection is not usable');
    settings = nodeSettings(config);
    watcher = new Watcher({
      client: server.client,
      settings,
      memory: contextMemory(node, config.store?.trim() || undefined),
      emit: send,
      report: (report) => node.status(statusOf(RED, report)),
      error: sourceError,
    });
    server.register(node, (state) => {
      if (state === 'two-factor-required')
        node.status({ fill: 'yellow', shape: 'ring', text: t(RED, 'synology-dsm.status.twoFactor') });
    });
    if (config.startOnDeploy === false) node.status(STOPPED(RED));
    else void watcher.start();
  } catch (err) {
    const error = toNodeError(err);
    node.status(FAILED(statusText(error)));
    // Once the whole flow is built: Catch nodes created after this one would miss it now.
    setImmediate(() => node.error(error, { topic: 'watch.error', payload: { error: error.cause } }));
  }

  node.on('input', async (msg: ControlMsg, _send, done) => {
    try {
      if (!watcher || !settings)
        throw inputError('server', 'the watch is not set up: see the error at deploy');
      const command = commandOf(msg);
      const raw = msgSettings(msg);
      if (raw) {
        settings = parseSettings(raw, MSG_FIELDS, settings);
        watcher.update(settings);
      }
      if (command === 'start') await watcher.start();
      else if (command === 'stop') await watcher.stop();
      else await watcher.poll();
      done();
    } catch (err) {
      done(toNodeError(err));
    }
  });

  node.on('close', (_removed: boolean, done: () => void) => {
    server?.deregister(node);
    (watcher?.close() ?? Promise.resolve()).then(done, done);
  });
}

export default function register(RED: NodeAPI): void {
  function SynologyWatchNode(this: Node, config: WatchDef) {
    RED.nodes.createNode(this, config);
    setupWatchNode(RED, this, config);
  }

  RED.nodes.registerType('synology-watch', SynologyWatchNode);

  // The editor builds its source checkboxes from this list: a new source needs no editor change.
  RED.httpAdmin.get(
    '/synology-watch/sources',
    RED.auth.needsPermission('synology-watch.read'),
    (_req: Request, res: Response) => {
      res.json(
        SOURCES.map((source) => ({ name: source.name, label: source.label, statuses: source.statuses })),
      );
    },
  );
}
