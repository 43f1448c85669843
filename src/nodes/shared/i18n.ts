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
  const qualified = `${PACKAGE_NAME}/${catalogOf(key)}:${key}`;
  const translate = (RED as { _?: (key: string, vars?: TextVars) => string })._;
  const translated = translate ? translate(qualified, vars) : undefined;
  if (translated && translated !== qualified && translated !== key) return translated;
  return english(key, vars) ?? key;
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

/** Node-RED's i18next marks variables as `__name__`. */
function english(key: string, vars: TextVars): string | undefined {
  const found = lookup(catalog(catalogOf(key)), key);
  if (typeof found !== 'string') return undefined;
  return found.replace(/__(\w+)__/g, (whole, name: string) => (name in vars ? String(vars[name]) : whole));
}
