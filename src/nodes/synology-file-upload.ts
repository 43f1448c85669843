import { basename } from 'node:path';
import { Readable } from 'node:stream';
import type { Node, NodeAPI, NodeDef } from 'node-red';
import { inputError, type UploadSource } from '../dsm';
import { setupActionNode, typedSetting } from './shared/action-node';
import { parseChoice } from './shared/file-inputs';

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
        const folder = String((await run.read('folder')) ?? '');
        let content: UploadSource;
        let size: number | undefined;
        let name = String((await run.read('filename')) ?? '').trim();
        if (source === 'file') {
          const local = await run.read('localFile');
          if (typeof local !== 'string' || !local.trim()) {
            throw inputError('localFile', 'is empty', 'Give the path of a file on the Node-RED machine.');
          }
          content = { file: local };
          name ||= basename(local);
        } else {
          ({ content, size } = payloadContent(run.msg.payload, run.msg));
        }
        if (!name) throw inputError('filename', 'is empty', 'Set msg.filename or the File name setting.');
        if (name.includes('/') || name === '.' || name === '..') {
          throw inputError(
            'filename',
            `"${name}" is not a file name`,
            'Give a name without "/"; the folder has its own setting.',
          );
        }
        run.working(`uploading ${name}`);
        const result = await run.files.upload(content, {
          folder,
          name,
          overwrite,
          createParents: config.createParents !== false,
          size,
          signal: run.signal,
          onProgress: run.progress,
        });
        run.msg.payload = result;
        return { status: result.skipped ? `skipped ${name}` : `uploaded ${name}` };
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
    if (given === undefined || given === null || given === '') return { content: payload };
    const size = Number(given);
    if (!Number.isInteger(size) || size < 0) {
      throw inputError('msg.size', 'must be the length of the stream in bytes (a whole number, 0 or more)');
    }
    return { content: payload, size };
  }
  const what = payload === null ? 'null' : Array.isArray(payload) ? 'an array' : typeof payload;
  throw inputError(
    'payload',
    `is ${what}; upload takes a Buffer, a string or a stream`,
    'Turn objects into text first (a JSON node), or upload a local file instead.',
  );
}
