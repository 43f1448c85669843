import type { Node, NodeAPI, NodeDef, NodeMessage } from 'node-red';
import { inputError } from '../dsm';
import type { DsmConfigNode } from './synology-dsm';
import { readSetting, type TypedSetting } from './shared/input';
import { statusText, toNodeError } from './shared/node-error';
import { connectionStatus, DONE, FAILED, WORKING } from './shared/status';

interface SynologyApiDef extends NodeDef {
  server: string;
  api: string;
  apiType: string;
  method: string;
  methodType: string;
  version: string;
  versionType: string;
  params: string;
  paramsType: string;
}

export default function register(RED: NodeAPI): void {
  function SynologyApiNode(this: Node, config: SynologyApiDef) {
    RED.nodes.createNode(this, config);
    const server = RED.nodes.getNode(config.server) as DsmConfigNode | null;
    const setting = (
      value: string | undefined,
      type: string | undefined,
      fallbackType: string,
    ): TypedSetting => ({
      value: value ?? '',
      type: type || fallbackType,
    });
    const settings = {
      api: setting(config.api, config.apiType, 'str'),
      method: setting(config.method, config.methodType, 'str'),
      version: setting(config.version || 'auto', config.versionType, 'str'),
      params: setting(config.params || '{}', config.paramsType, 'json'),
    };
    let busy = 0;
    // Cancels what is in flight when the flow stops, so a redeploy does not wait for DSM.
    const stopping = new AbortController();
    this.on('close', () => stopping.abort());

    if (server) {
      server.register(this, (state, detail) => {
        if (busy === 0) this.status(connectionStatus(state, detail));
      });
      this.on('close', () => server.deregister(this));
    } else {
      this.status(FAILED('no connection configured'));
    }

    this.on('input', async (msg: NodeMessage, send, done) => {
      busy++;
      try {
        if (!server) throw inputError('server', 'no Synology DSM connection is selected');
        if (!server.client) throw server.configError ?? inputError('server', 'the connection is not usable');
        const api = await readSetting(RED, this, msg, 'api', settings.api);
        const method = await readSetting(RED, this, msg, 'method', settings.method);
        const version = parseVersion(await readSetting(RED, this, msg, 'version', settings.version));
        const params = parseParams(await readSetting(RED, this, msg, 'params', settings.params));
        this.status(WORKING(`${String(api).replace(/^SYNO\./, '')}.${String(method)}`));
        const data = await server.client.call(String(api), String(method), params, {
          version,
          signal: stopping.signal,
        });
        msg.payload = data;
        send(msg);
        this.status(DONE(`${String(method)} ok`));
        done();
      } catch (err) {
        const error = toNodeError(err);
        this.status(
          error.cause.kind === 'two-factor'
            ? { fill: 'yellow', shape: 'ring', text: '2FA required' }
            : FAILED(statusText(error)),
        );
        done(error);
      } finally {
        busy--;
      }
    });
  }

  RED.nodes.registerType('synology-api', SynologyApiNode);
}

function parseVersion(value: unknown): number | undefined {
  if (value === undefined || value === null || value === '' || value === 'auto') return undefined;
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
