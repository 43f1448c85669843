import type { WatchSource } from '../source';
import { backgroundTasks } from './background-tasks';
import { hyperBackup } from './backup';
import { cloudSyncConnections } from './cloud-sync';
import { downloadTasks } from './download-tasks';
import { nasHealth } from './health';

/** Every source the watch node offers, in the editor's order. A new source is a file plus a line here. */
export const SOURCES: readonly WatchSource[] = [
  downloadTasks as WatchSource,
  cloudSyncConnections as WatchSource,
  backgroundTasks as WatchSource,
  nasHealth as WatchSource,
  hyperBackup as WatchSource,
];

export function sourceNamed(name: string): WatchSource | undefined {
  return SOURCES.find((source) => source.name === name);
}
