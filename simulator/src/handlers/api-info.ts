import { advertisedEntry } from '../profiles';
import type { ApiCall, ApiHandler } from './api-handler';

/** SYNO.API.Info query: `query` is "all" (the default) or a comma list of names or name prefixes. */
function query(call: ApiCall): Record<string, Record<string, string | number>> {
  const wanted = call.params.list('query') ?? ['all'];
  const wantsAll = wanted.includes('all');
  const answer: Record<string, Record<string, string | number>> = {};
  for (const profileEntry of call.sim.profile.apis) {
    const entry = call.sim.served(profileEntry);
    if (!entry) continue;
    if (wantsAll || wanted.some((name) => matchesQuery(entry.api, name))) {
      answer[entry.api] = advertisedEntry(entry);
    }
  }
  return answer;
}

// DSM also answers a prefix: query=SYNO.FileStation lists every SYNO.FileStation.* API (File Station guide).
function matchesQuery(api: string, name: string): boolean {
  const trimmed = name.trim();
  if (trimmed === '') return false;
  return api === trimmed || api.startsWith(trimmed.endsWith('.') ? trimmed : `${trimmed}.`);
}

export const apiInfoHandler: ApiHandler = {
  publicMethods: ['query'],
  methods: { query },
};
