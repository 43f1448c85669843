import { CommonError, DsmApiError } from '../dsm-error';
import type { ApiCall } from '../handlers/api-handler';
import type { DownloadStation } from './station';

/** The session's account name and the Download Station state, for a handler. */
export function stationOf(call: ApiCall): { station: DownloadStation; user: string } {
  const user = call.session?.account;
  if (!user) throw new DsmApiError(CommonError.InvalidSession);
  return { station: call.sim.downloads, user };
}
