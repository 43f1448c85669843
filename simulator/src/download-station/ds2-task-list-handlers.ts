import { randomBytes } from 'node:crypto';
import type { ApiCall, ApiHandler } from '../handlers/api-handler';
import { stationOf } from './call-context';
import { checkDestination } from './destination';
import { Ds2Params } from './ds2-params';
import { ds2ArgumentError } from './errors';
import type { ListDownload, PendingList } from './station';

/**
 * The file selection of a create with create_list=true (next-apis-notes §1b, N4S4 and khoazero): Task.List get
 * shows the files of a list_id, Task.List.Polling download creates the task with the chosen files and answers a
 * polling id whose download_status reports the created task ids.
 */

function get(call: ApiCall): object {
  const list = findList(call);
  const files = list.source.files ?? [{ path: list.source.title, size: list.source.size }];
  return {
    files: files.map((file, index) => ({ index, name: file.path, size: file.size })),
    size: list.source.size,
    title: list.source.title,
    type: list.source.type,
  };
}

function remove(call: ApiCall): undefined {
  const { station } = stationOf(call);
  station.lists.delete(findList(call).id);
  return undefined;
}

/** Task.List v1-2 download: the tasks at once -> {task_id: [...]}. */
function download(call: ApiCall): { task_id: string[] } {
  return { task_id: startDownload(call) };
}

/** Task.List.Polling download -> {task_id: "<user>/SYNODLTaskListDownload…"}, a handle for download_status. */
function pollingDownload(call: ApiCall): { task_id: string } {
  const { user } = stationOf(call);
  const taskIds = startDownload(call);
  const handle = `${user}/SYNODLTaskListDownload${randomBytes(6).toString('hex')}`;
  downloadsOf(call).set(handle, { owner: user, taskIds });
  return { task_id: handle };
}

/** download_status: task_id (the handle) -> {task_id: [created ids], finish: true}. */
function downloadStatus(call: ApiCall): { task_id: string[]; finish: boolean } {
  const found = findDownload(call);
  return { task_id: found.taskIds, finish: true };
}

function downloadStop(call: ApiCall): undefined {
  downloadsOf(call).delete(new Ds2Params(call.params).requiredString('task_id'));
  return undefined;
}

/** list_id, destination (required, "" = default), create_subfolder, file_indexes or selected (index arrays). */
function startDownload(call: ApiCall): string[] {
  const { station, user } = stationOf(call);
  const params = new Ds2Params(call.params);
  const list = findList(call);
  const destinationText = params.requiredString('destination');
  const destination = destinationText === '' ? undefined : checkDestination(call.sim.files, destinationText);
  const indexes = params.ints('file_indexes') ?? params.ints('selected');
  const fileCount = list.source.files?.length ?? 1;
  if (indexes?.some((index) => index < 0 || index >= fileCount))
    throw ds2ArgumentError('file_indexes', 'condition');
  const subfolder = params.bool('create_subfolder') ?? true;
  const wanted = indexes && list.source.files ? new Set(indexes) : undefined;
  const task = station.create(user, list.source, destination, '', { wanted, subfolder });
  station.lists.delete(list.id);
  return [task.id];
}

/** list_id as a JSON string or a one-item array; 120 when unknown. */
function findList(call: ApiCall): PendingList {
  const { station, user } = stationOf(call);
  const [id] = new Ds2Params(call.params).requiredStrings('list_id');
  const list = station.findList(user, id);
  if (!list) throw ds2ArgumentError('list_id', 'condition');
  return list;
}

function findDownload(call: ApiCall): ListDownload {
  const { user } = stationOf(call);
  const handle = new Ds2Params(call.params).requiredString('task_id');
  const found = downloadsOf(call).get(handle);
  if (!found || found.owner !== user) throw ds2ArgumentError('task_id', 'condition');
  return found;
}

function downloadsOf(call: ApiCall): Map<string, ListDownload> {
  return call.sim.downloads.listDownloads;
}

export const ds2TaskListHandler: ApiHandler = { methods: { get, delete: remove, download } };

export const ds2TaskListPollingHandler: ApiHandler = {
  methods: { download: pollingDownload, download_status: downloadStatus, download_stop: downloadStop },
};
