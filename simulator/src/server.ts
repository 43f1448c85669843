import { X509Certificate } from 'node:crypto';
import {
  createServer as createHttpServer,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { ApiRouter } from './api-router';
import { createControl, type SimulatorControl } from './control';
import { handleControl } from './control-http';
import { prepareDataDir } from './data-dir';
import { API_HANDLERS } from './handlers';
import { sendJson, sendNotFound } from './http-io';
import { resolveOptions, type SimulatorOptions, type SimulatorProfileName } from './options';
import { getProfile } from './profiles';
import { SimulatorState } from './state';
import { admitWebApi, handlePingPong, PINGPONG_PATH } from './system/pingpong';
import { handleWebApi } from './webapi';

export interface SimulatorHandle {
  /** Base URL, e.g. 'http://127.0.0.1:5000' (no trailing slash). */
  readonly url: string;
  readonly port: number;
  readonly profile: SimulatorProfileName;
  readonly dataDir: string;
  /** SHA-256 fingerprint of the TLS certificate (uppercase hex with colons), undefined without TLS. */
  readonly tlsFingerprint: string | undefined;
  readonly control: SimulatorControl;
  /** Stops listening, drops open connections (keep-alive included) and removes a temp data dir. */
  close(): Promise<void>;
}

/** Starts a DSM simulator: the DSM Web API under /webapi/, the test control surface under /sim/. */
export async function startSimulator(options: SimulatorOptions = {}): Promise<SimulatorHandle> {
  const resolved = resolveOptions(options);
  const profile = getProfile(resolved.profile);
  const router = new ApiRouter(profile, API_HANDLERS);
  const dataDir = await prepareDataDir(resolved.dataDir);
  const sim = new SimulatorState(resolved, profile, dataDir.path);
  const control = createControl(sim);

  const listener = (req: IncomingMessage, res: ServerResponse): void => {
    dispatch(sim, router, control, req, res).catch((error: unknown) => {
      console.error('synology-dsm-sim: request failed', error);
      sendJson(res, 500, { error: 'internal simulator error' });
    });
  };
  const server: Server = resolved.tls
    ? createHttpsServer({ key: resolved.tls.key, cert: resolved.tls.cert }, listener)
    : createHttpServer(listener);
  const sockets = new Set<Socket>();
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });

  try {
    await listen(server, resolved.port, resolved.host);
  } catch (error) {
    await dataDir.dispose();
    throw error;
  }
  const { port } = server.address() as AddressInfo;
  const protocol = resolved.tls ? 'https' : 'http';
  let closing: Promise<void> | undefined;

  return {
    url: `${protocol}://${urlHost(resolved.host)}:${port}`,
    port,
    profile: resolved.profile,
    dataDir: dataDir.path,
    tlsFingerprint: resolved.tls ? new X509Certificate(resolved.tls.cert).fingerprint256 : undefined,
    control,
    close: () => {
      closing ??= (async () => {
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        for (const socket of sockets) socket.destroy();
        await closed;
        await sim.tasks.stopAll();
        sim.downloads.stop();
        sim.cloudSync.stop();
        await dataDir.dispose();
      })();
      return closing;
    },
  };
}

async function dispatch(
  sim: SimulatorState,
  router: ApiRouter,
  control: SimulatorControl,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  let url: URL;
  try {
    url = new URL(req.url ?? '/', 'http://simulator');
  } catch {
    sendJson(res, 400, { error: 'The request target is not a URL path' });
    return;
  }
  if (url.pathname === PINGPONG_PATH) return handlePingPong(sim, req, res, url);
  if (url.pathname.startsWith('/webapi/')) {
    if (!admitWebApi(sim, req, res)) return;
    return handleWebApi(sim, router, req, res, url);
  }
  if (url.pathname.startsWith('/sim/')) {
    return handleControl(control, req, res, url, sim.options.allowRemoteControl);
  }
  sendNotFound(res);
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

function urlHost(host: string): string {
  if (host === '0.0.0.0' || host === '') return '127.0.0.1';
  if (host === '::') return '[::1]';
  return host.includes(':') ? `[${host}]` : host;
}
