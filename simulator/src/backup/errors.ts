/**
 * Hyper Backup refuses actions a task is not in the state for with a 44xx code (N4S4/synology-api
 * core_backup docs: "usually 44xx"); which one is not documented, so the simulator uses 4400 for all.
 */
export const BackupError = { NotRunnable: 4400 } as const;
