import type { FileRecord, FileSpace } from './dsm-path';

/** A file or folder inside a walked tree, with its path relative to the walk's starting point's parent. */
export interface TreeEntry extends FileRecord {
  /** e.g. 'folder/sub/file.txt' for /share/folder/sub/file.txt walked from /share/folder. */
  readonly relative: string;
}

/** The record and everything below it, parents before children (pre-order). */
export async function walkTree(space: FileSpace, root: FileRecord): Promise<TreeEntry[]> {
  const entries: TreeEntry[] = [];
  const visit = async (record: FileRecord, relative: string): Promise<void> => {
    entries.push({ ...record, relative });
    if (!record.stats.isDirectory()) return;
    const children = await space.children(record.location);
    children.sort((a, b) => (a.location.name < b.location.name ? -1 : 1));
    for (const child of children) await visit(child, `${relative}/${child.location.name}`);
  };
  await visit(root, root.location.name);
  return entries;
}

/** Walks below a folder, without the folder itself; one level only unless recursive. */
export async function walkBelow(
  space: FileSpace,
  folder: FileRecord,
  recursive: boolean,
): Promise<TreeEntry[]> {
  if (recursive) return (await walkTree(space, folder)).slice(1);
  const children = await space.children(folder.location);
  return children.map((child) => ({ ...child, relative: `${folder.location.name}/${child.location.name}` }));
}

export function totalSize(entries: readonly FileRecord[]): number {
  return entries.reduce((sum, entry) => sum + (entry.stats.isDirectory() ? 0 : entry.stats.size), 0);
}
