import FormData from 'form-data';
import { unwrap, type DsmClient } from '../../client';
import { DsmError, inputError } from '../../errors';
import { pollUntilFinished } from '../file-station/background';
import {
  describeType,
  optionalBoolean,
  optionalString,
  optionalTimeout,
  optionsObject,
} from '../file-station/options';
import {
  TASK_DS2,
  TASK_LIST_DS2,
  TASK_LIST_POLLING_DS2,
  TASK_V1,
  ds2TaskVersion,
  inDownloadStationTerms,
  taskApi,
} from './apis';
import { checkDestination, ensureDestination, requireDefaultDestination } from './destination';
import { listTasks } from './listing';
import { checkLink, linkKey, v1UriParam, type LinkSource } from './sources';
import type { DownloadTask } from './task';
import { readTorrent, type TorrentInfo } from './torrent';

/** Links (http, https, ftp, magnet, ed2k), one or several, or the bytes of a .torrent file. */
export type CreateSource = string | readonly string[] | Uint8Array;

export interface CreateOptions {
  /** Share-relative folder, `downloads/tv` or `/downloads/tv`; the account's default destination when absent. */
  destination?: string;
  /** Create the destination folder (and its parents) through File Station when it is missing. */
  createFolder?: boolean;
  /** Password of the archives Download Station extracts (sent in a POST body). */
  unzipPassword?: string;
  /** Compare with the account's tasks first and skip what is already there (default true). */
  skipDuplicates?: boolean;
  /** Torrent only: the indexes of the files to download (DS2's file selection); all by default. */
  fileIndexes?: number[];
  /** Torrent only: the file name DSM shows as the task's source (default `<torrent name>.torrent`). */
  torrentName?: string;
  signal?: AbortSignal;
  /** Torrent file selection: how long to wait for DSM to create the task (default 60 s). */
  timeoutMs?: number;
}

export interface CreateResult {
  /** Ids of the tasks created (found by their link after a v1 create, which answers no ids). */
  created: string[];
  /** What was already there: the link (or torrent name) and the existing task's id. */
  skipped: { uri: string; id: string }[];
}

/** One thing to create, with the keys a duplicate would share. */
interface Wanted {
  uri: string;
  keys: string[];
}

/**
 * Creates download tasks. Not idempotent, so never retried after a timeout or a lost connection (DSM may have
 * created the task); only a session error, after which DSM certainly did nothing, gets one more try.
 */
export async function createTasks(
  client: DsmClient,
  source: CreateSource,
  given?: CreateOptions,
): Promise<CreateResult> {
  const options = optionsObject(given);
  const destination = checkDestination('destination', options.destination);
  const createFolder = optionalBoolean('createFolder', options.createFolder);
  const skipDuplicates = optionalBoolean('skipDuplicates', options.skipDuplicates) ?? true;
  const unzipPassword = optionalString('unzipPassword', options.unzipPassword) || undefined;
  const torrentName = optionalString('torrentName', options.torrentName);
  optionalTimeout('timeoutMs', options.timeoutMs);
  const { signal } = options;

  const torrent = source instanceof Uint8Array ? await readTorrent('torrent', source) : undefined;
  const links = torrent ? [] : checkLinks(source);
  const fileIndexes = checkFileIndexes(options.fileIndexes, torrent);
  if (torrent && (await ds2TaskVersion(client, signal)) < 2) throw torrentNeedsDs2();
  if (!torrent && torrentName !== undefined) throw inputError('torrentName', 'is only for .torrent files');

  if (destination && createFolder) await ensureDestination(client, destination, signal);
  const before = await listTasks(client, { signal });
  const wanted: Wanted[] = torrent
    ? [{ uri: torrentName || `${torrent.name}.torrent`, keys: torrentKeys(torrent, fileIndexes) }]
    : links.map((link) => ({ uri: link.uri, keys: linkKeys(link) }));
  const { fresh, skipped } = skipDuplicates
    ? splitDuplicates(wanted, before)
    : { fresh: wanted, skipped: [] };
  if (fresh.length === 0) return { created: [], skipped };
  if (!destination && (torrent || (await taskApi(client, signal)) === 'ds2'))
    await inDownloadStationTerms(requireDefaultDestination(client, signal));

  const request = { destination, unzipPassword, signal };
  let created: string[];
  if (torrent) {
    const file = { bytes: source as Uint8Array, name: fresh[0].uri };
    created = await inDownloadStationTerms(
      fileIndexes
        ? createTorrentWithSelection(client, file, fileIndexes, { ...request, timeoutMs: options.timeoutMs })
        : createTorrent(client, file, request),
    );
  } else {
    const sent = links.filter((link) => fresh.some((w) => w.uri === link.uri));
    created = await inDownloadStationTerms(createFromLinks(client, sent, request, before));
  }
  return { created, skipped };
}

function checkLinks(source: unknown): LinkSource[] {
  if (Array.isArray(source)) {
    if (source.length === 0) throw inputError('uri', 'is an empty list', 'Give at least one link.');
    const links = source.map((item, index) => checkLink(`uri[${index}]`, item));
    // The same link twice in one request is one task.
    return links.filter((link, index) => links.findIndex((other) => other.key === link.key) === index);
  }
  if (typeof source === 'string') return [checkLink('uri', source)];
  throw inputError(
    'uri',
    `must be a link, a list of links or a Buffer with a .torrent file, not ${describeType(source)}`,
  );
}

function checkFileIndexes(value: unknown, torrent: TorrentInfo | undefined): number[] | undefined {
  if (value === undefined || value === null) return undefined;
  if (!torrent) throw inputError('fileIndexes', 'are only for .torrent files');
  if (!Array.isArray(value) || value.length === 0)
    throw inputError('fileIndexes', `must be a non-empty list of file indexes, not ${describeType(value)}`);
  const count = torrent.files.length;
  value.forEach((index: unknown, n) => {
    if (typeof index !== 'number' || !Number.isInteger(index) || index < 0 || index >= count)
      throw inputError(
        `fileIndexes[${n}]`,
        `${typeof index === 'number' ? index : describeType(index)} is not a file of this torrent (it has ${count}: 0-${count - 1})`,
      );
  });
  return [...new Set(value as number[])];
}

function torrentNeedsDs2(): DsmError {
  return new DsmError({
    kind: 'dsm',
    code: 'ENOTSUPPORTED',
    api: TASK_DS2,
    method: 'create',
    reason: 'this NAS does not offer SYNO.DownloadStation2.Task version 2, which .torrent files need',
    hint: 'Download Station 3.8.16 and later take .torrent files only through DownloadStation2 (DSM 6.2.4+, DSM 7); update Download Station, or give a magnet link instead.',
  });
}

function linkKeys(link: LinkSource): string[] {
  return link.nameAndSize ? [link.key, `name:${link.nameAndSize}`] : [link.key];
}

/** DSM lists a task of chosen files with their size only: that size identifies it too. */
function torrentKeys(torrent: TorrentInfo, fileIndexes: number[] | undefined): string[] {
  const keys = [`btih:${torrent.infoHash}`, `name:${torrent.name}|${torrent.size}`];
  if (fileIndexes) {
    const chosen = fileIndexes.reduce((sum, index) => sum + torrent.files[index].size, 0);
    keys.push(`name:${torrent.name}|${chosen}`);
  }
  return keys;
}

/** The keys an existing task is known by: its link's, and for BitTorrent tasks its name and size. */
function taskKeys(task: DownloadTask): string[] {
  const keys: string[] = [];
  const key = task.uri ? linkKey(task.uri) : undefined;
  if (key) keys.push(key);
  if (task.type === 'bt' && task.title && task.size > 0) keys.push(`name:${task.title}|${task.size}`);
  return keys;
}

function splitDuplicates(
  wanted: Wanted[],
  existing: DownloadTask[],
): { fresh: Wanted[]; skipped: CreateResult['skipped'] } {
  const byKey = new Map<string, string>();
  for (const task of existing) for (const key of taskKeys(task)) if (!byKey.has(key)) byKey.set(key, task.id);
  const fresh: Wanted[] = [];
  const skipped: CreateResult['skipped'] = [];
  for (const item of wanted) {
    const id = item.keys.map((key) => byKey.get(key)).find(Boolean);
    if (id) skipped.push({ uri: item.uri, id });
    else fresh.push(item);
  }
  return { fresh, skipped };
}

interface CreateRequest {
  destination?: string;
  unzipPassword?: string;
  signal?: AbortSignal;
}

/** 402/403 from a create are about the destination: say so naming the field. */
function destinationTerms(err: unknown, destination: string | undefined): unknown {
  if (!(err instanceof DsmError) || err.kind !== 'dsm' || (err.code !== 402 && err.code !== 403)) return err;
  const where = destination ? `"${destination}"` : "the account's default destination";
  return new DsmError({
    ...err.toJSON(),
    reason: `destination: ${where}: ${err.reason}`,
    hint:
      err.code === 403
        ? 'The destination is a folder in a shared folder, e.g. downloads/tv; tick "create the folder if missing" to have it created.'
        : err.hint,
  });
}

async function createFromLinks(
  client: DsmClient,
  links: LinkSource[],
  request: CreateRequest,
  before: DownloadTask[],
): Promise<string[]> {
  const { destination, unzipPassword, signal } = request;
  try {
    if ((await taskApi(client, signal)) === 'ds2') {
      // Every DS2 value JSON-encoded, the destination always given ("" = the default): bare values answer 120
      // (Prowlarr #2062, next-apis-notes §1b). The client encodes them as DS2's requestFormat JSON says.
      const data = await client.call<{ task_id?: unknown }>(
        TASK_DS2,
        'create',
        {
          type: 'url',
          url: links.map((link) => link.uri),
          create_list: false,
          destination: destination ?? '',
          ...(unzipPassword ? { extract_password: unzipPassword } : {}),
        },
        { signal, post: true },
      );
      return ids(data?.task_id);
    }
    // v1 create answers no ids (plneto DownloadStationTaskEndpoint): the new tasks are found by their links.
    await client.call(
      TASK_V1,
      'create',
      { uri: v1UriParam(links), destination, unzip_password: unzipPassword },
      { signal, post: true },
    );
  } catch (err) {
    throw destinationTerms(err, destination);
  }
  return newTaskIds(client, links, before, signal);
}

async function newTaskIds(
  client: DsmClient,
  links: LinkSource[],
  before: DownloadTask[],
  signal?: AbortSignal,
): Promise<string[]> {
  const old = new Set(before.map((task) => task.id));
  const keys = new Set(links.map((link) => link.key));
  const after = await listTasks(client, { signal });
  return after
    .filter((task) => !old.has(task.id) && task.uri && keys.has(linkKey(task.uri) ?? ''))
    .map((task) => task.id);
}

function ids(value: unknown): string[] {
  return Array.isArray(value) ? value.map(String) : typeof value === 'string' ? [value] : [];
}

/**
 * DS2 create of a .torrent: multipart POST with `file=["torrent"]` naming the part that carries it, text fields
 * first, the file last (khoazero capture, Prowlarr; next-apis-notes §1b). `_sid` goes in the query, the SynoToken
 * in X-SYNO-TOKEN (DSM >= 7.1.1 refuses DS2 creates without it: PT-Plugin-Plus #1340).
 */
async function sendTorrentCreate(
  client: DsmClient,
  file: { bytes: Uint8Array; name: string },
  request: CreateRequest,
  createList: boolean,
): Promise<{ task_id?: unknown; list_id?: unknown }> {
  const { destination, unzipPassword, signal } = request;
  try {
    return await client.request(TASK_DS2, 'create', { signal, version: 2 }, async (req) => {
      const form = new FormData();
      const fields: Record<string, unknown> = {
        type: 'file',
        file: ['torrent'],
        destination: destination ?? '',
        create_list: createList,
        ...(unzipPassword ? { extract_password: unzipPassword } : {}),
      };
      for (const [key, value] of Object.entries(req.query)) if (key !== '_sid') form.append(key, value);
      for (const [key, value] of Object.entries(fields)) form.append(key, JSON.stringify(value));
      form.append('torrent', Buffer.from(file.bytes), {
        filename: file.name,
        contentType: 'application/x-bittorrent',
      });
      const envelope = await client.transport.sendMultipart({
        cgiPath: req.resolved.cgiPath,
        api: TASK_DS2,
        method: 'create',
        query: req.query,
        headers: req.headers,
        body: form,
        length: form.getLengthSync(),
        signal,
      });
      return unwrap<{ task_id?: unknown; list_id?: unknown }>(envelope, TASK_DS2, 'create');
    });
  } catch (err) {
    throw destinationTerms(err, destination);
  }
}

async function createTorrent(
  client: DsmClient,
  file: { bytes: Uint8Array; name: string },
  request: CreateRequest,
): Promise<string[]> {
  const data = await sendTorrentCreate(client, file, request, false);
  return ids(data?.task_id);
}

/**
 * DS2's file selection: create with `create_list=true` gives a list id; Task.List.Polling `download` with the
 * chosen `file_indexes` makes the task; `download_status` tells when it exists (N4S4, dvcol; next-apis-notes §1b).
 */
async function createTorrentWithSelection(
  client: DsmClient,
  file: { bytes: Uint8Array; name: string },
  fileIndexes: number[],
  request: CreateRequest & { timeoutMs?: number },
): Promise<string[]> {
  const { signal } = request;
  const data = await sendTorrentCreate(client, file, request, true);
  const [listId] = ids(data?.list_id);
  if (!listId) return ids(data?.task_id);
  const started = await client.call<{ task_id?: unknown }>(
    TASK_LIST_POLLING_DS2,
    'download',
    {
      list_id: listId,
      destination: request.destination ?? '',
      create_subfolder: true,
      file_indexes: fileIndexes,
    },
    { signal, version: 2 },
  );
  const pollId = String(started?.task_id ?? '');
  const status = await pollUntilFinished(
    { api: TASK_LIST_POLLING_DS2, phase: 'create', progressOf: () => ({ done: 0, total: 1, percent: 0 }) },
    async () => {
      const answer = await client.call<{ task_id?: unknown; finish?: unknown }>(
        TASK_LIST_POLLING_DS2,
        'download_status',
        { task_id: pollId },
        { signal, version: 2 },
      );
      return { finished: answer?.finish === true, taskIds: ids(answer?.task_id) };
    },
    { signal, timeoutMs: request.timeoutMs ?? 60_000 },
  );
  // The file list DSM kept for the selection is no longer needed (dvcol cleans it the same way).
  await client.call(TASK_LIST_DS2, 'delete', { list_id: [listId] }, { version: 2 }).catch(() => undefined);
  return status.taskIds;
}
