import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const DEFAULT_SHARES = ['home', 'photo', 'video', 'downloads'];

export interface DataDir {
  readonly path: string;
  /** Removes the directory if the simulator created it. */
  dispose(): Promise<void>;
}

/** The given directory (created if missing), or a fresh temp dir seeded with the default shares. */
export async function prepareDataDir(dataDir: string | undefined): Promise<DataDir> {
  if (dataDir !== undefined) {
    await mkdir(dataDir, { recursive: true });
    return { path: dataDir, dispose: async () => undefined };
  }
  const path = await mkdtemp(join(tmpdir(), 'synology-dsm-sim-'));
  for (const share of DEFAULT_SHARES) {
    await mkdir(join(path, share));
    await writeFile(
      join(path, share, 'README.txt'),
      `Shared folder "${share}" of the synology-dsm-sim demo NAS.\n`,
    );
  }
  return { path, dispose: () => rm(path, { recursive: true, force: true }) };
}
