import type { NodeAPI } from 'node-red';
import type { Request, Response } from 'express';
import type { DsmClient } from '../../dsm';
import type { DsmConfigNode } from '../synology-dsm';
import { toNodeError } from '../shared/node-error';
import { apiCatalogue, browse, cloudSyncConnections, downloadDestinations } from './lookups';

/** Read access to the editor is enough: these only list what the deployed account may see. */
export const LOOKUP_PERMISSION = 'synology-dsm.read';

type Lookup = (client: DsmClient, req: Request) => Promise<object>;

const LOOKUPS: Record<string, Lookup> = {
  browse: (client, req) => browse(client, req.query.path, req.query.files === 'true'),
  apis: async (client) => ({ apis: await apiCatalogue(client) }),
  'download-destinations': (client) => downloadDestinations(client),
  'cloudsync-connections': async (client) => ({ connections: await cloudSyncConnections(client) }),
};

/**
 * The editor's lookups (`GET /synology-dsm/:id/<lookup>`): folder browsing, API names and methods, Download
 * Station destinations, Cloud Sync connections. They go through the DEPLOYED config node's own client and session,
 * never through settings typed in the editor, so a lookup cannot send the stored password anywhere new. Answers
 * carry names and paths only; no sid, SynoToken, device token or password. Failures are JSON `{message, code}`:
 * 404 for an id that is no deployed synology-dsm node, 400 for a bad query, 502 when the NAS refused or failed.
 */
export function registerLookupEndpoints(RED: NodeAPI): void {
  const permission = RED.auth.needsPermission(LOOKUP_PERMISSION);
  for (const [name, lookup] of Object.entries(LOOKUPS)) {
    RED.httpAdmin.get(`/synology-dsm/:id/${name}`, permission, async (req: Request, res: Response) => {
      const node = RED.nodes.getNode(String(req.params.id)) as DsmConfigNode | null;
      if (!node || node.type !== 'synology-dsm') {
        res.status(404).json({
          message: 'server: this Synology DSM connection is not deployed; deploy it first, then browse',
          code: 'ENOTDEPLOYED',
        });
        return;
      }
      if (!node.client) {
        const message = node.configError?.message ?? 'the connection settings are not usable';
        res.status(400).json({ message: `server: ${message}`, code: 'ECONFIG' });
        return;
      }
      try {
        res.json(await lookup(node.client, req));
      } catch (err) {
        const error = toNodeError(err);
        res.status(error.cause.kind === 'input' ? 400 : 502).json({
          message: error.message,
          code: error.code,
          kind: error.cause.kind,
        });
      }
    });
  }
}
