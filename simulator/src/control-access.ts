import { isIPv4, isIPv6 } from 'node:net';

/** Why /sim/ refused a request, and how to allow it. */
export const REMOTE_CONTROL_REFUSED =
  'The /sim/ control surface answers requests from this machine (loopback) only. To allow other hosts, ' +
  'start the simulator with allowRemoteControl: true (synology-dsm-sim --allow-remote-control).';

/** Whether a socket's remote address is this machine: 127.0.0.0/8, ::1, or either mapped into IPv6. */
export function isLoopbackAddress(address: string | undefined): boolean {
  if (!address) return false;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  const ipv4 = mapped ? mapped[1] : address;
  if (isIPv4(ipv4)) return ipv4.startsWith('127.');
  return isIPv6(address) && /^(?:0{0,4}:){2,7}0{0,3}1$/.test(address);
}
