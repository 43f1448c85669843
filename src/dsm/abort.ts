import { DsmError } from './errors';

/**
 * Waits for a shared promise (a login, a discovery) on behalf of one caller: the caller's signal ends its own
 * wait only, the shared work goes on for the others.
 */
export function waitFor<T>(shared: Promise<T>, signal: AbortSignal | undefined, api: string): Promise<T> {
  if (!signal) return shared;
  if (signal.aborted) return Promise.reject(abortedError(api));
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(abortedError(api));
    signal.addEventListener('abort', onAbort, { once: true });
    shared.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (err: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(err);
      },
    );
  });
}

export function abortedError(api?: string, method?: string): DsmError {
  return new DsmError({ kind: 'aborted', code: 'ABORTED', api, method, reason: 'cancelled' });
}
