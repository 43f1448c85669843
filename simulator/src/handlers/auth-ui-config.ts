import { ssidCookieValue } from '../auth-noise';
import type { ApiCall, ApiHandler } from './api-handler';

/**
 * SYNO.API.Auth.UIConfig get (DSM 7, before login): the `_SSID` cookie is what clients come for. The answer's
 * data is not in any capture; the simulator answers success without data.
 */
function get(call: ApiCall): undefined {
  call.setCookie(`_SSID=${ssidCookieValue()}; path=/`);
  return undefined;
}

export const authUiConfigHandler: ApiHandler = { publicMethods: ['get'], methods: { get } };
