import { CommonError, DsmApiError } from '../dsm-error';
import { viewerOf } from '../file-station/context';
import { ApiError, toDsmError } from '../file-station/errors';
import { pageOf, readDirection } from '../file-station/listing';
import type { SharingLink } from '../file-station/sharing-links';
import type { ApiCall, ApiHandler } from './api-handler';

/** Stands in for the QR code image DSM sends (a 1x1 PNG: the simulator draws no QR codes). */
const PLACEHOLDER_QR_PNG =
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=';
const MAX_PASSWORD_LENGTH = 16;
const SORT_KEYS = [
  'id',
  'name',
  'isFolder',
  'path',
  'date_expired',
  'date_available',
  'status',
  'has_password',
  'url',
  'link_owner',
];

async function create(call: ApiCall): Promise<{ links: Record<string, unknown>[] }> {
  const { params, sim } = call;
  const viewer = viewerOf(call);
  const paths = params.requiredList('path');
  const password = readPassword(call) ?? '';
  const dateExpired = readDate(call, 'date_expired') ?? '0';
  const dateAvailable = readDate(call, 'date_available') ?? '0';
  const records = [];
  for (const path of paths) {
    try {
      records.push(await sim.files.find(path));
    } catch (error) {
      throw toDsmError(error, undefined, path);
    }
  }
  const links = [];
  for (const { location, stats } of records) {
    const link = sim.sharingLinks.add({
      path: location.path,
      name: location.name,
      isFolder: stats.isDirectory(),
      owner: viewer.user,
      password,
      dateExpired,
      dateAvailable,
    });
    links.push({ ...(await linkObject(call, link)), error: 0, qrcode: PLACEHOLDER_QR_PNG });
  }
  return { links };
}

async function list(call: ApiCall): Promise<Record<string, unknown>> {
  const { params, sim } = call;
  const offset = params.int('offset', 0);
  const limit = params.int('limit', 0);
  const sortBy = params.text('sort_by');
  if (sortBy !== undefined && sortBy !== '' && !SORT_KEYS.includes(sortBy)) {
    throw new DsmApiError(CommonError.InvalidParameter);
  }
  const direction = readDirection(params);
  const owner = viewerOf(call).user;
  const own = sim.sharingLinks.all().filter((link) => link.owner === owner);
  const links = await Promise.all(own.map((link) => linkObject(call, link)));
  if (sortBy) links.sort((a, b) => direction * compareValues(a[sortBy], b[sortBy]));
  return { links: pageOf(links, offset, limit), offset, total: links.length };
}

async function getinfo(call: ApiCall): Promise<Record<string, unknown>> {
  return linkObject(call, findLink(call, call.params.requiredText('id')));
}

async function edit(call: ApiCall): Promise<undefined> {
  const links = call.params.requiredList('id').map((id) => findLink(call, id));
  const password = readPassword(call);
  const dateExpired = readDate(call, 'date_expired');
  const dateAvailable = readDate(call, 'date_available');
  for (const link of links) {
    if (password !== undefined) link.password = password;
    if (dateExpired !== undefined) link.dateExpired = dateExpired;
    if (dateAvailable !== undefined) link.dateAvailable = dateAvailable;
  }
  return undefined;
}

/** Unknown ids answer 2000 with `errors: [{code: 2000, id}]` and nothing is deleted. */
function remove(call: ApiCall): undefined {
  const { sharingLinks } = call.sim;
  const owner = viewerOf(call).user;
  const ids = call.params.requiredList('id');
  const unknown = ids.filter((id) => sharingLinks.get(id)?.owner !== owner);
  if (unknown.length > 0) {
    throw new DsmApiError(
      ApiError.NoSuchLink,
      unknown.map((id) => ({ code: ApiError.NoSuchLink, id })),
    );
  }
  for (const id of ids) sharingLinks.delete(id);
  return undefined;
}

async function clearInvalid(call: ApiCall): Promise<undefined> {
  const { sharingLinks } = call.sim;
  const owner = viewerOf(call).user;
  for (const link of sharingLinks.all().filter((candidate) => candidate.owner === owner)) {
    const status = await linkStatus(call, link);
    if (status === 'expired' || status === 'broken') sharingLinks.delete(link.id);
  }
  return undefined;
}

/** The user's link; 2000 for an unknown id or another user's link. */
function findLink(call: ApiCall, id: string): SharingLink {
  const link = call.sim.sharingLinks.get(id);
  if (!link || link.owner !== viewerOf(call).user) throw new DsmApiError(ApiError.NoSuchLink);
  return link;
}

/** A <Sharing_Link> object (guide, Sharing "Response Objects"), keys in DSM's order. */
async function linkObject(call: ApiCall, link: SharingLink): Promise<Record<string, unknown>> {
  return {
    date_available: link.dateAvailable,
    date_expired: link.dateExpired,
    has_password: link.password !== '',
    id: link.id,
    isFolder: link.isFolder,
    link_owner: link.owner,
    name: link.name,
    path: link.path,
    status: await linkStatus(call, link),
    url: linkUrl(call, link),
  };
}

async function linkStatus(call: ApiCall, link: SharingLink): Promise<string> {
  const { files, clock } = call.sim;
  const found = await files.find(link.path).catch(() => undefined);
  if (!found) return 'broken';
  const today = new Date(clock.now()).toISOString().slice(0, 10);
  if (link.dateExpired !== '0' && today > link.dateExpired) return 'expired';
  if (link.dateAvailable !== '0' && today < link.dateAvailable) return 'invalid';
  return 'valid';
}

/** DSM 7 serves links at /sharing/<id>, DSM 6 at /fbsharing/<id> (guide examples). */
function linkUrl(call: ApiCall, link: SharingLink): string {
  const { sim, http } = call;
  const protocol = sim.options.tls ? 'https' : 'http';
  const host = http.req.headers.host ?? `${sim.options.hostname}:5000`;
  const route = sim.profile.name === 'dsm6' ? 'fbsharing' : 'sharing';
  return `${protocol}://${host}/${route}/${link.id}`;
}

function readPassword(call: ApiCall): string | undefined {
  const password = call.params.text('password');
  if (password !== undefined && password.length > MAX_PASSWORD_LENGTH) {
    throw new DsmApiError(CommonError.InvalidParameter);
  }
  return password;
}

/** 'YYYY-MM-DD' or '0' (also '' and 0); 120 otherwise. */
function readDate(call: ApiCall, name: string): string | undefined {
  const value = call.params.text(name);
  if (value === undefined) return undefined;
  if (value === '' || value === '0') return '0';
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value) || Number.isNaN(Date.parse(value))) {
    throw new DsmApiError(CommonError.InvalidParameter);
  }
  return value;
}

function compareValues(a: unknown, b: unknown): number {
  const left = String(a);
  const right = String(b);
  return left < right ? -1 : left > right ? 1 : 0;
}

export const fileStationSharingHandler: ApiHandler = {
  methods: { create, list, getinfo, edit, delete: remove, clear_invalid: clearInvalid },
};
