import { inputError } from '../../errors';
import { describeType } from '../file-station/options';
import type { CloudSyncConnection } from './connection';

/**
 * Which connection(s) a call is about, as a caller may say it: an id (`3` or `"3"`), a name (`"Dropbox"`), a
 * connection from list(), or a list of those. `'all'` means every connection.
 */
export type ConnectionRef = number | string | Pick<CloudSyncConnection, 'id'>;
export type ConnectionRefs = ConnectionRef | readonly ConnectionRef[] | 'all';

/** A reference checked for its form; names and ids are matched against a listing later. */
type CheckedRef = { kind: 'id'; id: number; shown: string } | { kind: 'name'; name: string; shown: string };

const HINT = 'Give a connection id (a number), its name as Cloud Sync shows it, or a connection from a list.';

function checkOne(field: string, value: unknown): CheckedRef {
  if (typeof value === 'number' && Number.isInteger(value) && value >= 0)
    return { kind: 'id', id: value, shown: String(value) };
  if (typeof value === 'string' && value.trim()) {
    const trimmed = value.trim();
    return /^\d+$/.test(trimmed)
      ? { kind: 'id', id: Number(trimmed), shown: trimmed }
      : { kind: 'name', name: trimmed, shown: `"${trimmed}"` };
  }
  const id = (value as { id?: unknown } | null)?.id;
  if (value !== null && typeof value === 'object' && !Array.isArray(value) && typeof id === 'number')
    return checkOne(field, id);
  const shown =
    typeof value === 'string'
      ? 'is empty'
      : typeof value === 'number'
        ? `${value} is not a connection id`
        : '';
  throw inputError(field, shown || `${describeType(value)} is not a connection`, HINT);
}

/** The form of a connection argument: 'all', or one or several references (each checked), before any request. */
export function checkConnectionRefs(field: string, value: unknown): CheckedRef[] | 'all' {
  if (typeof value === 'string' && value.trim().toLowerCase() === 'all') return 'all';
  if (Array.isArray(value)) {
    if (value.length === 0) throw inputError(field, 'is an empty list', HINT);
    return value.map((item, index) => checkOne(`${field}[${index}]`, item));
  }
  return [checkOne(field, value)];
}

/**
 * The connections the references name, from a listing. An id is looked up as an id (a name made only of digits is
 * therefore reached through its id); a name matches `name` exactly, else `name` or `displayName` ignoring case
 * when only one connection does. Unknown or ambiguous references are refused naming the field.
 */
export function matchConnections(
  field: string,
  refs: CheckedRef[],
  connections: CloudSyncConnection[],
): CloudSyncConnection[] {
  const found: CloudSyncConnection[] = [];
  refs.forEach((ref, index) => {
    const where = refs.length > 1 ? `${field}[${index}]` : field;
    const match =
      ref.kind === 'id' ? connections.filter((c) => c.id === ref.id) : byName(ref.name, connections);
    if (match.length === 0) {
      const known = connections.map((c) => `${c.id} "${c.name}"`).join(', ') || 'none';
      throw inputError(
        where,
        `no Cloud Sync connection ${ref.kind === 'id' ? 'with id ' : 'named '}${ref.shown}`,
        `Connections on this NAS: ${known}.`,
      );
    }
    if (match.length > 1)
      throw inputError(
        where,
        `${ref.shown} names ${match.length} connections (ids ${match.map((c) => c.id).join(', ')})`,
        'Use the id of the one you mean.',
      );
    if (!found.includes(match[0])) found.push(match[0]);
  });
  return found;
}

function byName(name: string, connections: CloudSyncConnection[]): CloudSyncConnection[] {
  const exact = connections.filter((c) => c.name === name);
  if (exact.length > 0) return exact;
  const lower = name.toLowerCase();
  return connections.filter((c) => c.name.toLowerCase() === lower || c.displayName.toLowerCase() === lower);
}
