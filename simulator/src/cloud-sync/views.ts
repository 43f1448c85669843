import type { CloudSync } from './cloud-sync';
import type { CloudConnection, CloudSession, LogEntry } from './connection';
import { SYNC_PASS_MS } from './cloud-sync';

/**
 * list_conn's conn item, keys as mikespub's list_conn schema; error, error_desc and error_type only on a
 * failing connection (optional there, absent from N4S4's healthy examples). cloud_status has no sourced value.
 */
export function connectionView(connection: CloudConnection): Record<string, unknown> {
  const view: Record<string, unknown> = {
    cloud_status: 1,
    id: connection.id,
    link_status: 1,
    resource: '',
    status: connection.status,
    task_display_name: connection.settings.task_name,
    task_name: connection.settings.task_name,
    type: connection.type,
    type_id: connection.typeId,
    unfinished_files: connection.unfinishedFiles,
    user_id: connection.cloudUserId,
    user_name: connection.cloudUserName,
  };
  if (connection.failure) {
    view.error = connection.failure.error;
    view.error_desc = connection.failure.errorDesc;
    view.error_type = connection.failure.errorType;
  }
  return view;
}

/** list_sess's sess item (mikespub's list_sess schema); a failing connection's error shows on its sessions. */
export function sessionView(connection: CloudConnection, session: CloudSession): Record<string, unknown> {
  return {
    cloud_type_str: connection.type,
    conn_id: connection.id,
    error: connection.failure?.error ?? 0,
    error_desc: connection.failure?.errorDesc ?? '',
    link_status: 1,
    local_sync_path: session.localPath,
    remote_folder_id: session.remoteFolderId,
    remote_sync_path: session.remotePath,
    sess_id: session.id,
    sync_direction: session.syncDirection,
    sync_status: connection.status,
  };
}

/** list_conn's `notification`: null before any pass wrote an entry (N4S4's example), else the latest pass. */
export function notificationView(connections: CloudConnection[]): Record<string, unknown> | null {
  let latest: LogEntry[] | undefined;
  for (const connection of connections) {
    const entries = connection.lastPassEntries;
    if (entries.length === 0) continue;
    if (!latest || entries[entries.length - 1].time > latest[latest.length - 1].time) latest = entries;
  }
  if (!latest) return null;
  const last = latest[latest.length - 1];
  return {
    file_count: latest.length,
    latest_file_info: { action: last.action, log_level: last.log_level, name: last.file_name },
  };
}

/** get_recently_change (mikespub schema; processing_items as N4S4's example). */
export function recentChangesView(cloudSync: CloudSync): Record<string, unknown> {
  const connections = cloudSync.list();
  const sessions = new Map(connections.flatMap((c) => c.sessions.map((s) => [s.id, s] as const)));
  const history = cloudSync.latestEntries(5).map((entry) => ({
    action: entry.action,
    base_name: entry.file_name,
    log_level: entry.log_level,
    path: entry.path,
    session_id: entry.session_id,
    syncfolder_basename: sessions.get(entry.session_id)?.folderName ?? '',
  }));
  const now = cloudSync.now();
  const processing = connections
    .filter((connection) => connection.syncingSince !== undefined && !connection.failure)
    .flatMap((connection) => {
      const share = Math.min(1, (now - (connection.syncingSince ?? now)) / SYNC_PASS_MS);
      return connection.sessions.flatMap((session) =>
        session.pending
          .filter((change) => !change.removed)
          .map((change) => ({
            base_name: change.file.name,
            bit_rate: Math.round(change.file.size / (SYNC_PASS_MS / 1000)),
            current_size: Math.floor(change.file.size * share),
            path: change.file.path,
            session_id: session.id,
            status: 'uploading',
            total_size: change.file.size,
            user_name: connection.owner,
          })),
      );
    });
  return {
    history_items: history,
    is_admin_mode: true,
    processing_items: processing,
    server_merge_items: [],
  };
}
