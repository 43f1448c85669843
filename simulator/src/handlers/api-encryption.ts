import { CIPHER_KEY, CIPHER_TOKEN, loginKey } from '../encryption/login-cipher';
import type { ApiCall, ApiHandler } from './api-handler';

/** SYNO.API.Encryption getinfo: the login key and the names of the params that carry the sealed params. */
async function getinfo(call: ApiCall): Promise<Record<string, string | number>> {
  const { modulusHex } = await loginKey();
  return {
    cipherkey: CIPHER_KEY,
    ciphertoken: CIPHER_TOKEN,
    public_key: modulusHex,
    server_time: Math.floor(call.sim.clock.now() / 1000),
  };
}

export const apiEncryptionHandler: ApiHandler = {
  publicMethods: ['getinfo'],
  methods: { getinfo },
};
