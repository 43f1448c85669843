import {
  CloudSync,
  DownloadStation,
  DsmError,
  FileStation,
  checkDsmPath,
  inputError,
  type DsmClient,
} from '../../dsm';
import { KNOWN_METHODS } from './api-methods';

/** Entries a folder listing sends at most: a picker, not a file manager. */
export const BROWSE_LIMIT = 500;

export interface BrowseEntry {
  name: string;
  path: string;
  isdir: boolean;
}

export interface BrowseResult {
  /** The folder listed; `/` for the shared folders. */
  path: string;
  /** The folder above, absent at `/`. */
  parent?: string;
  entries: BrowseEntry[];
  /** More entries exist than were sent. */
  truncated: boolean;
}

/**
 * The folders (and with `files` the files) in one NAS folder, names only; `/` or nothing lists the shared folders.
 * A bad path is an input error naming `path`.
 */
export async function browse(client: DsmClient, path: unknown, files: boolean): Promise<BrowseResult> {
  if (path !== undefined && typeof path !== 'string') {
    throw inputError('path', 'must be one folder path', 'Give it once, e.g. ?path=/home.');
  }
  const text = (path ?? '').trim();
  const atRoot = text === '' || text === '/';
  const folder = atRoot ? '/' : checkDsmPath('path', text.replace(/\/+$/, ''));
  const fileStation = new FileStation(client);
  const listed = atRoot
    ? await fileStation.listShares({ limit: BROWSE_LIMIT + 1, additional: [] })
    : await fileStation.list(folder, {
        limit: BROWSE_LIMIT + 1,
        filetype: files ? 'all' : 'dir',
        sortBy: 'name',
        additional: [],
      });
  // Folders first, as a picker shows them; DSM sorts by name within each.
  const entries = listed
    .map(({ name, path: entryPath, isdir }) => ({ name, path: entryPath, isdir }))
    .sort((a, b) => Number(b.isdir) - Number(a.isdir));
  return {
    path: folder,
    parent: atRoot ? undefined : folder.slice(0, folder.lastIndexOf('/')) || '/',
    entries: entries.slice(0, BROWSE_LIMIT),
    truncated: entries.length > BROWSE_LIMIT,
  };
}

export interface ApiCatalogueEntry {
  name: string;
  minVersion: number;
  maxVersion: number;
  /** From the DSM documents: API.Info does not name methods. Empty for an API they do not cover. */
  methods: readonly string[];
}

/** The APIs the NAS offers (API.Info), sorted by name, each with the methods the documents name. */
export async function apiCatalogue(client: DsmClient): Promise<ApiCatalogueEntry[]> {
  const info = await client.apiInfo();
  return Object.keys(info)
    .sort()
    .map((name) => ({
      name,
      minVersion: info[name].minVersion,
      maxVersion: info[name].maxVersion,
      methods: KNOWN_METHODS[name] ?? [],
    }));
}

export interface DownloadDestinations {
  /** The account's default destination in Download Station; null when it has none or Download Station is absent. */
  defaultDestination: string | null;
  /** Share-relative folders a task may download into: the shared folders, as Download Station names them. */
  destinations: string[];
  /** Why there is no default destination, when Download Station could not say. */
  note?: string;
}

/**
 * Where Download Station can put a task: the default destination (Info getconfig, or DS2 Settings.Location) and the
 * shared folders. Destinations are share-relative, without a leading `/` (destination.ts: DSM answers 403 otherwise).
 */
export async function downloadDestinations(client: DsmClient): Promise<DownloadDestinations> {
  const [config, shares] = await Promise.all([
    new DownloadStation(client).config().then(
      (c) => ({ config: c }),
      (err: unknown) => ({ error: err }),
    ),
    new FileStation(client).listShares({ limit: BROWSE_LIMIT, additional: [] }),
  ]);
  const raw = 'config' in config ? config.config.default_destination : undefined;
  const defaultDestination = typeof raw === 'string' && raw.trim() !== '' ? raw.trim() : null;
  const destinations = shares.map((s) => s.name);
  if (defaultDestination && !destinations.includes(defaultDestination))
    destinations.unshift(defaultDestination);
  const note =
    'error' in config
      ? config.error instanceof DsmError
        ? config.error.message
        : 'unknown error'
      : undefined;
  return { defaultDestination, destinations, ...(note ? { note } : {}) };
}

export interface CloudSyncChoice {
  id: number;
  name: string;
  displayName: string;
  state: string;
}

/** The Cloud Sync connections, by id and name: what the cloud sync node's connection field takes. */
export async function cloudSyncConnections(client: DsmClient): Promise<CloudSyncChoice[]> {
  const connections = await new CloudSync(client).connections();
  return connections.map(({ id, name, displayName, state }) => ({ id, name, displayName, state }));
}
