/** One line of a profile's API table: what SYNO.API.Info advertises, plus the quirks of serving it. */
export interface ApiEntry {
  readonly api: string;
  readonly path: string;
  readonly minVersion: number;
  readonly maxVersion: number;
  readonly requestFormat?: 'JSON';
  /** CGI paths that answer this API although SYNO.API.Info does not advertise them. */
  readonly alsoServedAt?: readonly string[];
  /** Versions inside [minVersion, maxVersion] that nevertheless answer 103. */
  readonly versionsWithoutMethods?: readonly number[];
  /** The DSM package that brings the API: while it is not installed, the API is missing (API.Info, 102). */
  readonly package?: 'DownloadStation' | 'CloudSync' | 'HyperBackup';
}

export interface SimulatorProfile {
  readonly name: 'dsm7' | 'dsm6';
  readonly model: string;
  readonly build: string;
  readonly versionString: string;
  readonly apis: readonly ApiEntry[];
  /** Whether File Station uploads may come without Content-Length (Transfer-Encoding: chunked). */
  readonly chunkedUploads: boolean;
}

/** The entry as SYNO.API.Info answers it, keys in DSM's order. */
export function advertisedEntry(entry: ApiEntry): Record<string, string | number> {
  const advertised: Record<string, string | number> = {
    maxVersion: entry.maxVersion,
    minVersion: entry.minVersion,
    path: entry.path,
  };
  if (entry.requestFormat) advertised.requestFormat = entry.requestFormat;
  return advertised;
}
