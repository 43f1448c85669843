import { DEFAULT_TLS_CERT, DEFAULT_TLS_KEY } from './default-tls';

export type SimulatorProfileName = 'dsm7' | 'dsm6';

/**
 * Which Download Station APIs an installed Download Station offers. `both`: v1 and DownloadStation2, as every
 * captured DSM (6.2.2, 7.0, 7.2.2). `ds2-only`: no v1 API (Task, Info, Statistic). `v1-only`: no DownloadStation2
 * API. `ds2-task-v1`: both, but SYNO.DownloadStation2.Task only up to version 1, as some DSMs advertise it
 * (wire-notes.md, DS2 Task: "use DS2 only when maxVersion >= 2").
 */
export type DownloadStationApis = 'both' | 'ds2-only' | 'v1-only' | 'ds2-task-v1';
export const DOWNLOAD_STATION_API_SETS: readonly DownloadStationApis[] = [
  'both',
  'ds2-only',
  'v1-only',
  'ds2-task-v1',
];

export interface SimulatorUser {
  username: string;
  password: string;
  /** Base32 TOTP secret: the account then needs a one-time code (or a remembered device id) to log in. */
  totpSecret?: string;
  /**
   * Download Station's default destination of the account, share-relative (`downloads`, `video/dl`).
   * Without one, v1 creates without a destination answer 406, as on a NAS where the user never set it.
   */
  downloadDestination?: string;
}

export interface SimulatorTlsMaterial {
  key: string | Buffer;
  cert: string | Buffer;
}

export interface SimulatorOptions {
  /** TCP port; 0 (the default) picks a free one. */
  port?: number;
  host?: string;
  profile?: SimulatorProfileName;
  /** A directory whose subfolders are the shared folders. Default: a fresh temp dir, removed on close. */
  dataDir?: string;
  users?: SimulatorUser[];
  /** true: https with the built-in localhost certificate (signed by test/fixtures/tls/ca.pem). */
  tls?: boolean | SimulatorTlsMaterial;
  sessionTimeoutMs?: number;
  blockAfterFailures?: number;
  blockWindowMs?: number;
  blockDurationMs?: number;
  hostname?: string;
  /**
   * Shared folders the demo user may read but not write: every File Station write there fails with 411
   * ("Read-only file system") and list_share reports them with share_right "RO".
   */
  readOnlyShares?: string[];
  /** How long (real time) File Station background tasks take, reporting progress meanwhile. Default 1500. */
  taskDurationMs?: number;
  /**
   * Let other hosts use the /sim/ control surface (end sessions, inject faults, read TOTP codes). Default
   * false: it answers 403 to anything but loopback clients. The DSM API under /webapi/ is open either way.
   */
  allowRemoteControl?: boolean;
  /** false: Download Station is not installed (its APIs are missing from SYNO.API.Info). Default true. */
  downloadStation?: boolean;
  /** Which Download Station APIs it offers (see DownloadStationApis). Default 'both'. */
  downloadStationApis?: DownloadStationApis;
  /** How long (simulator clock) a Download Station task downloads, between waiting and finishing. Default 10000. */
  downloadDurationMs?: number;
  /** false: Cloud Sync is not installed (its API is missing from SYNO.API.Info), as on most NASes. Default true. */
  cloudSync?: boolean;
  /**
   * false: Cloud Sync starts without connections. Default true: one Dropbox connection of the first account
   * syncing the shared folder /home, as a NAS with Cloud Sync typically has.
   */
  cloudSyncDemoConnection?: boolean;
  /**
   * Whether Hyper Backup is installed (SYNO.Backup.Task in API.Info). Default: true on dsm7, false on dsm6, whose
   * API.Info capture has no Hyper Backup.
   */
  hyperBackup?: boolean;
  /** How long (simulator clock) a Hyper Backup run takes. Default 600000 (10 minutes). */
  backupDurationMs?: number;
  /** How many /webapi requests the request log keeps (the newest). Default 200. */
  requestLogSize?: number;
}

export interface ResolvedOptions {
  port: number;
  host: string;
  profile: SimulatorProfileName;
  dataDir: string | undefined;
  users: SimulatorUser[];
  tls: SimulatorTlsMaterial | undefined;
  sessionTimeoutMs: number;
  blockAfterFailures: number;
  blockWindowMs: number;
  blockDurationMs: number;
  hostname: string;
  readOnlyShares: readonly string[];
  taskDurationMs: number;
  allowRemoteControl: boolean;
  downloadStation: boolean;
  downloadStationApis: DownloadStationApis;
  downloadDurationMs: number;
  cloudSync: boolean;
  cloudSyncDemoConnection: boolean;
  hyperBackup: boolean;
  backupDurationMs: number;
  requestLogSize: number;
}

export const DEFAULT_USERS: readonly Readonly<SimulatorUser>[] = Object.freeze([
  Object.freeze({ username: 'demo', password: 'synology', downloadDestination: 'downloads' }),
  Object.freeze({
    username: 'otp-user',
    password: 'otp-pass',
    totpSecret: 'JBSWY3DPEHPK3PXP',
    downloadDestination: 'downloads',
  }),
]);

const MINUTE_MS = 60_000;

export function resolveOptions(options: SimulatorOptions): ResolvedOptions {
  const profile = options.profile ?? 'dsm7';
  if (profile !== 'dsm7' && profile !== 'dsm6') {
    throw new RangeError(`Unknown simulator profile "${String(profile)}" (use dsm7 or dsm6)`);
  }
  return {
    port: options.port ?? 0,
    host: options.host ?? '127.0.0.1',
    profile,
    dataDir: options.dataDir,
    users: (options.users ?? DEFAULT_USERS).map((user) => ({ ...user })),
    tls: resolveTls(options.tls),
    sessionTimeoutMs: options.sessionTimeoutMs ?? 15 * MINUTE_MS,
    blockAfterFailures: options.blockAfterFailures ?? 10,
    blockWindowMs: options.blockWindowMs ?? 5 * MINUTE_MS,
    blockDurationMs: options.blockDurationMs ?? 30 * MINUTE_MS,
    hostname: options.hostname ?? 'synosim',
    readOnlyShares: [...(options.readOnlyShares ?? [])],
    taskDurationMs: resolveDuration('taskDurationMs', options.taskDurationMs, 1500),
    allowRemoteControl: options.allowRemoteControl === true,
    downloadStation: options.downloadStation ?? true,
    downloadStationApis: checkDownloadStationApis(options.downloadStationApis ?? 'both'),
    downloadDurationMs: resolveDuration('downloadDurationMs', options.downloadDurationMs, 10_000),
    cloudSync: options.cloudSync ?? true,
    cloudSyncDemoConnection: options.cloudSyncDemoConnection ?? true,
    hyperBackup: options.hyperBackup ?? profile === 'dsm7',
    backupDurationMs: resolveDuration('backupDurationMs', options.backupDurationMs, 10 * MINUTE_MS),
    requestLogSize: resolveRequestLogSize(options.requestLogSize),
  };
}

/** The value if it is a DownloadStationApis; a RangeError naming the choices otherwise. */
export function checkDownloadStationApis(value: unknown, name = 'downloadStationApis'): DownloadStationApis {
  if ((DOWNLOAD_STATION_API_SETS as readonly unknown[]).includes(value)) return value as DownloadStationApis;
  throw new RangeError(
    `${name} must be one of ${DOWNLOAD_STATION_API_SETS.join(', ')}, not ${JSON.stringify(value)}`,
  );
}

function resolveDuration(name: string, ms: number | undefined, fallback: number): number {
  if (ms === undefined) return fallback;
  if (!Number.isFinite(ms) || ms < 0) throw new RangeError(`${name} must be a finite number >= 0`);
  return ms;
}

function resolveRequestLogSize(size: number | undefined): number {
  if (size === undefined) return 200;
  if (!Number.isInteger(size) || size < 1) throw new RangeError('requestLogSize must be an integer >= 1');
  return size;
}

function resolveTls(tls: SimulatorOptions['tls']): SimulatorTlsMaterial | undefined {
  if (tls === true) return { key: DEFAULT_TLS_KEY, cert: DEFAULT_TLS_CERT };
  return tls || undefined;
}
