import type { Node, NodeAPI, NodeDef, NodeMessage } from 'node-red';
import { DownloadStation } from '../dsm';
import { checkStatusFilter, checkTaskIds } from '../dsm/api/download-station';
import { setupActionNode, typedSetting, type ActionRun } from './shared/action-node';
import { inNodeTerms } from './shared/field-names';
import { parseChoice } from './shared/file-inputs';
import { requireText } from './shared/text-setting';
import { t } from './shared/i18n';

const OPERATIONS = [
  'list',
  'get',
  'pause',
  'resume',
  'delete',
  'edit',
  'statistics',
  'info',
  'config',
] as const;
type Operation = (typeof OPERATIONS)[number];

interface DownloadTaskDef extends NodeDef {
  server: string;
  operation: string;
  output: string;
  withFiles: boolean;
  createFolder: boolean;
}

/** The node's field names where they differ from the client's. */
const FIELD_NAMES = { id: 'ids' };

/** Task ids from the node or the msg: an id, a list, tasks from a list, or "all". */
async function idsOf(run: ActionRun): Promise<string[] | 'all'> {
  const value = await run.read('ids');
  return checkTaskIds('ids', typeof value === 'string' ? value.trim() : value);
}

/** Each operation: read its own fields, call Download Station, return the payload. */
const RUNNERS: Record<
  Operation,
  (ds: DownloadStation, run: ActionRun, config: DownloadTaskDef) => Promise<unknown>
> = {
  list: async (ds, run) =>
    ds.list({ status: checkStatusFilter('status', await run.read('status')), signal: run.signal }),
  get: async (ds, run) => {
    const ids = await idsOf(run);
    return ids === 'all' ? ds.list({ signal: run.signal }) : ds.get(ids, { signal: run.signal });
  },
  pause: async (ds, run) => ds.pause(await idsOf(run), { signal: run.signal }),
  resume: async (ds, run) => ds.resume(await idsOf(run), { signal: run.signal }),
  delete: async (ds, run, config) =>
    ds.delete(await idsOf(run), { withFiles: config.withFiles === true, signal: run.signal }),
  edit: async (ds, run, config) => {
    const ids = await idsOf(run);
    const destination = await requireText(run, 'destination', { trim: true });
    return ds.editDestination(ids, destination, {
      createFolder: config.createFolder === true,
      signal: run.signal,
    });
  },
  statistics: (ds, run) => ds.statistics({ signal: run.signal }),
  info: (ds, run) => ds.info({ signal: run.signal }),
  config: (ds, run) => ds.config({ signal: run.signal }),
};

/** The status after an operation; some tasks refused is a notice (yellow): the msg goes on, with them in `failed`. */
function statusOf(
  RED: NodeAPI,
  operation: Operation,
  payload: unknown,
): { status: string; notice?: boolean } {
  if (Array.isArray(payload))
    return { status: t(RED, 'synology-download-task.status.tasks', { operation, count: payload.length }) };
  const result = payload as { done?: string[]; failed?: unknown[] };
  if (Array.isArray(result?.done)) {
    const counts = { operation, count: result.done.length, refused: result.failed?.length ?? 0 };
    return counts.refused
      ? { status: t(RED, 'synology-download-task.status.doneRefused', counts), notice: true }
      : { status: t(RED, 'synology-download-task.status.done', counts) };
  }
  return { status: t(RED, 'synology-download-task.status.ok', { operation }) };
}

export default function register(RED: NodeAPI): void {
  function SynologyDownloadTaskNode(this: Node, config: DownloadTaskDef) {
    RED.nodes.createNode(this, config);
    setupActionNode(RED, this, config.server, {
      settings: {
        operation:
          config.operation === 'msg'
            ? { value: 'operation', type: 'msg' }
            : { value: config.operation || 'list', type: 'str' },
        ids: typedSetting(config, 'ids', 'msg', 'payload'),
        status: typedSetting(config, 'status'),
        destination: typedSetting(config, 'destination'),
      },
      progressOutput: false,
      async work(run: ActionRun) {
        const operation = parseChoice('operation', await run.read('operation'), OPERATIONS);
        run.working(operation);
        const payload = await inNodeTerms(
          RUNNERS[operation](new DownloadStation(run.client), run, config),
          FIELD_NAMES,
        );
        if (operation === 'list' && config.output === 'each') {
          const tasks = payload as unknown[];
          const id = RED.util.generateId();
          const messages = tasks.map((task, index) => {
            const copy = RED.util.cloneMessage(run.msg) as NodeMessage & { parts?: object };
            copy.payload = task;
            copy.parts = { id, index, count: tasks.length, type: 'array', len: 1 };
            return copy;
          });
          return { ...statusOf(RED, operation, payload), messages };
        }
        run.msg.payload = payload;
        return statusOf(RED, operation, payload);
      },
    });
  }

  RED.nodes.registerType('synology-download-task', SynologyDownloadTaskNode);
}
