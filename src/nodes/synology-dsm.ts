import type { Node, NodeAPI, NodeCredentials } from 'node-red';
import type { Request, Response } from 'express';
import { DsmClient, DsmError, inputError, type ConnectionState } from '../dsm';
import {
  clientOptionsFrom,
  connectionTarget,
  type DsmConfigDef,
  type DsmCredentials,
} from './shared/dsm-config';
import { toNodeError } from './shared/node-error';
import { peekCertificate } from './editor/certificate';
import { registerLookupEndpoints } from './editor/endpoints';

/** Gets the connection state pushed to it, as MQTT broker users do. */
export type ConnectionListener = (state: ConnectionState, detail?: string) => void;

/** What action nodes see of the config node. */
export interface DsmConfigNode extends Node<DsmCredentials> {
  /** The shared client, or undefined when the settings are invalid (then `configError` says why). */
  client?: DsmClient;
  configError?: DsmError;
  /**
   * Where the deployed settings send the password (URL, TLS trust, account): the editor buttons reuse stored
   * secrets only for this target. Undefined when the settings are not usable.
   */
  target?: string;
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
    const listeners = new Map<string, ConnectionListener>();
    let lastState: ConnectionState = 'idle';
    let lastDetail: string | undefined;

    try {
      this.client = new DsmClient(clientOptionsFrom(config, this.credentials ?? {}, this.id));
      this.target = connectionTarget(config, this.credentials?.username);
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
  registerLookupEndpoints(RED);
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

/** The deployed synology-dsm node of this id, if there is one. */
function deployedConfigNode(RED: NodeAPI, id: string | undefined): DsmConfigNode | undefined {
  const node = id ? (RED.nodes.getNode(id) as DsmConfigNode | null) : null;
  return node?.type === 'synology-dsm' ? node : undefined;
}

const STORED = '__PWRD__';

/**
 * The target each device token was issued for by "Trust this device", by config node id. The token is stored with
 * the node's credentials at once, but the node may not be deployed yet (or deployed with other settings): this lets
 * the next Test connection use it, still only with the target that issued it. Runtime memory only.
 */
const trustedTargets = new Map<string, string>();

/**
 * Stored secrets stand in for `__PWRD__` only when the form still points where the deployed settings do: same
 * URL, same certificate trust (TLS mode, CA, pin), same account. Otherwise the editor could send the stored
 * password to another server, e.g. one that a changed pin now accepts; then the password must be typed again.
 */
function formCredentials(RED: NodeAPI, form: EditorForm): DsmCredentials {
  const deployed = deployedConfigNode(RED, form.id);
  const target = connectionTarget(form, form.username);
  const sameTarget = deployed?.target !== undefined && deployed.target === target;
  const wantsStored = (key: keyof DsmCredentials) => form[key] === undefined || form[key] === STORED;
  if (!sameTarget && wantsStored('password')) {
    throw inputError(
      'password',
      'type the password again: the stored one is sent only with the deployed host, port, protocol, certificate settings and username',
      'Type the password, or deploy the changed settings first.',
    );
  }
  const stored = (sameTarget && deployed ? RED.nodes.getCredentials(deployed.id) : undefined) as
    DsmCredentials | undefined;
  // Other stored secrets (device token, TOTP secret) are left out, not sent, when the target changed.
  const pick = (key: keyof DsmCredentials): string | undefined =>
    wantsStored(key) ? stored?.[key] : form[key];
  return {
    username: pick('username'),
    password: pick('password'),
    deviceId: pick('deviceId') ?? (wantsStored('deviceId') ? trustedToken(RED, form.id, target) : undefined),
    totpSecret: pick('totpSecret'),
  };
}

/** The device token "Trust this device" stored for this node, if it was issued for this very target. */
function trustedToken(RED: NodeAPI, id: string | undefined, target: string): string | undefined {
  if (!id || trustedTargets.get(id) !== target) return undefined;
  return (RED.nodes.getCredentials(id) as DsmCredentials | undefined)?.deviceId || undefined;
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

function sendFailure(res: Response, err: unknown, extra: object = {}): void {
  const error = toNodeError(err);
  res.json({
    ok: false,
    message: error.message,
    code: error.code,
    kind: error.cause.kind,
    hint: error.cause.hint,
    ...extra,
  });
}

/**
 * The certificate the NAS shows when the connection refused it (TLS error): fingerprint, subject, issuer, validity,
 * for the editor's "Pin this certificate". Read with a handshake of its own; nothing is sent over it.
 */
async function refusedCertificate(form: EditorForm, err: unknown): Promise<object> {
  if (!(err instanceof DsmError) || err.kind !== 'tls') return {};
  const url = new URL(clientOptionsFrom(form, {}, 'peek').url);
  const certificate = await peekCertificate(url.hostname, Number(url.port) || 443);
  return certificate ? { certificate } : {};
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
      sendFailure(res, err, await refusedCertificate(req.body as EditorForm, err).catch(() => ({})));
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
      trustedTargets.set(form.id, connectionTarget(form, form.username));
      res.json({ ok: true });
    } catch (err) {
      sendFailure(res, err);
    }
  });
}
