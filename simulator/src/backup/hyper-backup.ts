import type { SimulatorClock } from '../clock';
import { BackupTask, type BackupTaskSpec } from './backup-task';

/** The one task a fresh simulator has: a nightly local backup at 03:00 (simulator clock, UTC). */
const DEFAULT_TASKS: readonly BackupTaskSpec[] = [
  {
    taskId: 1,
    name: 'Nightly backup',
    repoId: 1,
    targetId: 'synosim_1.hbk',
    targetType: 'image',
    transferType: 'image_local',
    dataEnc: false,
    hour: 3,
    min: 0,
    scheduleEnabled: true,
  },
];

/** Hyper Backup: whether it is installed and its tasks, moved on lazily to the simulator clock when read. */
export class HyperBackup {
  installed: boolean;
  private readonly tasks: BackupTask[];

  constructor(
    installed: boolean,
    private readonly clock: SimulatorClock,
    durationMs: number,
  ) {
    this.installed = installed;
    this.tasks = DEFAULT_TASKS.map((spec) => new BackupTask(spec, clock.now(), durationMs));
  }

  list(): BackupTask[] {
    const now = this.clock.now();
    for (const task of this.tasks) task.advance(now);
    return [...this.tasks];
  }

  find(taskId: number): BackupTask | undefined {
    return this.list().find((task) => task.spec.taskId === taskId);
  }

  now(): number {
    return this.clock.now();
  }
}
