import { createHash } from 'node:crypto';
import { open } from 'node:fs/promises';
import { viewerOf } from '../file-station/context';
import { FileError, FileFailure, toDsmError } from '../file-station/errors';
import type { ApiCall, ApiHandler } from './api-handler';
import { stopTask, taskStatus } from './file-station-task-methods';

const API = 'SYNO.FileStation.MD5';
const CHUNK_BYTES = 1024 * 1024;

/** The file must exist (408) and be a file (400) when the task starts; md5 is answered once finished. */
async function start(call: ApiCall): Promise<{ taskid: string }> {
  const { params, sim } = call;
  const filePath = params.requiredText('file_path');
  let record;
  try {
    record = await sim.files.find(filePath);
    if (record.stats.isDirectory()) throw new FileFailure(FileError.InvalidParameter, filePath);
  } catch (error) {
    throw toDsmError(error, undefined, filePath);
  }
  const { fsPath } = record.location;
  const chunks = Math.max(1, Math.ceil(record.stats.size / CHUNK_BYTES));
  const hash = createHash('md5');
  let md5: string | undefined;
  const task = sim.tasks.start(
    {
      api: API,
      version: call.version,
      owner: viewerOf(call).user,
      params: { file_path: filePath },
      background: false,
      // md5 is set a moment before the task counts as finished: show it only together with finished.
      status: (self) =>
        self.finished && md5 !== undefined ? { finished: true, md5 } : { finished: self.finished },
    },
    async (pacer) => {
      const handle = await open(fsPath, 'r');
      try {
        const buffer = Buffer.alloc(CHUNK_BYTES);
        const completed = await pacer.each(Array.from({ length: chunks }), async () => {
          const { bytesRead } = await handle.read(buffer, 0, CHUNK_BYTES, null);
          hash.update(buffer.subarray(0, bytesRead));
        });
        if (completed) md5 = hash.digest('hex');
      } finally {
        await handle.close();
      }
    },
  );
  return { taskid: task.id };
}

export const fileStationMd5Handler: ApiHandler = {
  methods: { start, status: (call) => taskStatus(call, API), stop: (call) => stopTask(call, API) },
};
