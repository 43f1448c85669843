import { CommonError, DsmApiError } from '../dsm-error';
import type { ApiCall } from '../handlers/api-handler';
import type { Viewer } from './file-entry';

/** The session's account as File Station shows it (owner fields, task ownership). */
export function viewerOf(call: ApiCall): Viewer {
  const account = call.session && call.sim.accounts.find(call.session.account);
  if (!account) throw new DsmApiError(CommonError.InvalidSession);
  return { user: account.username, uid: account.uid };
}
