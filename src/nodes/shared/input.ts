import Mustache from 'mustache';
import type { Node, NodeAPI, NodeMessage } from 'node-red';
import { DsmError } from '../../dsm';
import { describeType } from '../../dsm/api/file-station';

/** A TypedInput setting as the editor saves it. */
export interface TypedSetting {
  value: string;
  type: string;
}

/**
 * Fills tags with text, unescaped (these are paths and names, not HTML). A tag whose value is an object or a list
 * throws: `{{payload}}` would otherwise name a file "[object Object]" or "a,b".
 */
class TextWriter extends Mustache.Writer {
  override escapedValue(token: string[], context: Mustache.Context): string {
    return tagText(token[1], context.lookup(token[1]));
  }

  override unescapedValue(token: string[], context: Mustache.Context): string {
    return tagText(token[1], context.lookup(token[1]));
  }
}

function tagText(name: string, value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'object' && !(value instanceof Date))
    throw new Error(`{{${name}}} is ${describeType(value)}, not text`);
  return String(value);
}

const writer = new TextWriter();

/** `{{payload.x}}` in a string, filled from the msg. */
export function renderTemplate(template: string, msg: NodeMessage): string {
  return template.includes('{{') ? writer.render(template, msg) : template;
}

/** Every string inside a value, templated (for JSON settings such as API params). */
export function renderDeep(value: unknown, msg: NodeMessage): unknown {
  if (typeof value === 'string') return renderTemplate(value, msg);
  if (Array.isArray(value)) return value.map((item) => renderDeep(item, msg));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, renderDeep(item, msg)]));
  }
  return value;
}

/**
 * Reads a TypedInput setting for one msg (str, num, json, msg, flow, global, env, jsonata...). String and JSON
 * settings are mustache templates over the msg. A bad setting rejects with an input error naming the field.
 */
export function readSetting(
  RED: NodeAPI,
  node: Node,
  msg: NodeMessage,
  field: string,
  setting: TypedSetting,
): Promise<unknown> {
  const invalid = (err: unknown) =>
    new DsmError({ kind: 'input', code: 'EINVAL', reason: `${field}: ${describe(err)}` });
  return new Promise((resolve, reject) => {
    try {
      // json and jsonata settings throw here instead of calling back.
      RED.util.evaluateNodeProperty(setting.value, setting.type, node, msg, (err, value) => {
        if (err) return reject(invalid(err));
        try {
          if (setting.type === 'str') resolve(renderTemplate(String(value), msg));
          else if (setting.type === 'json') resolve(renderDeep(value, msg));
          else resolve(value);
        } catch (templateErr) {
          reject(invalid(templateErr));
        }
      });
    } catch (err) {
      reject(invalid(err));
    }
  });
}

function describe(err: unknown): string {
  if (err instanceof Error && err.message) return err.message;
  const fields = err as { message?: unknown; code?: unknown; description?: unknown } | undefined;
  return String(fields?.message ?? fields?.description ?? fields?.code ?? err);
}
