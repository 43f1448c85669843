import { viewerOf } from '../file-station/context';
import type { FileRecord } from '../file-station/dsm-path';
import { toDsmError } from '../file-station/errors';
import { walkTree } from '../file-station/tree';
import type { ApiCall, ApiHandler } from './api-handler';
import { stopTask, taskStatus } from './file-station-task-methods';

const API = 'SYNO.FileStation.DirSize';

/**
 * Paths must exist when the task starts (408). The given folders themselves are not counted in num_dir,
 * their contents are; given files count in num_file.
 */
async function start(call: ApiCall): Promise<{ taskid: string }> {
  const { params, sim } = call;
  const paths = params.requiredList('path');
  const roots: FileRecord[] = [];
  for (const path of paths) {
    try {
      roots.push(await sim.files.find(path));
    } catch (error) {
      throw toDsmError(error, undefined, path);
    }
  }
  const counts = { num_dir: 0, num_file: 0, total_size: 0 };
  const task = sim.tasks.start(
    {
      api: API,
      version: call.version,
      owner: viewerOf(call).user,
      params: { path: paths },
      background: false,
      status: (self) => ({ finished: self.finished, ...counts }),
    },
    async (pacer) => {
      const entries: FileRecord[] = [];
      for (const root of roots) {
        const tree = await walkTree(sim.files, root);
        entries.push(...(root.stats.isDirectory() ? tree.slice(1) : tree));
      }
      await pacer.each(entries, async ({ stats }) => {
        if (stats.isDirectory()) counts.num_dir += 1;
        else {
          counts.num_file += 1;
          counts.total_size += stats.size;
        }
      });
    },
  );
  return { taskid: task.id };
}

export const fileStationDirSizeHandler: ApiHandler = {
  methods: { start, status: (call) => taskStatus(call, API), stop: (call) => stopTask(call, API) },
};
