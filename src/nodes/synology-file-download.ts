import { rename, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Node, NodeAPI, NodeDef } from 'node-red';
import { setupActionNode, typedSetting } from './shared/action-node';
import { inNodeTerms } from './shared/field-names';
import { parseChoice, parseSize, toPathList } from './shared/file-inputs';
import { requireText } from './shared/text-setting';
import { t } from './shared/i18n';

/** The client's names for what this node calls otherwise. */
const NODE_TERMS = { maxBytes: 'maxSize', file: 'localPath' };

interface FileDownloadDef extends NodeDef {
  server: string;
  target: string;
  maxSize: string;
}

export default function register(RED: NodeAPI): void {
  function SynologyFileDownloadNode(this: Node, config: FileDownloadDef) {
    RED.nodes.createNode(this, config);
    setupActionNode(RED, this, config.server, {
      settings: {
        path: typedSetting(config, 'path', 'msg', 'payload'),
        localPath: typedSetting(config, 'localPath', 'str', ''),
      },
      progressOutput: true,
      async work(run) {
        const target = parseChoice('target', config.target || 'buffer', ['buffer', 'file'] as const);
        const paths = toPathList('path', await run.read('path'));
        run.working(
          paths.length === 1
            ? t(RED, 'synology-file-download.status.downloading', { path: paths[0] })
            : t(RED, 'synology-file-download.status.downloadingPaths', { count: paths.length }),
        );
        if (target === 'buffer') {
          const maxBytes = parseSize('maxSize', config.maxSize || '64MB');
          const result = await inNodeTerms(
            run.files.download(
              paths,
              { buffer: true, maxBytes },
              { signal: run.signal, onProgress: run.progress },
            ),
            NODE_TERMS,
          );
          run.msg.payload = result.buffer;
          Object.assign(run.msg, {
            filename: result.name,
            contentType: result.contentType,
            download: meta(result),
          });
          return { status: t(RED, 'synology-file-download.status.bytes', { size: result.size }) };
        }
        const local = await requireText(run, 'localPath', {
          hint: 'Give a local file or folder path on the Node-RED machine.',
        });
        // A folder as target: the file keeps its DSM name there.
        const isFolder = (await stat(local).catch(() => undefined))?.isDirectory() ?? false;
        const name = localName(paths.length > 1 ? 'download.zip' : (paths[0].split('/').pop() ?? 'download'));
        const file = isFolder ? join(local, name) : local;
        const result = await inNodeTerms(
          run.files.download(paths, { file }, { signal: run.signal, onProgress: run.progress }),
          NODE_TERMS,
        );
        let saved = file;
        if (isFolder && result.zip && !saved.endsWith('.zip')) {
          // DSM zipped a folder: give the file the name it has.
          await rename(saved, `${saved}.zip`);
          saved = `${saved}.zip`;
        }
        result.file = saved;
        run.msg.payload = saved;
        Object.assign(run.msg, { filename: saved, contentType: result.contentType, download: meta(result) });
        return { status: t(RED, 'synology-file-download.status.bytes', { size: result.size }) };
      },
    });
  }

  RED.nodes.registerType('synology-file-download', SynologyFileDownloadNode);
}

/**
 * A DSM name as a local file name: characters that are separators or illegal on Windows (DSM allows `\`, `:`,
 * `*`...) become `_`, so the file lands inside the chosen folder on every system.
 */
export function localName(name: string): string {
  const safe = [...name]
    .map((c) => (c.charCodeAt(0) < 32 || '\\/:*?"<>|'.includes(c) ? '_' : c))
    .join('')
    .replace(/^\.+$/, '_');
  return safe || 'download';
}

function meta(result: { paths: string[]; name: string; size: number; zip: boolean; file?: string }) {
  return { paths: result.paths, name: result.name, size: result.size, zip: result.zip, file: result.file };
}
