import { randomToken } from '../random-token';

export interface SharingLink {
  readonly id: string;
  readonly path: string;
  readonly name: string;
  readonly isFolder: boolean;
  readonly owner: string;
  /** '' when the link has none. */
  password: string;
  /** 'YYYY-MM-DD', or '0' for never. */
  dateExpired: string;
  /** 'YYYY-MM-DD', or '0' for at once. */
  dateAvailable: string;
}

/** SYNO.FileStation.Sharing links, in creation order. */
export class SharingLinks {
  private readonly links = new Map<string, SharingLink>();

  add(link: Omit<SharingLink, 'id'>): SharingLink {
    const created: SharingLink = { ...link, id: newLinkId() };
    this.links.set(created.id, created);
    return created;
  }

  get(id: string): SharingLink | undefined {
    return this.links.get(id);
  }

  all(): SharingLink[] {
    return [...this.links.values()];
  }

  delete(id: string): void {
    this.links.delete(id);
  }
}

/** DSM's link ids look like "pHTBKQf9": 8 or 9 letters and digits. */
function newLinkId(): string {
  let id = '';
  while (id.length < 9) id += randomToken(9).replace(/[-_]/g, '');
  return id.slice(0, 9);
}
