import type { Node, NodeAPI, NodeDef } from 'node-red';
import { checkItemPath, DsmError, inputError, type FileEntry, type FileStation, type Progress } from '../dsm';
import { describeType } from '../dsm/api/file-station';
import { setupActionNode, typedSetting, type ActionRun } from './shared/action-node';
import { inNodeTerms } from './shared/field-names';
import { parseChoice, toPathList } from './shared/file-inputs';
import { IF_IT_EXISTS_HINT, inSettingTerms } from './shared/setting-hints';
import { requireText } from './shared/text-setting';
import { t } from './shared/i18n';

const OPERATIONS = [
  'mkdir',
  'rename',
  'copy',
  'move',
  'delete',
  'info',
  'md5',
  'dirsize',
  'share',
  'compress',
  'extract',
] as const;
type Operation = (typeof OPERATIONS)[number];

interface FileOpDef extends NodeDef {
  server: string;
  operation: string;
  overwrite: string;
  dryRun: boolean;
  createParents: boolean;
  /** info on a path DSM cannot find: 'report' (entry with exists: false, yellow status) or 'error'. */
  ifMissing: string;
}

interface OpInput {
  paths: string[];
  /** msg.password, else the node's credential: never a plain node setting, which would be exported with the flow. */
  password?: string;
  files: FileStation;
  signal: AbortSignal;
  onProgress: (p: Progress) => void;
  read(field: string): Promise<unknown>;
  config: FileOpDef;
}

const one = (paths: string[], field = 'path'): string => {
  if (paths.length !== 1) throw inputError(field, `takes one path here, got ${paths.length}`);
  return paths[0];
};

const text = (input: OpInput, field: string) => requireText(input, field, { trim: true });

/** A share link's expiry: "YYYY-MM-DD", ms since 1970 or a Date (the client checks which); empty is none. */
async function expiry(input: OpInput): Promise<string | number | Date | undefined> {
  const value = await input.read('expires');
  if (value === undefined || value === null) return undefined;
  return typeof value === 'string' ? value.trim() || undefined : (value as string | number | Date);
}

function overwriteOf(config: FileOpDef): boolean | undefined {
  const value = parseChoice('overwrite', config.overwrite || 'error', ['error', 'true', 'false'] as const);
  return value === 'error' ? undefined : value === 'true';
}

async function copyOrMove(i: OpInput, how: 'copy' | 'move') {
  const destination = await text(i, 'destination');
  const options = { overwrite: overwriteOf(i.config), signal: i.signal, onProgress: i.onProgress };
  const status =
    how === 'copy'
      ? await i.files.copy(i.paths, destination, options)
      : await i.files.move(i.paths, destination, options);
  return { paths: i.paths, destination, ...status };
}

/** Each operation: read its own fields, call File Station, return the payload. */
const RUNNERS: Record<Operation, (input: OpInput) => Promise<unknown>> = {
  mkdir: (i) =>
    i.files.createFolder(one(i.paths), { createParents: i.config.createParents !== false, signal: i.signal }),
  rename: async (i) =>
    inNodeTerms(i.files.rename(one(i.paths), await text(i, 'newName'), { signal: i.signal }), {
      name: 'newName',
    }),
  copy: (i) => copyOrMove(i, 'copy'),
  move: (i) => copyOrMove(i, 'move'),
  delete: async (i) => {
    // A dry run unless switched off explicitly: a flow without the setting must not delete.
    const dryRun = i.config.dryRun !== false;
    // Nothing to delete (a cleanup that found nothing) is not an error.
    if (i.paths.length === 0)
      return dryRun ? { dryRun, wouldDelete: [], count: 0 } : { dryRun, deleted: [], count: 0 };
    if (dryRun) {
      // The same checks as the real delete, then report what exists; nothing changes.
      i.paths.forEach((p, n) => checkItemPath(i.paths.length > 1 ? `path[${n}]` : 'path', p));
      const entries = (await i.files.info(i.paths, { signal: i.signal })).filter((e) => !e.code);
      return { dryRun, wouldDelete: entries, count: entries.length };
    }
    await i.files.delete(i.paths, { signal: i.signal, onProgress: i.onProgress });
    return { dryRun, deleted: i.paths, count: i.paths.length };
  },
  info: async (i) => {
    const ifMissing = parseChoice('ifMissing', i.config.ifMissing || 'report', ['report', 'error'] as const);
    const entries = await i.files.info(i.paths, { signal: i.signal });
    const missing = entries.filter((entry) => !entry.exists);
    if (missing.length > 0 && ifMissing === 'error') throw missingError(entries, missing);
    return entries;
  },
  md5: async (i) => {
    const path = one(i.paths);
    return { path, md5: await i.files.md5(path, { signal: i.signal, onProgress: i.onProgress }) };
  },
  dirsize: async (i) => ({
    paths: i.paths,
    ...(await i.files.dirSize(i.paths, { signal: i.signal, onProgress: i.onProgress })),
  }),
  share: async (i) =>
    i.files.createShareLinks(i.paths, {
      password: i.password,
      expires: await expiry(i),
      signal: i.signal,
    }),
  compress: async (i) =>
    i.files.compress(i.paths, await text(i, 'destination'), {
      password: i.password,
      signal: i.signal,
      onProgress: i.onProgress,
    }),
  extract: async (i) =>
    i.files.extract(one(i.paths), await text(i, 'destination'), {
      overwrite: overwriteOf(i.config),
      password: i.password,
      signal: i.signal,
      onProgress: i.onProgress,
    }),
};

/** info with "If missing" set to fail: the codes DSM gave per path, as a batch error names them. */
function missingError(entries: FileEntry[], missing: FileEntry[]): DsmError {
  return new DsmError({
    kind: 'dsm',
    code: missing[0].code ?? 408,
    api: 'SYNO.FileStation.List',
    method: 'getinfo',
    reason: `${missing.length} of ${entries.length} path(s) not found`,
    hint: 'Set "If missing" to report, to get entries with exists: false instead.',
    details: missing.map((entry) => ({ code: entry.code ?? 408, path: entry.path })),
  });
}

const WRITES_TO_DESTINATION: readonly Operation[] = ['copy', 'move', 'compress', 'extract'];

/** What to change in this node for a DSM error, in the editor's words (nodes/synology-file-op.html). */
function settingHint(operation: Operation, paths: string[], config: FileOpDef) {
  return (err: DsmError): string | undefined => {
    // info's own error already names its setting ("If missing").
    if (operation === 'info') return undefined;
    const exists = err.code === 1003 || (operation === 'extract' && err.code === 414);
    if (exists && overwriteOf(config) === undefined) return IF_IT_EXISTS_HINT;
    if (err.code === 1403) return 'Set the archive\'s password in "Password", or send it in msg.password.';
    const missing = err.failures.find((failure) => failure.code === 408);
    if (!missing) return undefined;
    if (operation === 'mkdir' && config.createParents === false)
      return `Tick "create missing parent folders", or create ${missing.path} first.`;
    if (paths.includes(missing.path))
      return 'Check "DSM path(s)": paths start with the shared folder, e.g. /home/file.txt.';
    if (WRITES_TO_DESTINATION.includes(operation))
      return `Create ${missing.path} first, e.g. with a file op node set to mkdir before this one.`;
    return undefined;
  };
}

function passwordFor(fromMsg: unknown, credentials: { password?: string } | undefined): string | undefined {
  if (fromMsg !== undefined && typeof fromMsg !== 'string')
    throw inputError('msg.password', `must be a string, not ${describeType(fromMsg)}`);
  return fromMsg || credentials?.password || undefined;
}

export default function register(RED: NodeAPI): void {
  function SynologyFileOpNode(this: Node, config: FileOpDef) {
    RED.nodes.createNode(this, config);
    const credentials = this.credentials as { password?: string } | undefined;
    setupActionNode(RED, this, config.server, {
      settings: {
        operation:
          config.operation === 'msg'
            ? { value: 'operation', type: 'msg' }
            : { value: config.operation || 'info', type: 'str' },
        path: typedSetting(config, 'path', 'msg', 'payload'),
        destination: typedSetting(config, 'destination'),
        newName: typedSetting(config, 'newName'),
        expires: typedSetting(config, 'expires'),
      },
      progressOutput: true,
      secretsInMsg: ['password'],
      async work(run: ActionRun) {
        const operation = parseChoice('operation', await run.read('operation'), OPERATIONS);
        const paths = toPathList('path', await run.read('path'), operation === 'delete');
        run.working(
          paths.length === 1
            ? t(RED, 'synology-file-op.status.working', { operation, path: paths[0] })
            : t(RED, 'synology-file-op.status.workingPaths', { operation, count: paths.length }),
        );
        const payload = await inSettingTerms(
          RUNNERS[operation]({
            paths,
            files: run.files,
            signal: run.signal,
            onProgress: run.progress,
            read: run.read,
            config,
            password: passwordFor(run.secrets.password, credentials),
          }),
          settingHint(operation, paths, config),
        );
        run.msg.payload = payload;
        if (operation === 'info') {
          const missing = (payload as FileEntry[]).filter((entry) => !entry.exists);
          if (missing.length > 0) {
            const counts = { missing: missing.length, count: paths.length };
            return { status: t(RED, 'synology-file-op.status.missing', counts), notice: true };
          }
        }
        const dry = operation === 'delete' && config.dryRun !== false;
        return {
          status: t(RED, dry ? 'synology-file-op.status.doneDryRun' : 'synology-file-op.status.done', {
            operation,
          }),
        };
      },
    });
  }

  RED.nodes.registerType('synology-file-op', SynologyFileOpNode, {
    credentials: { password: { type: 'password' } },
  });
}
