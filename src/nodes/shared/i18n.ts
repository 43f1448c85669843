import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { NodeAPI } from 'node-red';

/** The npm package name: Node-RED names each node's message catalog `<package>/<node type>`. */
export const PACKAGE_NAME = '@synoflow/node-red-synology';

const LOCALES = join(__dirname, '..', '..', '..', 'nodes', 'locales');

export type TextVars = Record<string, string | number>;

/**
 * A user-facing text (status, label) in Node-RED's runtime language. `key` starts with the catalog it lives in
 * (`synology-file-list.status.listing` is in `synology-file-list.json`), so a shared helper can use any node's keys.
 * Where no catalog answers (the test helper's `RED._` returns the key), the en-US text is used: a raw key never
 * reaches the user.
 */
export function t(RED: NodeAPI, key: string, vars: TextVars = {}): string {
  return fill(template(RED, key, Object.keys(vars)), vars);
}

// Asking Node-RED's i18next for a text costs tens of µs in a runtime with all its catalogs (fallbacks, plural rules):
// a large share of a small msg's CPU when every msg sets a status. So each text is translated with each variable
// standing for itself, kept for a second and filled in here. The catalogs have no plural forms. The runtime language
// is fixed, except while Node-RED answers the editor in a browser's language: a text asked for then is kept for at
// most a second, as long as Node-RED's own texts are in that language.
const KEEP_MS = 1000;
const templates = new WeakMap<object, Map<string, { text: string; at: number }>>();

function template(RED: NodeAPI, key: string, names: string[]): string {
  let cache = templates.get(RED);
  if (!cache) templates.set(RED, (cache = new Map()));
  const cacheKey = `${key}\0${names.join('\0')}`;
  const now = performance.now();
  const kept = cache.get(cacheKey);
  if (kept && now - kept.at < KEEP_MS) return kept.text;
  const markers = Object.fromEntries(names.map((name) => [name, `__${name}__`]));
  const qualified = `${PACKAGE_NAME}/${catalogOf(key)}:${key}`;
  const translate = (RED as { _?: (key: string, vars?: TextVars) => string })._;
  const translated = translate ? translate(qualified, markers) : undefined;
  const text =
    translated && translated !== qualified && translated !== key ? translated : (englishTemplate(key) ?? key);
  cache.set(cacheKey, { text, at: now });
  return text;
}

/** Node-RED's i18next marks variables as `__name__`. */
function fill(text: string, vars: TextVars): string {
  return text.replace(/__(\w+)__/g, (whole, name: string) =>
    Object.hasOwn(vars, name) ? String(vars[name]) : whole,
  );
}

/** True when en-US has `key`: for words that come from DSM or the client and have a translation only sometimes. */
export function hasText(key: string): boolean {
  return typeof lookup(catalog(catalogOf(key)), key) === 'string';
}

function catalogOf(key: string): string {
  return key.slice(0, key.indexOf('.'));
}

const catalogs = new Map<string, unknown>();

function catalog(name: string): unknown {
  if (!catalogs.has(name)) {
    try {
      catalogs.set(name, JSON.parse(readFileSync(join(LOCALES, 'en-US', `${name}.json`), 'utf8')));
    } catch {
      catalogs.set(name, undefined);
    }
  }
  return catalogs.get(name);
}

function lookup(tree: unknown, key: string): unknown {
  return key
    .split('.')
    .reduce<unknown>(
      (node, part) =>
        node && typeof node === 'object' ? (node as Record<string, unknown>)[part] : undefined,
      tree,
    );
}

function englishTemplate(key: string): string | undefined {
  const found = lookup(catalog(catalogOf(key)), key);
  return typeof found === 'string' ? found : undefined;
}
