import { viewerOf } from '../file-station/context';
import type { ApiCall } from './api-handler';

/** `status` of a non-blocking API: the task's status, or the error it failed with. 599 for unknown ids. */
export function taskStatus(call: ApiCall, api: string): Record<string, unknown> {
  const task = call.sim.tasks.find(call.params.requiredText('taskid'), api, viewerOf(call).user);
  if (task.failure) throw task.failure;
  return task.spec.status(task);
}

/**
 * `stop`: answers once the work has stopped, so nothing changes on disk afterwards. The task stays
 * queryable (finished) until it is cleaned.
 */
export async function stopTask(call: ApiCall, api: string): Promise<undefined> {
  const owner = viewerOf(call).user;
  const tasks = call.params.requiredList('taskid').map((id) => call.sim.tasks.find(id, api, owner));
  for (const task of tasks) await task.stop();
  return undefined;
}
