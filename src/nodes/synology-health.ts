import type { Node, NodeAPI, NodeDef, NodeStatus } from 'node-red';
import { DsmSystem, type Health, type HealthItem, type PingResult } from '../dsm';
import type { HealthPart } from '../dsm/api/system';
import { setupActionNode, typedSetting, type ActionRun } from './shared/action-node';
import { t } from './shared/i18n';
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

const HEALTH_WORDS: Record<Health, string> = {
  ok: 'synology-health.health.ok',
  warning: 'synology-health.health.warning',
  critical: 'synology-health.health.critical',
  unknown: 'synology-health.health.unknown',
};

const PART_WORDS: Record<Operation, string> = {
  snapshot: 'synology-health.canvas.snapshot',
  volumes: 'synology-health.operation.volumes',
  pools: 'synology-health.operation.pools',
  disks: 'synology-health.operation.disks',
  temperatures: 'synology-health.operation.temperatures',
  system: 'synology-health.operation.system',
  utilisation: 'synology-health.operation.utilisation',
  update: 'synology-health.operation.update',
  backups: 'synology-health.operation.backups',
  ping: 'synology-health.status.pinging',
  'backup-start': 'synology-health.status.starting',
  'backup-cancel': 'synology-health.status.cancelling',
};

/** "critical: Drive 2 (+1)": the worst health and the first item that has it. */
function healthStatus(RED: NodeAPI, health: Health, items: readonly HealthItem[]): NodeStatus {
  const bad = items.filter((i) => i.health === health);
  const word = t(RED, HEALTH_WORDS[health]);
  const text =
    health === 'ok' || bad.length === 0
      ? t(RED, 'synology-health.status.allOk', { health: word, count: items.length })
      : bad.length > 1
        ? t(RED, 'synology-health.status.worstMore', {
            health: word,
            name: bad[0].name,
            more: bad.length - 1,
          })
        : t(RED, 'synology-health.status.worst', { health: word, name: bad[0].name });
  return { fill: FILL[health], shape: 'dot', text };
}

const PING_FILL: Record<PingResult['state'], Pick<NodeStatus, 'fill' | 'shape'>> = {
  up: { fill: 'green', shape: 'dot' },
  hibernating: { fill: 'blue', shape: 'ring' },
  booting: { fill: 'yellow', shape: 'ring' },
  down: { fill: 'red', shape: 'ring' },
};

const PING_WORDS: Record<PingResult['state'], string> = {
  up: 'synology-health.ping.up',
  hibernating: 'synology-health.ping.hibernating',
  booting: 'synology-health.ping.booting',
  down: 'synology-health.ping.down',
};

function workingText(RED: NodeAPI, operation: Operation): string {
  const text = t(RED, PART_WORDS[operation]);
  return PARTS.includes(operation as HealthPart) || operation === 'snapshot'
    ? t(RED, 'synology-health.status.reading', { part: text })
    : text;
}

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
        run.working(workingText(RED, operation));
        if (operation === 'ping') {
          const result = await system.ping({ signal });
          run.msg.payload = result;
          const nodeStatus = { ...PING_FILL[result.state], text: t(RED, PING_WORDS[result.state]) };
          return { status: nodeStatus.text, nodeStatus };
        }
        if (operation === 'backup-start' || operation === 'backup-cancel') {
          const task = await taskOf(run);
          const result =
            operation === 'backup-start'
              ? await system.startBackup(task, { signal })
              : await system.cancelBackup(task, { signal });
          run.msg.payload = result;
          const status =
            operation === 'backup-start'
              ? t(RED, 'synology-health.status.started', { name: result.name })
              : t(RED, 'synology-health.status.cancelled', { name: result.name });
          return { status };
        }
        if (operation === 'snapshot') {
          const snapshot = await system.snapshot({ signal });
          run.msg.payload = snapshot;
          const nodeStatus = healthStatus(RED, snapshot.health, snapshot.items);
          return { status: nodeStatus.text as string, nodeStatus };
        }
        const part = await system.read([operation], { signal });
        const msg = run.msg as typeof run.msg & { health: Health; notes: string[] };
        msg.payload = part[operation];
        msg.health = part.health;
        msg.notes = part.notes;
        const nodeStatus = healthStatus(RED, part.health, part.items);
        return { status: nodeStatus.text as string, nodeStatus };
      },
    });
  }

  RED.nodes.registerType('synology-health', SynologyHealthNode);
}
