import { DsmError, inputError } from './errors';
import type { DsmEnvelope, Transport, WebApiRequest } from './transport';

/** One entry of SYNO.API.Info: where an API lives and which versions DSM serves. */
export interface ApiInfoEntry {
  path: string;
  minVersion: number;
  maxVersion: number;
  requestFormat?: string;
}

export type ApiInfoMap = Record<string, ApiInfoEntry>;

/** How to call one API: the CGI path, the version chosen and how params are encoded. */
export interface ResolvedApi {
  api: string;
  cgiPath: string;
  version: number;
  requestFormat?: string;
}

/** Versions this client speaks for the APIs it has typed code for; any other API is used as DSM describes it. */
export const CLIENT_VERSIONS: Readonly<Record<string, readonly [number, number]>> = {
  // DSM 7 answers 103 to Auth versions 1-2; 3 is the lowest every DSM 6/7 accepts with format=sid.
  'SYNO.API.Auth': [3, 7],
};

/**
 * SYNO.API.Info query=all. query.cgi is where DSM 4-6 serve it; DSM 7 serves it at entry.cgi too (the Login
 * guide's fixed location), so entry.cgi is the fallback when query.cgi is missing or not a Web API.
 */
export async function queryApiInfo(transport: Transport, signal?: AbortSignal): Promise<ApiInfoMap> {
  const request = (cgiPath: string): WebApiRequest => ({
    cgiPath,
    api: 'SYNO.API.Info',
    method: 'query',
    query: { api: 'SYNO.API.Info', version: '1', method: 'query', query: 'all' },
    signal,
  });
  let envelope: DsmEnvelope;
  try {
    envelope = await transport.send(request('query.cgi'));
    if (!envelope.success) throw new Error('query.cgi refused');
  } catch (err) {
    if (err instanceof DsmError && err.kind !== 'http' && err.kind !== 'dsm') throw err;
    envelope = await transport.send(request('entry.cgi'));
  }
  if (!envelope.success || !envelope.data || typeof envelope.data !== 'object') {
    throw new DsmError({
      kind: 'http',
      code: envelope.error?.code ?? 'EBADANSWER',
      api: 'SYNO.API.Info',
      method: 'query',
      reason: 'DSM did not describe its APIs (SYNO.API.Info query failed)',
      hint: 'Check that the address points at DSM (not a web page) and that DSM is up to date.',
    });
  }
  return envelope.data as ApiInfoMap;
}

/** Picks the path and version for a call: the given version if DSM serves it, else the highest both sides speak. */
export function resolveApi(info: ApiInfoMap, api: string, requested?: number): ResolvedApi {
  const entry = info[api];
  if (!entry) {
    throw new DsmError({
      kind: 'input',
      code: 102,
      api,
      reason: `DSM has no API named "${api}"`,
      hint: 'Check the spelling (e.g. SYNO.FileStation.List) and that the package providing it is installed.',
    });
  }
  const base = { api, cgiPath: entry.path, requestFormat: entry.requestFormat };
  if (requested !== undefined) {
    if (!Number.isInteger(requested) || requested < entry.minVersion || requested > entry.maxVersion) {
      throw inputError(
        'version',
        `${api} version ${requested} is not served by this DSM (it serves ${entry.minVersion}-${entry.maxVersion})`,
        'Use "auto" to let the client choose.',
      );
    }
    return { ...base, version: requested };
  }
  const [clientMin, clientMax] = CLIENT_VERSIONS[api] ?? [1, Number.MAX_SAFE_INTEGER];
  const version = Math.min(entry.maxVersion, clientMax);
  if (version < Math.max(entry.minVersion, clientMin)) {
    throw new DsmError({
      kind: 'input',
      code: 104,
      api,
      reason: `this DSM serves ${api} versions ${entry.minVersion}-${entry.maxVersion}, this client speaks ${clientMin}-${clientMax}`,
      hint: 'Update DSM, or this package.',
    });
  }
  return { ...base, version };
}
