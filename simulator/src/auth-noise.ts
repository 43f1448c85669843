import { generateKeyPairSync, randomBytes } from 'node:crypto';

/**
 * DSM 7.2's login handshake, as far as the simulator plays it. SYNO.API.Auth.UIConfig sets the `_SSID` cookie to
 * the server's static X25519 key in base64url, which clients read before logging in (N4S4/synology-api auth.py
 * `get_ik_message`: the initiator of a Noise_IK_25519_ChaChaPoly_BLAKE2b handshake); the login answer carries the
 * responder's message as `ik_message`. The simulator does not run the Noise handshake: its `ik_message` has the
 * shape of a responder message with an empty payload (32-byte ephemeral key + 16-byte tag, base64url).
 */
const staticKey = generateKeyPairSync('x25519').publicKey.export({ format: 'jwk' }).x ?? '';

/** The `_SSID` cookie value: the static X25519 public key, base64url without padding. */
export function ssidCookieValue(): string {
  return staticKey;
}

export function ikMessage(): string {
  return randomBytes(48).toString('base64url');
}
