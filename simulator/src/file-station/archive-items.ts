import { entryPath, type ZipEntry } from './zip-reader';

/** An item of an archive as SYNO.FileStation.Extract shows it: its entries plus the folders they imply. */
export interface ArchiveItem {
  readonly itemid: number;
  /** undefined for a folder that only exists as a prefix of other entries' paths. */
  readonly entry: ZipEntry | undefined;
  readonly path: string;
  readonly name: string;
  readonly isDir: boolean;
  readonly size: number;
  readonly packSize: number;
  readonly mtime: Date;
  /** The containing folder's path, '' at the root. */
  readonly parent: string;
}

/** Item ids are the entries' central-directory positions; implied folders are numbered after them. */
export function archiveItems(entries: readonly ZipEntry[]): ArchiveItem[] {
  const items: ArchiveItem[] = [];
  entries.forEach((entry, index) => {
    const path = entryPath(entry);
    if (path === '') return;
    items.push({
      itemid: index,
      entry,
      path,
      name: baseName(path),
      isDir: entry.directory,
      size: entry.uncompressedSize,
      packSize: entry.compressedSize,
      mtime: entry.lastModDate,
      parent: parentOf(path),
    });
  });
  const known = new Set(items.map((item) => item.path));
  let nextId = entries.length;
  for (const item of [...items]) {
    for (let parent = item.parent; parent !== '' && !known.has(parent); parent = parentOf(parent)) {
      known.add(parent);
      items.push({
        itemid: nextId++,
        entry: undefined,
        path: parent,
        name: baseName(parent),
        isDir: true,
        size: 0,
        packSize: 0,
        mtime: item.mtime,
        parent: parentOf(parent),
      });
    }
  }
  return items;
}

/** Whether an archived path would land outside the destination (absolute, a drive, or with `..`). */
export function isUnsafeArchivePath(path: string): boolean {
  return /^([a-zA-Z]:)?[/\\]/.test(path) || path.split(/[/\\]/).some((segment) => segment === '..');
}

/** "2013-02-03 00:17:12", as the guide's Extract list example shows mtime. */
export function formatArchiveTime(date: Date): string {
  const pad = (value: number): string => String(value).padStart(2, '0');
  const day = `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
  return `${day} ${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`;
}

function parentOf(path: string): string {
  const slash = path.lastIndexOf('/');
  return slash < 0 ? '' : path.slice(0, slash);
}

function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}
