import type { Node, NodeAPI, NodeCredentials } from 'node-red';
import type { Request, Response } from 'express';
import { DsmClient, DsmError, type ConnectionState } from '../dsm';
import { clientOptionsFrom, type DsmConfigDef, type DsmCredentials } from './shared/dsm-config';
import { toNodeError } from './shared/node-error';

/** Gets the connection state pushed to it, as MQTT broker users do. */
export type ConnectionListener = (state: ConnectionState, detail?: string) => void;

/** What action nodes see of the config node. */
export interface DsmConfigNode extends Node<DsmCredentials> {
  /** The shared client, or undefined when the settings are invalid (then `configError` says why). */
  client?: DsmClient;
  configError?: DsmError;
  /** Where the deployed settings point: stored secrets are reused by the editor buttons only for this target. */
  target: string;
  register(user: Node, listener: ConnectionListener): void;
  deregister(user: Node): void;
}

const CREDENTIALS: NodeCredentials<DsmCredentials> = {
  username: { type: 'text' },
  password: { type: 'password' },
  deviceId: { type: 'password' },
  totpSecret: { type: 'password' },
};

export default function register(RED: NodeAPI): void {
  function SynologyDsmNode(this: DsmConfigNode, config: DsmConfigDef) {
    RED.nodes.createNode(this, config);
    this.target = targetOf(config, this.credentials?.username);
    const listeners = new Map<string, ConnectionListener>();
    let lastState: ConnectionState = 'idle';
    let lastDetail: string | undefined;

    try {
      this.client = new DsmClient(clientOptionsFrom(config, this.credentials ?? {}, this.id));
    } catch (err) {
      this.configError = err instanceof DsmError ? err : toDsmError(err);
      this.warn(`Synology DSM config: ${this.configError.message}`);
      lastState = 'error';
      lastDetail = `config: ${this.configError.reason}`.slice(0, 40);
    }

    this.client?.on('state', (state: ConnectionState, error?: DsmError) => {
      lastState = state;
      lastDetail = error ? shortReason(error) : undefined;
      for (const listener of listeners.values()) listener(state, lastDetail);
    });

    this.register = (user, listener) => {
      listeners.set(user.id, listener);
      listener(lastState, lastDetail);
    };
    this.deregister = (user) => {
      listeners.delete(user.id);
    };

    this.on('close', (_removed: boolean, done: () => void) => {
      listeners.clear();
      const closing = this.client?.close() ?? Promise.resolve();
      closing.then(done, done);
    });
  }

  RED.nodes.registerType<DsmConfigNode, DsmConfigDef, unknown, DsmCredentials>(
    'synology-dsm',
    SynologyDsmNode,
    {
      credentials: CREDENTIALS,
    },
  );
  registerAdminEndpoints(RED);
}

function shortReason(error: DsmError): string {
  const text = error.kind === 'two-factor' ? '2FA required' : error.reason;
  return text.length > 40 ? `${text.slice(0, 39)}…` : text;
}

function toDsmError(err: unknown): DsmError {
  return new DsmError({
    kind: 'internal',
    code: 'EINTERNAL',
    reason: err instanceof Error ? err.message : String(err),
  });
}

/** The editor's form: settings plus credentials, where `__PWRD__` means "the stored value". */
type EditorForm = Partial<DsmConfigDef> & DsmCredentials & { id?: string; otp?: string };

function targetOf(config: Partial<DsmConfigDef>, username: string | undefined): string {
  const protocol = config.protocol || 'https';
  const port = String(config.port || (protocol === 'https' ? 5001 : 5000));
  return JSON.stringify([
    protocol,
    String(config.host ?? '')
      .trim()
      .toLowerCase(),
    port,
    username ?? '',
  ]);
}

/** The deployed synology-dsm node of this id, if there is one. */
function deployedConfigNode(RED: NodeAPI, id: string | undefined): DsmConfigNode | undefined {
  const node = id ? (RED.nodes.getNode(id) as DsmConfigNode | null) : null;
  return node?.type === 'synology-dsm' ? node : undefined;
}

/**
 * Stored secrets stand in for `__PWRD__` only when the form still points at the deployed host, port and account:
 * the editor cannot send a stored password to another server.
 */
function formCredentials(RED: NodeAPI, form: EditorForm): DsmCredentials {
  const deployed = deployedConfigNode(RED, form.id);
  const sameTarget = deployed && deployed.target === targetOf(form, form.username);
  const stored = (sameTarget ? RED.nodes.getCredentials(deployed.id) : undefined) as
    DsmCredentials | undefined;
  const pick = (key: keyof DsmCredentials): string | undefined => {
    const value = form[key];
    return value === undefined || value === '__PWRD__' ? stored?.[key] : value;
  };
  return {
    username: pick('username'),
    password: pick('password'),
    deviceId: pick('deviceId'),
    totpSecret: pick('totpSecret'),
  };
}

/** A one-off client for an editor button: its own session name, logged out when done. */
async function withEditorClient<T>(
  RED: NodeAPI,
  form: EditorForm,
  work: (client: DsmClient) => Promise<T>,
): Promise<T> {
  const options = clientOptionsFrom(form, formCredentials(RED, form), form.id ?? 'editor');
  const client = new DsmClient({ ...options, sessionName: `${options.sessionName}_test` });
  try {
    return await work(client);
  } finally {
    await client.close();
  }
}

function sendFailure(res: Response, err: unknown): void {
  const error = toNodeError(err);
  res.json({
    ok: false,
    message: error.message,
    code: error.code,
    kind: error.cause.kind,
    hint: error.cause.hint,
  });
}

function registerAdminEndpoints(RED: NodeAPI): void {
  const permission = RED.auth.needsPermission('synology-dsm.write');

  RED.httpAdmin.post('/synology-dsm/test', permission, async (req: Request, res: Response) => {
    try {
      const result = await withEditorClient(RED, req.body as EditorForm, async (client) => {
        await client.login();
        const info = await client.apiInfo();
        const dsm = info['SYNO.DSM.Info']
          ? await client
              .call<{ version_string?: string; model?: string }>('SYNO.DSM.Info', 'getinfo')
              .catch(() => undefined)
          : undefined;
        return { apis: Object.keys(info).length, version: dsm?.version_string, model: dsm?.model };
      });
      res.json({ ok: true, ...result });
    } catch (err) {
      sendFailure(res, err);
    }
  });

  RED.httpAdmin.post('/synology-dsm/trust', permission, async (req: Request, res: Response) => {
    const form = req.body as EditorForm;
    const otp = String(form.otp ?? '').trim();
    if (!/^\d{6,8}$/.test(otp)) {
      res.json({
        ok: false,
        message: 'otp: enter the 6-digit code from the authenticator app',
        code: 'EINVAL',
      });
      return;
    }
    const other = form.id ? RED.nodes.getNode(form.id) : null;
    if (!form.id || (other && other.type !== 'synology-dsm')) {
      res.json({ ok: false, message: 'id: not a Synology DSM config node', code: 'EINVAL' });
      return;
    }
    try {
      const deviceId = await withEditorClient(RED, { ...form, deviceId: '' }, async (client) => {
        await client.login({ otpCode: otp, trustDevice: true });
        return client.deviceId;
      });
      if (!deviceId) {
        res.json({ ok: false, message: 'DSM logged in but gave no device token', code: 'ENODEVICE' });
        return;
      }
      // Stored on the runtime side only: the token never travels back to the browser.
      const stored = (RED.nodes.getCredentials(form.id) ?? {}) as DsmCredentials;
      await RED.nodes.addCredentials(form.id, { ...stored, deviceId });
      res.json({ ok: true });
    } catch (err) {
      sendFailure(res, err);
    }
  });
}
