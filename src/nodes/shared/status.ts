import type { NodeAPI, NodeStatus } from 'node-red';
import type { ConnectionState } from '../../dsm';
import { t } from './i18n';

export const WORKING = (text: string): NodeStatus => ({ fill: 'blue', shape: 'dot', text });
export const DONE = (text: string): NodeStatus => ({ fill: 'green', shape: 'dot', text });
export const FAILED = (text: string): NodeStatus => ({ fill: 'red', shape: 'ring', text });
/** Done, but with something the flow should look at (e.g. info on a path that does not exist). */
export const NOTICE = (text: string): NodeStatus => ({ fill: 'yellow', shape: 'dot', text });

/** The status an action node shows for its connection while it has nothing of its own to say. */
export function connectionStatus(RED: NodeAPI, state: ConnectionState, detail?: string): NodeStatus {
  switch (state) {
    case 'idle':
      // A fresh deploy: the config node logs in with the first msg, so there is nothing to tell yet but that.
      return { fill: 'grey', shape: 'ring', text: 'not connected yet' };
    case 'connected':
      return { fill: 'green', shape: 'dot', text: t(RED, 'synology-dsm.status.connected') };
    case 'connecting':
      return { fill: 'blue', shape: 'ring', text: t(RED, 'synology-dsm.status.connecting') };
    case 'two-factor-required':
      return { fill: 'yellow', shape: 'ring', text: t(RED, 'synology-dsm.status.twoFactor') };
    case 'login-backoff':
    case 'error':
      return { fill: 'red', shape: 'ring', text: detail ?? t(RED, 'synology-dsm.status.notConnected') };
    case 'closed':
      return { fill: 'grey', shape: 'ring', text: t(RED, 'synology-dsm.status.closed') };
    default:
      return {};
  }
}
