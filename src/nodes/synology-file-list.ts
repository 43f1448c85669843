import type { Node, NodeAPI, NodeDef, NodeMessage } from 'node-red';
import { inputError, type DsmError, type FileEntry } from '../dsm';
import { describeType } from '../dsm/api/file-station';
import { setupActionNode, typedSetting } from './shared/action-node';
import { parseChoice, parseNumber, parseSize } from './shared/file-inputs';
import { inSettingTerms } from './shared/setting-hints';
import { readText } from './shared/text-setting';
import { t } from './shared/i18n';

interface FileListDef extends NodeDef {
  server: string;
  mode: string;
  recursive: boolean;
  filetype: string;
  sortBy: string;
  sortDirection: string;
  output: string;
}

const DAY = 24 * 60 * 60 * 1000;

export interface EntryFilter {
  olderThanDays?: number;
  newerThanDays?: number;
  largerThan?: number;
  smallerThan?: number;
  filetype: 'all' | 'file' | 'dir';
}

/** The filters a cleanup needs, applied to what DSM listed. */
export function matchesFilter(entry: FileEntry, filter: EntryFilter, now: number): boolean {
  if (filter.filetype === 'file' && entry.isdir) return false;
  if (filter.filetype === 'dir' && !entry.isdir) return false;
  const { mtime } = entry;
  // No modification time, no age: such an entry never passes an age filter (a cleanup must not take it).
  const aged = filter.olderThanDays !== undefined || filter.newerThanDays !== undefined;
  if (aged && mtime === undefined) return false;
  if (filter.olderThanDays !== undefined && !((mtime as number) < now - filter.olderThanDays * DAY))
    return false;
  if (filter.newerThanDays !== undefined && !((mtime as number) >= now - filter.newerThanDays * DAY))
    return false;
  if (filter.largerThan !== undefined && !(entry.size > filter.largerThan)) return false;
  if (filter.smallerThan !== undefined && !(entry.size < filter.smallerThan)) return false;
  return true;
}

// One collator for every sort: `localeCompare` makes one per comparison (same order: the default locale and options).
const collator = new Intl.Collator();

export function sortEntries(
  entries: FileEntry[],
  by: 'name' | 'size' | 'mtime',
  direction: 'asc' | 'desc',
): FileEntry[] {
  const sign = direction === 'desc' ? -1 : 1;
  const key = (e: FileEntry) => (by === 'name' ? e.name : by === 'size' ? e.size : (e.mtime ?? 0));
  return [...entries].sort((a, b) => {
    const x = key(a);
    const y = key(b);
    return sign * (typeof x === 'string' ? collator.compare(x, String(y)) : (x as number) - (y as number));
  });
}

/** Glob patterns: "*.jpg, *.png" or a list of strings; empty means all. */
export function toPatterns(value: unknown): string[] | undefined {
  if (value === undefined || value === null) return undefined;
  const items = typeof value === 'string' ? value.split(',') : value;
  if (!Array.isArray(items) || !items.every((item) => typeof item === 'string'))
    throw inputError('pattern', `must be a string or a list of strings, not ${describeType(value)}`);
  const patterns = (items as string[]).map((p) => p.trim()).filter(Boolean);
  return patterns.length > 0 ? patterns : undefined;
}

/** A listing refused with 408: the "Folder" setting, in the editor's words. */
function folderHint(err: DsmError): string | undefined {
  if (err.code !== 408) return undefined;
  return err.reason.endsWith('is a file, not a folder')
    ? 'Set "Folder" to the folder that holds it; a file op node set to info reads one file.'
    : 'Check "Folder": paths start with the shared folder, e.g. /home/photos.';
}

export default function register(RED: NodeAPI): void {
  function SynologyFileListNode(this: Node, config: FileListDef) {
    RED.nodes.createNode(this, config);
    setupActionNode(RED, this, config.server, {
      settings: {
        path: typedSetting(config, 'path', 'str', '/'),
        pattern: typedSetting(config, 'pattern'),
        olderThan: typedSetting(config, 'olderThan', 'num'),
        newerThan: typedSetting(config, 'newerThan', 'num'),
        largerThan: typedSetting(config, 'largerThan'),
        smallerThan: typedSetting(config, 'smallerThan'),
        limit: typedSetting(config, 'limit', 'num'),
      },
      progressOutput: false,
      async work(run) {
        const mode = parseChoice('mode', config.mode || 'list', ['list', 'search', 'shares'] as const);
        const filter: EntryFilter = {
          filetype: parseChoice('filetype', config.filetype || 'all', ['all', 'file', 'dir'] as const),
          olderThanDays: parseNumber('olderThan', await run.read('olderThan')),
          newerThanDays: parseNumber('newerThan', await run.read('newerThan')),
          largerThan: parseSize('largerThan', await run.read('largerThan')),
          smallerThan: parseSize('smallerThan', await run.read('smallerThan')),
        };
        const limit = parseNumber('limit', await run.read('limit')) || undefined;
        const sortBy = parseChoice('sortBy', config.sortBy || 'name', ['name', 'size', 'mtime'] as const);
        const sortDirection = parseChoice('sortDirection', config.sortDirection || 'asc', [
          'asc',
          'desc',
        ] as const);
        const pattern = toPatterns(await run.read('pattern'));
        const now = Date.now();

        let entries: FileEntry[];
        if (mode === 'shares') {
          run.working(t(RED, 'synology-file-list.status.listingShares'));
          entries = await run.files.listShares({ signal: run.signal });
        } else {
          const path = (await readText(run, 'path')) ?? '';
          run.working(
            t(
              RED,
              mode === 'search' ? 'synology-file-list.status.searching' : 'synology-file-list.status.listing',
              { path },
            ),
          );
          entries =
            mode === 'list'
              ? await inSettingTerms(run.files.list(path, { pattern, signal: run.signal }), folderHint)
              : await run.files.search(path, {
                  pattern,
                  recursive: config.recursive !== false,
                  filetype: filter.filetype,
                  sizeFrom: filter.largerThan,
                  sizeTo: filter.smallerThan,
                  signal: run.signal,
                });
        }
        const selected = sortEntries(
          entries.filter((e) => matchesFilter(e, filter, now)),
          sortBy,
          sortDirection,
        ).slice(0, limit);

        if (config.output === 'each') {
          const id = RED.util.generateId();
          const messages = selected.map((entry, index) => {
            const copy = RED.util.cloneMessage(run.msg) as NodeMessage & { parts?: object };
            copy.payload = entry;
            copy.parts = { id, index, count: selected.length, type: 'array', len: 1 };
            return copy;
          });
          return {
            status: t(RED, 'synology-file-list.status.entries', { count: selected.length }),
            messages,
          };
        }
        run.msg.payload = selected;
        return {
          status: t(RED, 'synology-file-list.status.selected', {
            count: selected.length,
            total: entries.length,
          }),
        };
      },
    });
  }

  RED.nodes.registerType('synology-file-list', SynologyFileListNode);
}
