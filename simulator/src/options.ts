import { DEFAULT_TLS_CERT, DEFAULT_TLS_KEY } from './default-tls';

export type SimulatorProfileName = 'dsm7' | 'dsm6';

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
  /** How long (simulator clock) a Download Station task downloads, between waiting and finishing. Default 10000. */
  downloadDurationMs?: number;
  /**
   * Whether Hyper Backup is installed (SYNO.Backup.Task in API.Info). Default: true on dsm7, false on dsm6, whose
   * API.Info capture has no Hyper Backup.
   */
  hyperBackup?: boolean;
  /** How long (simulator clock) a Hyper Backup run takes. Default 600000 (10 minutes). */
  backupDurationMs?: number;
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
  downloadDurationMs: number;
  hyperBackup: boolean;
  backupDurationMs: number;
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
    downloadDurationMs: resolveDuration('downloadDurationMs', options.downloadDurationMs, 10_000),
    hyperBackup: options.hyperBackup ?? profile === 'dsm7',
    backupDurationMs: resolveDuration('backupDurationMs', options.backupDurationMs, 10 * MINUTE_MS),
  };
}

function resolveDuration(name: string, ms: number | undefined, fallback: number): number {
  if (ms === undefined) return fallback;
  if (!Number.isFinite(ms) || ms < 0) throw new RangeError(`${name} must be a finite number >= 0`);
  return ms;
}

function resolveTls(tls: SimulatorOptions['tls']): SimulatorTlsMaterial | undefined {
  if (tls === true) return { key: DEFAULT_TLS_KEY, cert: DEFAULT_TLS_CERT };
  return tls || undefined;
}
