import { Accounts } from './accounts';
import { HyperBackup } from './backup/hyper-backup';
import { SimulatorClock } from './clock';
import { CloudSync } from './cloud-sync/cloud-sync';
import { Counters } from './counters';
import { servedDownloadStationEntry } from './download-station/api-entries';
import { DownloadStation } from './download-station/station';
import { FaultQueue } from './faults';
import { FileSpace } from './file-station/dsm-path';
import { ListingCache } from './file-station/listing-cache';
import { Favorites } from './file-station/favorites';
import { SharingLinks } from './file-station/sharing-links';
import { TaskRegistry } from './file-station/tasks';
import { LoginGuard } from './login-guard';
import type { ResolvedOptions } from './options';
import type { ApiEntry, SimulatorProfile } from './profiles';
import { RequestLog } from './request-log';
import { SessionStore } from './sessions';
import { Nas } from './system/nas';

/** Everything a running simulator knows; handlers and the control surface share it. */
export class SimulatorState {
  readonly clock = new SimulatorClock();
  readonly startedAt = this.clock.now();
  readonly counters = new Counters();
  readonly faults = new FaultQueue();
  readonly requestLog: RequestLog;
  readonly sessions: SessionStore;
  readonly accounts: Accounts;
  readonly loginGuard: LoginGuard;
  /** File Station: the shared folders, its background tasks and sharing links. */
  readonly files: FileSpace;
  readonly tasks: TaskRegistry;
  readonly sharingLinks = new SharingLinks();
  readonly favorites = new Favorites();
  /** Sorted folder listings, so paging through a big folder reads it once (List.list). */
  readonly listings = new ListingCache();
  /** Download Station: its tasks, default destinations, whether it is installed and which APIs it offers. */
  readonly downloads: DownloadStation;
  /** Cloud Sync: its connections, their logs and whether it is installed. */
  readonly cloudSync: CloudSync;
  /** The hardware: disk and volume health, temperatures, power (reboot, hibernation), offered DSM update. */
  readonly nas: Nas;
  /** Hyper Backup: its tasks and whether it is installed. */
  readonly backups: HyperBackup;

  constructor(
    readonly options: ResolvedOptions,
    readonly profile: SimulatorProfile,
    readonly dataDir: string,
  ) {
    this.requestLog = new RequestLog(options.requestLogSize);
    this.sessions = new SessionStore(this.clock, options.sessionTimeoutMs);
    this.accounts = new Accounts(options.users);
    this.loginGuard = new LoginGuard(this.clock, options);
    this.files = new FileSpace(dataDir, options.readOnlyShares);
    this.tasks = new TaskRegistry(options.taskDurationMs, () => this.clock.now());
    this.downloads = new DownloadStation(options, this.clock, this.files);
    this.cloudSync = new CloudSync(options.cloudSync, this.clock, this.files);
    const [firstUser] = options.users;
    if (options.cloudSyncDemoConnection && firstUser) {
      this.cloudSync.add({
        owner: firstUser.username,
        localPath: '/home',
        cloudUserName: firstUser.username,
      });
    }
    this.nas = new Nas(profile.name, this.clock);
    this.backups = new HyperBackup(options.hyperBackup, this.clock, options.backupDurationMs);
  }

  /**
   * The entry as this NAS serves it now: undefined when its package is not installed or lacks it (then it is not
   * in API.Info and answers 102), else with the versions it advertises.
   */
  served(entry: ApiEntry): ApiEntry | undefined {
    if (entry.package === 'CloudSync') return this.cloudSync.installed ? entry : undefined;
    if (entry.package === 'HyperBackup') return this.backups.installed ? entry : undefined;
    if (entry.package !== 'DownloadStation') return entry;
    return this.downloads.installed ? servedDownloadStationEntry(entry, this.downloads.apis) : undefined;
  }
}
