import { CommonError, DsmApiError } from '../dsm-error';
import type { ApiCall, ApiHandler } from '../handlers/api-handler';
import { headerValue } from '../http-io';
import { isMultipartRequest, type MultipartForm, readMultipartForm } from '../multipart-form';
import { stationOf } from './call-context';
import { checkDestination } from './destination';
import { Ds2Params } from './ds2-params';
import { ds2ArgumentError, TaskError } from './errors';
import { sourceFromTorrent, sourceFromUri, type TaskSource } from './sources';
import type { DownloadTask } from './task';
import { ADDITIONAL_FIELDS, ds2StatusOf, ds2Task } from './task-views';
import { parseTorrent } from './torrent';

interface FailedTasks {
  failed_task: { id: string; error: number }[];
}

/**
 * create (Synology's parameter table, nas-download-manager #177): type "url" | "file", create_list (bool),
 * destination ("" = the account's default), url (string array) or file (the names of the multipart parts that
 * hold the .torrent files, e.g. `["torrent"]`; khoazero's capture, Prowlarr's `["fileData"]`), extract_password.
 * Answers {list_id, task_id}. create_list=true keeps the file list for Task.List instead of creating tasks.
 */
async function create(call: ApiCall): Promise<{ list_id: string[]; task_id: string[] }> {
  requireSynoToken(call);
  const form = isMultipartRequest(call.http.req) ? await readMultipartForm(call.http.req) : undefined;
  const params = new Ds2Params(form ? call.params.withOverrides(form.fields) : call.params);
  const { station, user } = stationOf(call);
  const type = params.requiredString('type');
  const createList = params.requiredBool('create_list');
  const destination = readDestination(call, params);
  let sources: TaskSource[];
  if (type === 'url') sources = urlSources(params);
  else if (type === 'file') sources = await fileSources(params, form);
  else throw ds2ArgumentError('type', 'condition');

  if (createList) {
    return { list_id: sources.map((source) => station.addList(user, source).id), task_id: [] };
  }
  const password = params.string('extract_password') ?? '';
  const tasks = sources.map((source) => station.create(user, source, destination, password));
  return { list_id: [], task_id: tasks.map((task) => task.id) };
}

/**
 * DSM 7.1.1 and later refuse a create without the session's SynoToken (header X-SYNO-TOKEN or SynoToken=):
 * 119 (PT-Plugin-Plus #1139, DSM log "Token Authentication Fail", PR #1340). DSM 6.2.2 did not check it.
 */
function requireSynoToken(call: ApiCall): void {
  if (call.sim.profile.name !== 'dsm7') return;
  const sent = headerValue(call.http.req, 'x-syno-token') ?? call.params.sent('SynoToken');
  const token = call.session?.synoToken;
  if (token === undefined || sent !== token) throw new DsmApiError(CommonError.InvalidSession);
}

/**
 * "" means the account's default. Unlike v1 (406), DS2 takes the task without one, and it waits forever
 * (rdt-client PR #998: "Failed to get default download destination of user").
 */
function readDestination(call: ApiCall, params: Ds2Params): string | undefined {
  const destination = params.requiredString('destination');
  if (destination === '') return undefined;
  return checkDestination(call.sim.files, destination);
}

function urlSources(params: Ds2Params): TaskSource[] {
  return params.requiredStrings('url').map((url) => {
    const source = sourceFromUri(url);
    if (!source) throw ds2ArgumentError('url', 'condition');
    return source;
  });
}

/**
 * Each name in `file` names a file part, which must be a .torrent (else 400, "file upload failed"). Text fields
 * after the first file part are not read: the captured order sends them all before it.
 */
async function fileSources(params: Ds2Params, form: MultipartForm | undefined): Promise<TaskSource[]> {
  const names = params.requiredStrings('file');
  const sources: TaskSource[] = [];
  for (const name of names) {
    const part = form?.files.get(name);
    if (!part) throw ds2ArgumentError('file', 'condition');
    const torrent = await parseTorrent(part.data);
    if (!torrent) throw new DsmApiError(TaskError.UploadFailed);
    sources.push(sourceFromTorrent(torrent, part.filename));
  }
  return sources;
}

/** list: offset, limit (-1 all), additional -> {offset, task, total} (key "task", numeric status). */
function list(call: ApiCall): object {
  const { station, user } = stationOf(call);
  const params = new Ds2Params(call.params);
  const offset = Math.max(0, params.int('offset', 0));
  const limit = params.int('limit', -1);
  const additional = readAdditional(params);
  const all = station.list(user);
  const page = limit < 0 ? all.slice(offset) : all.slice(offset, offset + limit);
  return { offset, task: page.map((task) => ds2Task(station, task, additional)), total: all.length };
}

/** get: id (array), additional -> {tasks} (key per plneto's model, next-apis-notes §1b); unknown ids 404. */
function get(call: ApiCall): object {
  const { station, user } = stationOf(call);
  const params = new Ds2Params(call.params);
  const additional = readAdditional(params);
  const tasks = params.requiredStrings('id').map((id) => {
    const task = station.find(user, id);
    if (!task) throw new DsmApiError(TaskError.NoSuchTask);
    return ds2Task(station, task, additional);
  });
  return { tasks };
}

function pause(call: ApiCall): FailedTasks {
  const { station } = stationOf(call);
  return eachTask(call, (task) => (station.pause(task) ? 0 : TaskError.InvalidAction));
}

function resume(call: ApiCall): FailedTasks {
  const { station } = stationOf(call);
  return eachTask(call, (task) => (station.resume(task) ? 0 : TaskError.InvalidAction));
}

/** delete: id, force_complete; files already in the destination stay. */
function remove(call: ApiCall): FailedTasks {
  const { station } = stationOf(call);
  new Ds2Params(call.params).bool('force_complete');
  return eachTask(call, (task) => {
    station.remove(task);
    return 0;
  });
}

function edit(call: ApiCall): FailedTasks {
  const params = new Ds2Params(call.params);
  const destination = checkDestination(call.sim.files, params.requiredString('destination'));
  return eachTask(call, (task) => {
    if (task.isDone || task.status === 'finishing') return TaskError.InvalidAction;
    task.destination = destination;
    return 0;
  });
}

/**
 * Version 2's bulk operations (mikespub docs/DownloadStation2.json; N4S4 clear_finished_tasks sends
 * `status=[5]`): every task whose type is (or with type_inverse=true is not) in `type` and whose numeric
 * status is in `status`.
 */
function onCondition(action: (call: ApiCall, task: DownloadTask) => void) {
  return (call: ApiCall): FailedTasks => {
    if (call.version < 2) throw new DsmApiError(CommonError.NoSuchMethod);
    const { station, user } = stationOf(call);
    const params = new Ds2Params(call.params);
    const types = params.strings('type');
    const inverse = params.bool('type_inverse') ?? false;
    const statuses = params.ints('status');
    for (const task of station.list(user)) {
      const typeMatches = types === undefined || types.includes(task.source.type) !== inverse;
      const statusMatches = statuses === undefined || statuses.includes(ds2StatusOf(task));
      if (typeMatches && statusMatches) action(call, task);
    }
    return { failed_task: [] };
  };
}

/** Runs an action on each id; the ids it failed for (404 unknown, 405 not possible) are in failed_task. */
function eachTask(call: ApiCall, action: (task: DownloadTask) => number): FailedTasks {
  const { station, user } = stationOf(call);
  const failed: FailedTasks['failed_task'] = [];
  for (const id of new Ds2Params(call.params).requiredStrings('id')) {
    const task = station.find(user, id);
    const error = task ? action(task) : TaskError.NoSuchTask;
    if (error !== 0) failed.push({ id, error });
  }
  return { failed_task: failed };
}

function readAdditional(params: Ds2Params): string[] {
  const wanted = params.additional();
  return ADDITIONAL_FIELDS.filter((name) => wanted.includes(name));
}

export const ds2TaskHandler: ApiHandler = {
  methods: {
    create,
    list,
    get,
    pause,
    resume,
    delete: remove,
    edit,
    pause_condition: onCondition((call, task) => call.sim.downloads.pause(task)),
    resume_condition: onCondition((call, task) => call.sim.downloads.resume(task)),
    delete_condition: onCondition((call, task) => call.sim.downloads.remove(task)),
  },
};
