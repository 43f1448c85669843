import type { Node, NodeAPI, NodeDef } from 'node-red';
import { DownloadStation, inputError } from '../dsm';
import { describeType } from '../dsm/api/file-station';
import { setupActionNode, typedSetting } from './shared/action-node';
import { toDownloadSource, toFileIndexes } from './shared/download-inputs';
import { inNodeTerms } from './shared/field-names';
import { readText } from './shared/text-setting';
import { t } from './shared/i18n';

interface DownloadCreateDef extends NodeDef {
  server: string;
  createFolder: boolean;
  skipDuplicates: boolean;
}

function unzipPasswordFor(
  fromMsg: unknown,
  credentials: { password?: string } | undefined,
): string | undefined {
  if (fromMsg !== undefined && typeof fromMsg !== 'string')
    throw inputError('msg.password', `must be a string, not ${describeType(fromMsg)}`);
  return fromMsg || credentials?.password || undefined;
}

export default function register(RED: NodeAPI): void {
  function SynologyDownloadCreateNode(this: Node, config: DownloadCreateDef) {
    RED.nodes.createNode(this, config);
    const credentials = this.credentials as { password?: string } | undefined;
    setupActionNode(RED, this, config.server, {
      settings: {
        uri: typedSetting(config, 'uri', 'msg', 'payload'),
        destination: typedSetting(config, 'destination'),
        fileIndexes: typedSetting(config, 'fileIndexes', 'json'),
      },
      progressOutput: false,
      secretsInMsg: ['password'],
      async work(run) {
        const source = toDownloadSource('uri', await run.read('uri'));
        const destination = await readText(run, 'destination', { trim: true });
        const fileIndexes = toFileIndexes('fileIndexes', await run.read('fileIndexes'));
        const filename = (run.msg as { filename?: unknown }).filename;
        const torrentName =
          Buffer.isBuffer(source) && typeof filename === 'string' && filename ? filename : undefined;
        run.working(
          Buffer.isBuffer(source)
            ? t(RED, 'synology-download-create.status.addingTorrent')
            : t(RED, 'synology-download-create.status.addingLinks', { count: source.length }),
        );
        const result = await inNodeTerms(
          // One link alone, so that errors name `uri`, not `uri[0]`.
          new DownloadStation(run.client).create(
            Array.isArray(source) && source.length === 1 ? source[0] : source,
            {
              destination,
              createFolder: config.createFolder === true,
              // On unless switched off explicitly: a feed polled twice must not download twice.
              skipDuplicates: config.skipDuplicates !== false,
              unzipPassword: unzipPasswordFor(run.secrets.password, credentials),
              fileIndexes,
              torrentName,
              signal: run.signal,
            },
          ),
          { torrent: 'uri', unzipPassword: 'password' },
        );
        run.msg.payload = result;
        const counts = { created: result.created.length, skipped: result.skipped.length };
        return {
          status: counts.skipped
            ? t(RED, 'synology-download-create.status.createdSkipped', counts)
            : t(RED, 'synology-download-create.status.created', counts),
        };
      },
    });
  }

  RED.nodes.registerType('synology-download-create', SynologyDownloadCreateNode, {
    credentials: { password: { type: 'password' } },
  });
}
