import { CommonError, DsmApiError } from '../dsm-error';
import { viewerOf } from '../file-station/context';
import { pageOf, readDirection } from '../file-station/listing';
import type { FileTask } from '../file-station/tasks';
import type { ApiCall, ApiHandler } from './api-handler';

/** Copy/move, delete, compress and extract tasks of the session's account (guide, BackgroundTask list). */
function list(call: ApiCall): Record<string, unknown> {
  const { params } = call;
  const offset = params.int('offset', 0);
  const limit = params.int('limit', 0);
  const sortBy = params.text('sort_by') || 'crtime';
  if (sortBy !== 'crtime' && sortBy !== 'finished') throw new DsmApiError(CommonError.InvalidParameter);
  const direction = readDirection(params);
  const apis = params.list('api_filter');
  const tasks = backgroundTasks(call).filter((task) => !apis || apis.includes(task.spec.api));
  const key = (task: FileTask): number => (sortBy === 'crtime' ? task.crtime : Number(task.finished));
  tasks.sort((a, b) => direction * (key(a) - key(b)));
  return { offset, tasks: pageOf(tasks, offset, limit).map(taskObject), total: tasks.length };
}

/** Removes the given finished tasks, or every finished one without taskid; running ones stay. */
function clearFinished(call: ApiCall): undefined {
  const ids = call.params.list('taskid');
  for (const task of backgroundTasks(call)) {
    if (task.finished && (!ids || ids.includes(task.id))) call.sim.tasks.remove(task);
  }
  return undefined;
}

function backgroundTasks(call: ApiCall): FileTask[] {
  return call.sim.tasks.list(viewerOf(call).user).filter((task) => task.spec.background);
}

function taskObject(task: FileTask): Record<string, unknown> {
  const fields: Record<string, unknown> = {
    api: task.spec.api,
    crtime: task.crtime,
    finished: task.finished,
    method: 'start',
    params: task.spec.params,
    taskid: task.id,
    version: task.spec.version,
    ...task.spec.summary?.(task),
  };
  return Object.fromEntries(Object.entries(fields).sort(([a], [b]) => (a < b ? -1 : 1)));
}

export const fileStationBackgroundTaskHandler: ApiHandler = {
  methods: { list, clear_finished: clearFinished },
};
