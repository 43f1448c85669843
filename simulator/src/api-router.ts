import { CommonError, DsmApiError } from './dsm-error';
import { type ApiHandler, hasMethod } from './handlers';
import type { RawParams } from './params';
import type { ApiEntry, SimulatorProfile } from './profiles';

export interface Route {
  readonly entry: ApiEntry;
  readonly handler: ApiHandler;
  readonly method: string;
  readonly version: number;
}

/** Maps (cgi path, api, method, version) to a handler the way DSM does, with DSM's error codes. */
export class ApiRouter {
  private readonly apis = new Map<string, { entry: ApiEntry; handler: ApiHandler }>();
  private readonly paths = new Set<string>();

  constructor(profile: SimulatorProfile, handlers: ReadonlyMap<string, ApiHandler>) {
    for (const entry of profile.apis) {
      const handler = handlers.get(entry.api);
      if (!handler) throw new Error(`Profile ${profile.name} advertises ${entry.api}, which has no handler`);
      this.apis.set(entry.api, { entry, handler });
      for (const path of servedPaths(entry)) this.paths.add(path);
    }
  }

  /** Whether the path (after /webapi/) is a CGI of this profile at all; others are HTTP 404. */
  servesPath(path: string): boolean {
    return this.paths.has(path);
  }

  resolve(path: string, params: RawParams): Route {
    const api = params.get('api');
    const method = params.get('method');
    const versionText = params.get('version');
    if (!api || !method || !versionText) throw new DsmApiError(CommonError.MissingApiMethodOrVersion);
    const known = this.apis.get(api);
    if (!known || !servedPaths(known.entry).includes(path)) throw new DsmApiError(CommonError.NoSuchApi);
    const { entry, handler } = known;
    const version = Number(versionText);
    if (!Number.isInteger(version) || version < entry.minVersion || version > entry.maxVersion) {
      throw new DsmApiError(CommonError.VersionNotSupported);
    }
    if (entry.versionsWithoutMethods?.includes(version) || !hasMethod(handler, method)) {
      throw new DsmApiError(CommonError.NoSuchMethod);
    }
    return { entry, handler, method, version };
  }
}

function servedPaths(entry: ApiEntry): readonly string[] {
  return [entry.path, ...(entry.alsoServedAt ?? [])];
}
