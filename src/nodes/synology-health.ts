import type { Node, NodeAPI, NodeDef, NodeStatus } from 'node-red';
import { DsmSystem, type Health, type HealthItem, type PingResult } from '../dsm';
import type { HealthPart } from '../dsm/api/system';
import { setupActionNode, typedSetting, type ActionRun } from './shared/action-node';
import { parseChoice } from './shared/file-inputs';
import { requireText } from './shared/text-setting';

const PARTS: readonly HealthPart[] = [
  'volumes',
  'pools',
  'disks',
  'temperatures',
  'system',
  'utilisation',
  'update',
  'backups',
];
const OPERATIONS = ['snapshot', ...PARTS, 'ping', 'backup-start', 'backup-cancel'] as const;
type Operation = (typeof OPERATIONS)[number];

interface HealthDef extends NodeDef {
  server: string;
  operation: string;
}

const TASK_HINT = 'Give a Hyper Backup task id (1) or its name as Hyper Backup shows it.';

const FILL: Record<Health, NodeStatus['fill']> = {
  ok: 'green',
  unknown: 'grey',
  warning: 'yellow',
  critical: 'red',
};

/** "critical: Drive 2 (+1)": the worst health and the first item that has it. */
function healthStatus(health: Health, items: readonly HealthItem[]): NodeStatus {
  const bad = items.filter((i) => i.health === health);
  const text =
    health === 'ok' || bad.length === 0
      ? `${health} (${items.length} items)`
      : `${health}: ${bad[0].name}${bad.length > 1 ? ` (+${bad.length - 1})` : ''}`;
  return { fill: FILL[health], shape: 'dot', text };
}

const PING_STATUS: Record<PingResult['state'], NodeStatus> = {
  up: { fill: 'green', shape: 'dot', text: 'up' },
  hibernating: { fill: 'blue', shape: 'ring', text: 'hibernating' },
  booting: { fill: 'yellow', shape: 'ring', text: 'booting' },
  down: { fill: 'red', shape: 'ring', text: 'down' },
};

/** `backup start` as the issue writes it is `backup-start`. */
function operationOf(value: unknown): Operation {
  const given = typeof value === 'string' ? value.trim().replace(/\s+/g, '-') : value;
  return parseChoice('operation', given, OPERATIONS);
}

async function taskOf(run: ActionRun): Promise<string> {
  return requireText(run, 'task', { trim: true, hint: TASK_HINT });
}

export default function register(RED: NodeAPI): void {
  function SynologyHealthNode(this: Node, config: HealthDef) {
    RED.nodes.createNode(this, config);
    setupActionNode(RED, this, config.server, {
      settings: {
        operation:
          config.operation === 'msg'
            ? { value: 'operation', type: 'msg' }
            : { value: config.operation || 'snapshot', type: 'str' },
        task: typedSetting(config, 'task'),
      },
      progressOutput: false,
      async work(run: ActionRun) {
        const operation = operationOf(await run.read('operation'));
        const system = new DsmSystem(run.client);
        const { signal } = run;
        run.working(operation);
        if (operation === 'ping') {
          const result = await system.ping({ signal });
          run.msg.payload = result;
          return { status: result.state, nodeStatus: PING_STATUS[result.state] };
        }
        if (operation === 'backup-start' || operation === 'backup-cancel') {
          const task = await taskOf(run);
          const result =
            operation === 'backup-start'
              ? await system.startBackup(task, { signal })
              : await system.cancelBackup(task, { signal });
          run.msg.payload = result;
          const verb = operation === 'backup-start' ? 'started' : 'cancelled';
          return { status: `${verb} ${result.name}` };
        }
        if (operation === 'snapshot') {
          const snapshot = await system.snapshot({ signal });
          run.msg.payload = snapshot;
          const nodeStatus = healthStatus(snapshot.health, snapshot.items);
          return { status: nodeStatus.text as string, nodeStatus };
        }
        const part = await system.read([operation], { signal });
        const msg = run.msg as typeof run.msg & { health: Health; notes: string[] };
        msg.payload = part[operation];
        msg.health = part.health;
        msg.notes = part.notes;
        const nodeStatus = healthStatus(part.health, part.items);
        return { status: nodeStatus.text as string, nodeStatus };
      },
    });
  }

  RED.nodes.registerType('synology-health', SynologyHealthNode);
}
