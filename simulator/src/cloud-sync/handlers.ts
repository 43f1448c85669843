import { statfs } from 'node:fs/promises';
import { CommonError, DsmApiError } from '../dsm-error';
import type { ApiCall, ApiHandler } from '../handlers/api-handler';
import { LOG_COUNT } from './cloud-sync';
import type { CloudConnection, CloudSession, LogEntry, SelectiveSyncConfig } from './connection';
import { CloudSyncParams, cloudSyncArgumentError } from './params';
import { connectionView, notificationView, recentChangesView, sessionView } from './views';

/** 120 naming the id, for a connection or session that does not exist (no capture shows DSM's answer). */
function unknownId(name: string): DsmApiError {
  return new DsmApiError(CommonError.InvalidParameter, { name, reason: 'condition' });
}

function paramsOf(call: ApiCall): CloudSyncParams {
  return new CloudSyncParams(call.params);
}

function connectionOf(call: ApiCall): CloudConnection {
  const id = paramsOf(call).requiredInt('connection_id');
  const connection = call.sim.cloudSync.find(id);
  if (!connection) throw unknownId('connection_id');
  return connection;
}

function sessionOf(call: ApiCall): CloudSession {
  const id = paramsOf(call).requiredInt('session_id');
  const session = call.sim.cloudSync.findSession(id);
  if (!session) throw unknownId('session_id');
  return session;
}

/** list_conn `is_tray`, `group_by` (group_by_user | group_by_cloud_type) as N4S4 sends them. */
function listConnections(call: ApiCall): Record<string, unknown> {
  const params = paramsOf(call);
  params.bool('is_tray', false);
  const groupBy = params.string('group_by', 'group_by_user');
  const connections = call.sim.cloudSync.list();
  const key = (connection: CloudConnection): string =>
    groupBy === 'group_by_cloud_type' ? connection.type : connection.cloudUserName;
  const ordered = [...connections].sort((a, b) => key(a).localeCompare(key(b)) || a.id - b.id);
  return {
    conn: ordered.map(connectionView),
    is_admin_mode: true,
    is_pause: call.sim.cloudSync.allPaused,
    notification: notificationView(connections),
    total: ordered.length,
    tray_status: connections.some((connection) => connection.status === 'syncing') ? 'syncing' : 'uptodate',
  };
}

function listSessions(call: ApiCall): Record<string, unknown> {
  const connection = connectionOf(call);
  const sess = connection.sessions.map((session) => sessionView(connection, session));
  return { sess, total: sess.length };
}

/**
 * get_log (N4S4 get_connection_logs): keyword, date_from/date_to (epoch s, 0 = open), log_level and action
 * (-1 = all), offset, limit (200). Newest first, as N4S4's example; total counts the filtered entries.
 */
function getLog(call: ApiCall): { items: LogEntry[]; total: number } {
  const connection = connectionOf(call);
  const params = paramsOf(call);
  const keyword = params.string('keyword', '').toLowerCase();
  const dateFrom = params.int('date_from', 0);
  const dateTo = params.int('date_to', 0);
  const level = params.int('log_level', -1);
  const action = params.int('action', -1);
  const offset = Math.max(0, params.int('offset', 0));
  const limit = params.int('limit', 200);
  const matching = connection.log
    .filter(
      (entry) =>
        (keyword === '' || entry.file_name.toLowerCase().includes(keyword)) &&
        (dateFrom <= 0 || entry.time >= dateFrom) &&
        (dateTo <= 0 || entry.time <= dateTo) &&
        (level < 0 || entry.log_level === level) &&
        (action < 0 || entry.action === action),
    )
    .reverse();
  const page = limit < 0 ? matching.slice(offset) : matching.slice(offset, offset + limit);
  return { items: page.map((entry) => ({ ...entry })), total: matching.length };
}

/** pause / resume: `connection_id` absent (or -1, N4S4's "all") acts on every connection. */
function pauseOrResume(pause: boolean) {
  return (call: ApiCall): undefined => {
    const cloudSync = call.sim.cloudSync;
    const id = paramsOf(call).int('connection_id', -1);
    let targets: CloudConnection[];
    if (id === -1) {
      targets = cloudSync.list();
    } else {
      const connection = cloudSync.find(id);
      if (!connection) throw unknownId('connection_id');
      targets = [connection];
    }
    for (const connection of targets) {
      if (pause) cloudSync.pause(connection);
      else cloudSync.resume(connection);
    }
    return undefined;
  };
}

/** get_property: the cloud side (mikespub schema); quota_used counts what the connection uploaded. */
function getProperty(call: ApiCall): Record<string, unknown> {
  const connection = connectionOf(call);
  const used = connection.sessions
    .flatMap((session) => [...session.synced.values()])
    .reduce((sum, file) => sum + file.size, 0);
  return {
    auth_version: '',
    bucket_name: '',
    container_name: '',
    project_id: '',
    public_url: '',
    quota_total: 2_147_483_648,
    quota_used: used,
    region: '',
    server_addr: '',
    shared_drive_name: '',
    storage_class: '',
    type: connection.type,
    type_id: connection.typeId,
    user_name: connection.cloudUserName,
  };
}

/**
 * set_schedule_setting (N4S4 set_connection_schedule): `is_enabled_schedule`, `schedule_info` = 7 x 24 chars
 * of 0/1, Sunday first (N4S4 sends it JSON-quoted). Stored and reported; passes do not follow it.
 */
function setScheduleSetting(call: ApiCall): undefined {
  const connection = connectionOf(call);
  const params = paramsOf(call);
  const enabled = params.requiredBool('is_enabled_schedule');
  const info = params.string('schedule_info', connection.settings.schedule_info);
  if (!/^[01]{168}$/.test(info)) throw cloudSyncArgumentError('schedule_info', 'type');
  connection.settings.is_enabled_schedule = enabled;
  connection.settings.schedule_info = info;
  return undefined;
}

/** get_config (N4S4 get_pkg_config's example), the one volume sized as the data folder's file system. */
async function getConfig(call: ApiCall): Promise<Record<string, unknown>> {
  const fs = await statfs(call.sim.dataDir);
  const free = fs.bavail * fs.bsize;
  const total = fs.blocks * fs.bsize;
  return {
    admin_mode: 'enable',
    log_count: LOG_COUNT,
    repo_vol_path: '/volume1',
    sync_mode: false,
    volume_count: 1,
    volume_list: [
      {
        desc: '',
        display: `Volume 1 (Available capacity: ${(free / 1024 ** 3).toFixed(2)} GB )`,
        mount_point: '/volume1',
        size_free: String(free),
        size_total: String(total),
        value: '1',
        vol_desc: '',
      },
    ],
    worker_count: 20,
  };
}

const FILTER_LISTS = [
  'filtered_paths',
  'filtered_names',
  'filtered_extensions',
  'user_defined_names',
  'user_defined_extensions',
] as const;

/** set_selective_sync_config (N4S4 set_task_filters): the lists must be JSON arrays, else 120. */
function setSelectiveSyncConfig(call: ApiCall): undefined {
  const session = sessionOf(call);
  const params = paramsOf(call);
  const next: SelectiveSyncConfig = { ...session.filters };
  for (const name of FILTER_LISTS) next[name] = params.strings(name) ?? session.filters[name];
  next.filtered_max_upload_size = params.int(
    'filtered_max_upload_size',
    session.filters.filtered_max_upload_size,
  );
  session.filters = next;
  return undefined;
}

/**
 * SYNO.CloudSync v1 (entry.cgi, requestFormat JSON): the methods of issue 9 plus the selective sync pair. Names
 * and parameters as N4S4's cloud_sync.py sends them (next-apis-notes.md §2); answers as mikespub's schemas.
 */
export const cloudSyncHandler: ApiHandler = {
  methods: {
    list_conn: listConnections,
    list_sess: listSessions,
    get_log: getLog,
    pause: pauseOrResume(true),
    resume: pauseOrResume(false),
    get_recently_change: (call) => recentChangesView(call.sim.cloudSync),
    get_connection_setting: (call) => ({ ...connectionOf(call).settings }),
    get_property: getProperty,
    set_schedule_setting: setScheduleSetting,
    get_config: getConfig,
    get_selective_sync_config: (call) => structuredClone(sessionOf(call).filters),
    set_selective_sync_config: setSelectiveSyncConfig,
  },
};

export const CLOUD_SYNC_HANDLERS: readonly (readonly [string, ApiHandler])[] = [
  ['SYNO.CloudSync', cloudSyncHandler],
];
