import type { Node, NodeAPI, NodeMessage, NodeMessageInFlow, NodeStatus } from 'node-red';
import { DsmError, FileStation, inputError, type DsmClient, type Progress } from '../../dsm';
import type { DsmConfigNode } from '../synology-dsm';
import { readSetting, type TypedSetting } from './input';
import { hasText, t } from './i18n';
import { statusText, toNodeError } from './node-error';
import { connectionStatus, DONE, FAILED, NOTICE, WORKING } from './status';

/** What a node's work gets for one msg. */
export interface ActionRun {
  msg: NodeMessageInFlow;
  client: DsmClient;
  files: FileStation;
  /** Aborted by `msg.cancel` or when the flow stops. */
  signal: AbortSignal;
  /** The spec's `secretsInMsg` as the msg had them; they are no longer in `msg`. */
  secrets: Record<string, unknown>;
  /** The node's TypedInput setting `field`, evaluated for this msg (mustache in strings). */
  read(field: string): Promise<unknown>;
  /** Sends a progress msg on the second output and mirrors it in the status. */
  progress(progress: Progress): void;
  working(text: string): void;
}

/** The work's outcome: the status text, and either the input msg (payload set by the work) or msgs of its own. */
export interface ActionOutcome {
  status: string;
  /** A status of its own instead of the green dot (a health node shows the health's colour). */
  nodeStatus?: NodeStatus;
  /** The work succeeded but found something to look at: a yellow status instead of green. */
  notice?: boolean;
  messages?: NodeMessage[];
}

export interface ActionNodeSpec {
  settings: Record<string, TypedSetting>;
  /** A second output for progress msgs. */
  progressOutput: boolean;
  /**
   * Msg properties that hold secrets (`password`): taken out of the msg as it arrives, so that neither the msg sent
   * on nor the one Catch gets carries them to debug or downstream nodes.
   */
  secretsInMsg?: readonly string[];
  work(run: ActionRun): Promise<ActionOutcome>;
}

/** A TypedInput setting from a node's config: `config[name]` with its type in `config[name + 'Type']`. */
export function typedSetting(
  config: object,
  name: string,
  fallbackType = 'str',
  fallbackValue = '',
): TypedSetting {
  const values = config as Record<string, unknown>;
  const value = values[name];
  return {
    value: value === undefined || value === null ? fallbackValue : String(value),
    type: (values[`${name}Type`] as string) || fallbackType,
  };
}

/**
 * The input handling every Synology action node shares: connection status pushed from the config node, blue
 * while working, green with a short result, red ring (yellow for 2FA) and `done(err)` on failure, progress msgs
 * on output 2, `msg.cancel = true` to stop this node's work in flight, and everything cancelled on close.
 */
export function setupActionNode(RED: NodeAPI, node: Node, serverId: string, spec: ActionNodeSpec): void {
  const server = RED.nodes.getNode(serverId) as DsmConfigNode | null;
  const inFlight = new Set<AbortController>();

  if (server) {
    server.register(node, (state, detail) => {
      if (inFlight.size === 0) node.status(connectionStatus(RED, state, detail));
    });
  } else {
    node.status(FAILED(t(RED, 'synology-dsm.status.noConnection')));
  }
  node.on('close', () => {
    for (const controller of inFlight) controller.abort();
    server?.deregister(node);
  });

  node.on('input', async (msg: NodeMessageInFlow, send, done) => {
    const secrets = takeSecrets(msg, spec.secretsInMsg ?? []);
    if ((msg as { cancel?: unknown }).cancel === true) {
      for (const controller of inFlight) controller.abort();
      node.status({ fill: 'yellow', shape: 'ring', text: t(RED, 'synology-dsm.status.cancelled') });
      done();
      return;
    }
    const controller = new AbortController();
    const signal = controller.signal;
    inFlight.add(controller);
    try {
      if (!server) throw inputError('server', 'no Synology DSM connection is selected');
      if (!server.client) throw server.configError ?? inputError('server', 'the connection is not usable');
      const client = server.client;
      const run: ActionRun = {
        msg,
        client,
        files: new FileStation(client),
        signal,
        secrets,
        read: (field) => {
          const setting = spec.settings[field];
          if (!setting) throw new Error(`no setting ${field}`);
          // An empty plain setting means "not set" (a num type would read it as 0).
          if (setting.value === '' && ['str', 'num', 'json'].includes(setting.type))
            return Promise.resolve(undefined);
          return readSetting(RED, node, msg, field, setting);
        },
        progress: (progress) => {
          node.status(WORKING(progressText(RED, progress)));
          if (spec.progressOutput) send([null, { _msgid: msg._msgid, topic: msg.topic, payload: progress }]);
        },
        working: (text) => node.status(WORKING(text)),
      };
      const outcome = await spec.work(run);
      const messages = outcome.messages ?? [msg];
      send(spec.progressOutput ? [messages, null] : [messages]);
      node.status(outcome.nodeStatus ?? (outcome.notice ? NOTICE(outcome.status) : DONE(outcome.status)));
      done();
    } catch (err) {
      const aborted = err instanceof DsmError && err.kind === 'aborted';
      const error = toNodeError(err);
      node.status(
        aborted
          ? { fill: 'yellow', shape: 'ring', text: t(RED, 'synology-dsm.status.cancelled') }
          : error.cause.kind === 'two-factor'
            ? { fill: 'yellow', shape: 'ring', text: t(RED, 'synology-dsm.status.twoFactor') }
            : FAILED(statusText(error)),
      );
      done(error);
    } finally {
      inFlight.delete(controller);
    }
  });
}

/** "upload 42%", or "copy 3" while DSM gives no total; phases the catalog lacks are shown as the client names them. */
function progressText(RED: NodeAPI, progress: Progress): string {
  const key = `synology-dsm.phase.${progress.phase}`;
  const phase = hasText(key) ? t(RED, key) : progress.phase;
  return `${phase} ${progress.total ? `${progress.percent}%` : progress.done}`;
}

function takeSecrets(msg: object, keys: readonly string[]): Record<string, unknown> {
  const fields = msg as Record<string, unknown>;
  const secrets: Record<string, unknown> = {};
  for (const key of keys) {
    if (!(key in fields)) continue;
    secrets[key] = fields[key];
    Reflect.deleteProperty(fields, key);
  }
  return secrets;
}
