import { DsmError } from '../../dsm';

/**
 * The client names its own parameters (`name`, `maxBytes`); a node user knows the node's fields (`newName`,
 * `maxSize`). Rewrites an input error of `work` from the one to the other, e.g. `{ name: 'newName' }`.
 */
export async function inNodeTerms<T>(work: Promise<T>, names: Record<string, string>): Promise<T> {
  try {
    return await work;
  } catch (err) {
    throw err instanceof DsmError && err.kind === 'input' ? renamed(err, names) : err;
  }
}

function renamed(err: DsmError, names: Record<string, string>): DsmError {
  const match = /^([A-Za-z]+)([[:])/.exec(err.reason);
  const nodeName = match && Object.hasOwn(names, match[1]) ? names[match[1]] : undefined;
  if (!match || !nodeName) return err;
  return new DsmError({
    kind: err.kind,
    code: err.code,
    api: err.api,
    method: err.method,
    reason: nodeName + err.reason.slice(match[1].length),
    hint: err.hint,
    details: err.details,
  });
}
