import { DsmError } from '../../dsm';

/** Which of a node's settings to change for a DSM error, in the words of the node's editor; undefined: none. */
export type SettingHint = (err: DsmError) => string | undefined;

/** Runs `work`; a DSM error it fails with gets the node's own hint in place of the client's. */
export async function inSettingTerms<T>(work: Promise<T>, hintFor: SettingHint): Promise<T> {
  try {
    return await work;
  } catch (err) {
    if (!(err instanceof DsmError) || err.kind !== 'dsm') throw err;
    const hint = hintFor(err);
    throw hint ? err.rephrased({ hint }) : err;
  }
}

/** The editor's "If it exists" setting (file op, upload), as a hint. */
export const IF_IT_EXISTS_HINT = 'Set "If it exists" to overwrite or skip.';
