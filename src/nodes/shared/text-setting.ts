import { inputError } from '../../dsm';
import { describeType } from '../../dsm/api/file-station';

export interface TextOptions {
  /** Empty is an error (by default it reads as "not set"). */
  required?: boolean;
  /** Drop blanks around the text (by default kept: "/home/report " is another file than "/home/report"). */
  trim?: boolean;
  hint?: string;
}

/**
 * A text setting's value: a string, or a number as its digits; nothing or '' reads as undefined. Anything else (an
 * object, a list, a boolean) is refused naming the field: it would otherwise reach the NAS as "[object Object]".
 */
export function toText(field: string, value: unknown, options: TextOptions = {}): string | undefined {
  let text: string | undefined;
  if (typeof value === 'string') text = options.trim ? value.trim() : value;
  else if (typeof value === 'number' && Number.isFinite(value)) text = String(value);
  else if (value !== undefined && value !== null)
    throw inputError(field, `must be a string, not ${describeType(value)}`, options.hint);
  if (text) return text;
  if (options.required) throw inputError(field, 'is empty', options.hint);
  return undefined;
}

/** Reads a node setting (from the node, the msg, context...) as text; see {@link toText}. */
export async function readText(
  run: { read(field: string): Promise<unknown> },
  field: string,
  options?: TextOptions,
): Promise<string | undefined> {
  return toText(field, await run.read(field), options);
}

/** Reads a setting that must be text and must not be empty. */
export async function requireText(
  run: { read(field: string): Promise<unknown> },
  field: string,
  options?: Omit<TextOptions, 'required'>,
): Promise<string> {
  return (await readText(run, field, { ...options, required: true })) as string;
}
