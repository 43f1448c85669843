import type { Node, NodeAPI, NodeDef } from 'node-red';
import { CloudSync, inputError, type CloudSyncConnection } from '../dsm';
import { checkConnectionRefs } from '../dsm/api/cloud-sync';
import type { ConnectionRef, ConnectionRefs, LogOptions } from '../dsm/api/cloud-sync';
import { setupActionNode, typedSetting, type ActionRun } from './shared/action-node';
import { parseChoice } from './shared/file-inputs';
import { t } from './shared/i18n';

const OPERATIONS = ['list', 'tasks', 'logs', 'pause', 'resume'] as const;
type Operation = (typeof OPERATIONS)[number];

interface CloudSyncDef extends NodeDef {
  server: string;
  operation: string;
}

const CONNECTION_HINT =
  'Give a connection id, its name, a JSON list of them, or "all" (pause and resume only).';

/** The connection field: required for every operation but list; "all" only where `allowAll`. */
async function connectionOf(run: ActionRun, allowAll: boolean): Promise<ConnectionRefs> {
  const value = await run.read('connection');
  if (value === undefined || value === null || (typeof value === 'string' && !value.trim()))
    throw inputError('connection', 'is empty', CONNECTION_HINT);
  const refs = checkConnectionRefs('connection', value);
  if (refs === 'all') {
    if (!allowAll)
      throw inputError('connection', '"all" is for pause and resume', 'Give one connection id or name.');
    return 'all';
  }
  if (!allowAll && refs.length > 1)
    throw inputError('connection', 'must name one connection', 'Give one connection id or name.');
  return value as ConnectionRefs;
}

/** Each operation: read its own fields, call Cloud Sync, return the payload. */
const RUNNERS: Record<Operation, (cs: CloudSync, run: ActionRun) => Promise<unknown>> = {
  list: (cs, run) => cs.connections({ signal: run.signal }),
  tasks: async (cs, run) =>
    cs.tasks((await connectionOf(run, false)) as ConnectionRef, { signal: run.signal }),
  logs: async (cs, run) => {
    const connection = (await connectionOf(run, false)) as ConnectionRef;
    // The client checks each value and names the field when one is wrong.
    const options = {
      level: orUndefined(await run.read('level')),
      keyword: orUndefined(await run.read('keyword')),
      since: orUndefined(await run.read('since')),
      limit: numberOrText(await run.read('limit')),
      signal: run.signal,
    };
    return cs.logs(connection, options as LogOptions);
  },
  pause: async (cs, run) => cs.pause(await connectionOf(run, true), { signal: run.signal }),
  resume: async (cs, run) => cs.resume(await connectionOf(run, true), { signal: run.signal }),
};

function orUndefined(value: unknown): unknown {
  return typeof value === 'string' && !value.trim() ? undefined : value;
}

/** A limit typed in the editor arrives as text: "50" is 50; anything else goes on to be refused by the client. */
function numberOrText(value: unknown): unknown {
  const given = orUndefined(value);
  return typeof given === 'string' && /^\s*\d+\s*$/.test(given) ? Number(given) : given;
}

function statusOf(RED: NodeAPI, operation: Operation, payload: unknown): string {
  if (operation === 'list') {
    const connections = payload as CloudSyncConnection[];
    const counts = {
      count: connections.length,
      errors: connections.filter((c) => c.state === 'error').length,
    };
    return counts.errors
      ? t(RED, 'synology-cloudsync.status.connectionsInError', counts)
      : t(RED, 'synology-cloudsync.status.connections', counts);
  }
  if (operation === 'tasks')
    return t(RED, 'synology-cloudsync.status.tasks', { count: (payload as unknown[]).length });
  if (operation === 'logs') {
    const page = payload as { entries: unknown[]; total: number };
    return t(RED, 'synology-cloudsync.status.logs', { count: page.entries.length, total: page.total });
  }
  const result = payload as { all: boolean; connections: unknown[] };
  const count = { count: result.connections.length };
  if (operation === 'pause')
    return result.all
      ? t(RED, 'synology-cloudsync.status.pausedAll')
      : t(RED, 'synology-cloudsync.status.paused', count);
  return result.all
    ? t(RED, 'synology-cloudsync.status.resumedAll')
    : t(RED, 'synology-cloudsync.status.resumed', count);
}

export default function register(RED: NodeAPI): void {
  function SynologyCloudSyncNode(this: Node, config: CloudSyncDef) {
    RED.nodes.createNode(this, config);
    setupActionNode(RED, this, config.server, {
      settings: {
        operation:
          config.operation === 'msg'
            ? { value: 'operation', type: 'msg' }
            : { value: config.operation || 'list', type: 'str' },
        connection: typedSetting(config, 'connection'),
        level: typedSetting(config, 'level'),
        keyword: typedSetting(config, 'keyword'),
        since: typedSetting(config, 'since'),
        limit: typedSetting(config, 'limit'),
      },
      progressOutput: false,
      async work(run: ActionRun) {
        const operation = parseChoice('operation', await run.read('operation'), OPERATIONS);
        run.working(operation);
        const payload = await RUNNERS[operation](new CloudSync(run.client), run);
        run.msg.payload = payload;
        return { status: statusOf(RED, operation, payload) };
      },
    });
  }

  RED.nodes.registerType('synology-cloudsync', SynologyCloudSyncNode);
}
