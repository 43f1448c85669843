import { basename } from 'node:path';
import { Readable } from 'node:stream';
import type { Node, NodeAPI, NodeDef } from 'node-red';
import { inputError, type UploadSource } from '../dsm';
import { describeType } from '../dsm/api/file-station';
import { setupActionNode, typedSetting } from './shared/action-node';
import { inNodeTerms } from './shared/field-names';
import { parseChoice } from './shared/file-inputs';
import { IF_IT_EXISTS_HINT, inSettingTerms } from './shared/setting-hints';
import { readText, requireText } from './shared/text-setting';
import { t } from './shared/i18n';

/** The client's names for what this node calls otherwise. */
const NODE_TERMS = { name: 'filename', file: 'localFile', size: 'msg.size', content: 'payload' };

interface FileUploadDef extends NodeDef {
  server: string;
  source: string;
  overwrite: string;
  createParents: boolean;
}

export default function register(RED: NodeAPI): void {
  function SynologyFileUploadNode(this: Node, config: FileUploadDef) {
    RED.nodes.createNode(this, config);
    setupActionNode(RED, this, config.server, {
      settings: {
        folder: typedSetting(config, 'folder', 'str', '/home'),
        filename: typedSetting(config, 'filename', 'msg', 'filename'),
        localFile: typedSetting(config, 'localFile', 'msg', 'localFile'),
      },
      progressOutput: true,
      async work(run) {
        const source = parseChoice('source', config.source || 'payload', ['payload', 'file'] as const);
        const overwrite = { error: 'error', true: true, false: false }[
          parseChoice('overwrite', config.overwrite || 'error', ['error', 'true', 'false'] as const)
        ] as boolean | 'error';
        const folder = (await readText(run, 'folder')) ?? '';
        let content: UploadSource;
        let size: number | undefined;
        let name = (await readText(run, 'filename', { trim: true })) ?? '';
        if (source === 'file') {
          const local = await requireText(run, 'localFile', {
            hint: 'Give the path of a file on the Node-RED machine.',
          });
          content = { file: local };
          name ||= basename(local);
        } else {
          ({ content, size } = payloadContent(run.msg.payload, run.msg));
        }
        if (!name) throw inputError('filename', 'is empty', 'Set msg.filename or the File name setting.');
        if (name.includes('/') || name.includes('\0') || name === '.' || name === '..') {
          throw inputError(
            'filename',
            `"${name}" is not a file name`,
            'Give a name without "/"; the folder has its own setting.',
          );
        }
        run.working(t(RED, 'synology-file-upload.status.uploading', { name }));
        const createParents = config.createParents !== false;
        const result = await inSettingTerms(
          inNodeTerms(
            run.files.upload(content, {
              folder,
              name,
              overwrite,
              createParents,
              size,
              signal: run.signal,
              onProgress: run.progress,
            }),
            NODE_TERMS,
          ),
          (err) =>
            err.code === 1805
              ? IF_IT_EXISTS_HINT
              : err.code === 408 && !createParents
                ? `Tick "create missing folders", or create ${folder} first.`
                : undefined,
        );
        run.msg.payload = result;
        return {
          status: t(
            RED,
            result.skipped ? 'synology-file-upload.status.skipped' : 'synology-file-upload.status.uploaded',
            { name },
          ),
        };
      },
    });
  }

  RED.nodes.registerType('synology-file-upload', SynologyFileUploadNode);
}

/**
 * msg.payload as upload content: Buffer, string, or a stream with its length in msg.size (needed on DSM 6; DSM 7
 * takes a stream of unknown length).
 */
function payloadContent(payload: unknown, msg: object): { content: UploadSource; size?: number } {
  if (Buffer.isBuffer(payload) || typeof payload === 'string') return { content: payload };
  if (payload instanceof Readable) {
    const given = (msg as { size?: unknown }).size;
    // DSM 7 takes a stream of unknown length (chunked); the client refuses it on DSM 6, naming size.
    if (given === undefined || given === null || given === '') return { content: payload };
    return { content: payload, size: streamSize(given) };
  }
  const what = payload === null ? 'null' : Array.isArray(payload) ? 'an array' : typeof payload;
  throw inputError(
    'payload',
    `is ${what}; upload takes a Buffer, a string or a stream`,
    'Turn objects into text first (a JSON node), or upload a local file instead.',
  );
}

/** msg.size of a stream payload: a whole number of bytes, as a number or digits (not `true`, not `[3]`). */
function streamSize(value: unknown): number {
  const size = typeof value === 'string' && /^\s*\d+\s*$/.test(value) ? Number(value) : value;
  if (typeof size === 'number' && Number.isInteger(size) && size >= 0) return size;
  throw inputError(
    'msg.size',
    `must be the stream's length in bytes, not ${typeof value === 'string' ? `"${value}"` : describeType(value)}`,
    'Leave msg.size unset when the length is not known (DSM 7 only).',
  );
}
