import { DsmApiError } from '../dsm-error';

/** SYNO.FileStation.Favorite error codes (File Station guide, Favorite "API Error Code"). */
export const FavoriteError = {
  PathAlreadyAdded: 800,
  NameConflict: 801,
  TooMany: 802,
} as const;

const MAX_FAVORITES = 100;

export interface Favorite {
  readonly path: string;
  readonly name: string;
}

/** Each account's favorites, in the user's order. */
export class Favorites {
  private readonly byAccount = new Map<string, Favorite[]>();

  list(account: string): readonly Favorite[] {
    return this.byAccount.get(account) ?? [];
  }

  /** Inserts at `index` (-1 or past the end: last); 800 for a path already there, 801 for a name. */
  add(account: string, favorite: Favorite, index: number): void {
    const current = [...this.list(account)];
    if (current.some((item) => item.path === favorite.path))
      throw new DsmApiError(FavoriteError.PathAlreadyAdded);
    if (current.some((item) => item.name === favorite.name))
      throw new DsmApiError(FavoriteError.NameConflict);
    if (current.length >= MAX_FAVORITES) throw new DsmApiError(FavoriteError.TooMany);
    current.splice(index < 0 || index > current.length ? current.length : index, 0, favorite);
    this.byAccount.set(account, current);
  }

  /** False when the path is not a favorite. */
  remove(account: string, path: string): boolean {
    const current = this.list(account);
    const kept = current.filter((item) => item.path !== path);
    this.byAccount.set(account, kept);
    return kept.length !== current.length;
  }

  rename(account: string, path: string, name: string): boolean {
    const current = this.list(account);
    if (!current.some((item) => item.path === path)) return false;
    if (current.some((item) => item.name === name && item.path !== path))
      throw new DsmApiError(FavoriteError.NameConflict);
    this.byAccount.set(
      account,
      current.map((item) => (item.path === path ? { path, name } : item)),
    );
    return true;
  }

  replaceAll(account: string, favorites: readonly Favorite[]): void {
    if (favorites.length > MAX_FAVORITES) throw new DsmApiError(FavoriteError.TooMany);
    this.byAccount.set(account, [...favorites]);
  }
}
