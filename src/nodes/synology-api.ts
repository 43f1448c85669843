import type { Node, NodeAPI, NodeDef } from 'node-red';
import { inputError } from '../dsm';
import { describeType } from '../dsm/api/file-station';
import { setupActionNode, typedSetting } from './shared/action-node';
import { readText } from './shared/text-setting';
import { t } from './shared/i18n';

interface SynologyApiDef extends NodeDef {
  server: string;
}

export default function register(RED: NodeAPI): void {
  function SynologyApiNode(this: Node, config: SynologyApiDef) {
    RED.nodes.createNode(this, config);
    setupActionNode(RED, this, config.server, {
      settings: {
        api: typedSetting(config, 'api'),
        method: typedSetting(config, 'method'),
        version: typedSetting(config, 'version', 'str', 'auto'),
        params: typedSetting(config, 'params', 'json', '{}'),
      },
      progressOutput: false,
      async work(run) {
        const api = (await readText(run, 'api', { trim: true })) ?? '';
        const method = (await readText(run, 'method', { trim: true })) ?? '';
        const version = parseVersion(await run.read('version'));
        const params = parseParams(await run.read('params'));
        run.working(`${api.replace(/^SYNO\./, '')}.${method}`);
        run.msg.payload = await run.client.call(api, method, params, { version, signal: run.signal });
        return { status: t(RED, 'synology-api.status.done', { method }) };
      },
    });
  }

  RED.nodes.registerType('synology-api', SynologyApiNode);
}

function parseVersion(value: unknown): number | undefined {
  if (value === undefined || value === null || value === '' || value === 'auto') return undefined;
  if (typeof value !== 'string' && typeof value !== 'number')
    throw inputError('version', `must be a version number or "auto", not ${describeType(value)}`);
  const version = Number(value);
  if (!Number.isInteger(version) || version < 1) {
    throw inputError('version', `"${String(value)}" is not a version number or "auto"`);
  }
  return version;
}

function parseParams(value: unknown): Record<string, unknown> {
  if (value === undefined || value === null || value === '') return {};
  let parsed = value;
  if (typeof value === 'string') {
    try {
      parsed = JSON.parse(value);
    } catch {
      throw inputError(
        'params',
        'is a string that is not JSON',
        'Give an object, e.g. {"offset": 0, "limit": 10}.',
      );
    }
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed) || Buffer.isBuffer(parsed)) {
    throw inputError('params', 'must be an object of parameter names and values', 'e.g. {"offset": 0}');
  }
  return parsed as Record<string, unknown>;
}
