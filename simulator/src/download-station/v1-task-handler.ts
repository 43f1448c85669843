import { CommonError, DsmApiError } from '../dsm-error';
import type { ApiCall, ApiHandler } from '../handlers/api-handler';
import { isMultipartRequest, readMultipartForm } from '../multipart-form';
import { stationOf } from './call-context';
import { checkDestination } from './destination';
import { TaskError } from './errors';
import { sourceFromUri, type TaskSource } from './sources';
import type { DownloadTask } from './task';
import { ADDITIONAL_FIELDS, v1Task } from './task-views';

interface TaskResult {
  id: string;
  error: number;
}

/** list: offset, limit (-1 all), additional (comma list) -> {total, offset, tasks}. */
function list(call: ApiCall): object {
  const { station, user } = stationOf(call);
  const offset = Math.max(0, call.params.int('offset', 0));
  const limit = call.params.int('limit', -1);
  const additional = readAdditional(call);
  const all = station.list(user);
  const page = limit < 0 ? all.slice(offset) : all.slice(offset, offset + limit);
  return { total: all.length, offset, tasks: page.map((task) => v1Task(station, task, additional)) };
}

/** getinfo: id (comma list), additional -> {tasks}; an unknown id answers 404. */
function getinfo(call: ApiCall): object {
  const { station, user } = stationOf(call);
  const additional = readAdditional(call);
  const tasks = call.params.requiredList('id').map((id) => {
    const task = station.find(user, id);
    if (!task) throw new DsmApiError(TaskError.NoSuchTask);
    return v1Task(station, task, additional);
  });
  return { tasks };
}

/**
 * create: uri (comma list; a comma inside a URL travels as %2C), destination (share-relative; the account's
 * default when absent: 406 without one), username, password, unzip_password. Answers without data (plneto
 * DownloadStationTaskEndpoint). A .torrent or .nzb file answers 101: Download Station 3.8.16 dropped file
 * creates from this API (nas-download-manager #177, sickchill #7056).
 */
async function create(call: ApiCall): Promise<undefined> {
  const { station, user } = stationOf(call);
  if (isMultipartRequest(call.http.req)) {
    await readMultipartForm(call.http.req);
    throw new DsmApiError(CommonError.MissingApiMethodOrVersion);
  }
  if (call.params.has('file')) throw new DsmApiError(CommonError.MissingApiMethodOrVersion);
  const uris = (call.params.string('uri') ?? '').split(',').filter((uri) => uri.trim() !== '');
  if (uris.length === 0) throw new DsmApiError(CommonError.MissingApiMethodOrVersion);
  const sources = uris.map((uri) => sourceFromUri(uri));
  if (sources.some((source) => source === undefined))
    throw new DsmApiError(CommonError.MissingApiMethodOrVersion);
  const destination = resolveDestination(call, user);
  for (const source of sources as TaskSource[]) {
    station.create(user, source, destination, call.params.string('unzip_password') ?? '');
  }
  return undefined;
}

function resolveDestination(call: ApiCall, user: string): string {
  const { station } = stationOf(call);
  const given = call.params.string('destination');
  if (given !== undefined && given !== '') return checkDestination(call.sim.files, given);
  const fallback = station.defaultDestination(user);
  if (fallback === undefined) throw new DsmApiError(TaskError.NoDefaultDestination);
  return checkDestination(call.sim.files, fallback);
}

/** delete: id, force_complete. Downloaded files stay; only the task goes. */
function remove(call: ApiCall): TaskResult[] {
  const { station } = stationOf(call);
  return eachTask(call, (task) => {
    station.remove(task);
    return 0;
  });
}

function pause(call: ApiCall): TaskResult[] {
  const { station } = stationOf(call);
  return eachTask(call, (task) => (station.pause(task) ? 0 : TaskError.InvalidAction));
}

function resume(call: ApiCall): TaskResult[] {
  const { station } = stationOf(call);
  return eachTask(call, (task) => (station.resume(task) ? 0 : TaskError.InvalidAction));
}

/** edit: id, destination; a task that is done keeps its destination (405). */
function edit(call: ApiCall): TaskResult[] {
  const destination = checkDestination(call.sim.files, call.params.requiredString('destination'));
  return eachTask(call, (task) => {
    if (task.isDone || task.status === 'finishing') return TaskError.InvalidAction;
    task.destination = destination;
    return 0;
  });
}

/** Runs an action on each id: `[{id, error}]`, error 0 when done, 404 for an unknown id. */
function eachTask(call: ApiCall, action: (task: DownloadTask) => number): TaskResult[] {
  const { station, user } = stationOf(call);
  return call.params.requiredList('id').map((id) => {
    const task = station.find(user, id);
    return { id, error: task ? action(task) : TaskError.NoSuchTask };
  });
}

function readAdditional(call: ApiCall): string[] {
  const wanted = call.params.list('additional') ?? [];
  return ADDITIONAL_FIELDS.filter((name) => wanted.includes(name));
}

export const v1TaskHandler: ApiHandler = {
  methods: { list, getinfo, create, delete: remove, pause, resume, edit },
};
