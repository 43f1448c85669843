'use strict';
// The boxes Node-RED's editor draws for the nodes of a flow, roughly: enough to tell two nodes that overlap.
// Sizes as in Node-RED's view.js: at least 100 x 30 px, the width rounded up to the 20 px grid from the label's
// width plus 50 px (icon and padding) plus 7 px with an input port, the height 15 px per output from 3 outputs on.
// Labels use 14px Helvetica/Arial; the widths below are Arial's advance widths (per 1000 units of the font size).
const fs = require('node:fs');
const path = require('node:path');
const vm = require('node:vm');

const ROOT = path.join(__dirname, '..', '..');
const FONT_SIZE = 14;
// prettier-ignore
const ARIAL = {
  ' ': 278, '!': 278, '"': 355, '#': 556, $: 556, '%': 889, '&': 667, "'": 191, '(': 333, ')': 333, '*': 389,
  '+': 584, ',': 278, '-': 333, '.': 278, '/': 278, ':': 278, ';': 278, '<': 584, '=': 584, '>': 584, '?': 556,
  '@': 1015, '[': 278, '\\': 278, ']': 278, _: 556, '{': 334, '|': 260, '}': 334, '~': 584,
  A: 667, B: 667, C: 722, D: 722, E: 667, F: 611, G: 778, H: 722, I: 278, J: 500, K: 667, L: 556, M: 833, N: 722,
  O: 778, P: 667, Q: 778, R: 722, S: 667, T: 611, U: 722, V: 667, W: 944, X: 667, Y: 667, Z: 611,
  a: 556, b: 556, c: 500, d: 556, e: 556, f: 278, g: 556, h: 556, i: 222, j: 222, k: 500, l: 222, m: 833, n: 556,
  o: 556, p: 556, q: 556, r: 333, s: 500, t: 278, u: 556, v: 500, w: 722, x: 500, y: 500, z: 500,
};
/** Digits are 556; anything else (arrows, accents) is counted as wide as an M, to err on the side of overlap. */
const charWidth = (c) => (/[0-9]/.test(c) ? 556 : (ARIAL[c] ?? 833));
const textWidth = (text) => ([...text].reduce((sum, c) => sum + charWidth(c), 0) * FONT_SIZE) / 1000;

/** What Node-RED's core nodes show when they have no name (close enough for their width). */
const CORE_LABELS = {
  inject: (n) => (n.repeat || n.crontab ? 'timestamp ↻' : 'timestamp'),
  debug: (n) => (n.complete === 'true' ? 'msg' : `msg.${n.complete || 'payload'}`),
  catch: (n) => (n.scope ? `catch: ${n.scope.length}` : 'catch: all'),
  status: (n) => (n.scope ? `status: ${n.scope.length}` : 'status: all'),
  'http in': (n) => `[${n.method}] ${n.url}`,
  'http request': () => 'http request',
  'http response': (n) => `http${n.statusCode ? ` (${n.statusCode})` : ''}`,
  comment: () => 'comment',
  feedparse: (n) => n.url || 'feedparse',
};
/** Core node types without an input port (the others have one). */
const NO_INPUT = new Set([
  'inject',
  'catch',
  'status',
  'http in',
  'comment',
  'link in',
  'complete',
  'feedparse',
]);

/** The editor definitions of our node types (label, outputs, category), from the HTML files. */
function ourDefinitions() {
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
  const defs = {};
  const messages = {};
  for (const file of Object.values(pkg['node-red'].nodes)) {
    const locale = path.join(ROOT, 'nodes', 'locales', 'en-US', path.basename(file, '.js') + '.json');
    if (fs.existsSync(locale)) Object.assign(messages, JSON.parse(fs.readFileSync(locale, 'utf8')));
  }
  const translate = (key) => {
    const found = String(key)
      .replace(/^[^:]*:/, '')
      .split('.')
      .reduce((at, part) => (at && typeof at === 'object' ? at[part] : undefined), messages);
    return typeof found === 'string' ? found : String(key);
  };
  const jquery = () => new Proxy(function () {}, { get: () => jquery, apply: () => jquery() });
  for (const file of Object.values(pkg['node-red'].nodes)) {
    const html = fs.readFileSync(path.join(ROOT, file.replace(/\.js$/, '.html')), 'utf8');
    const scripts = [...html.matchAll(/<script type="text\/javascript">([\s\S]*?)<\/script>/g)].map(
      (m) => m[1],
    );
    const RED = {
      _: translate,
      nodes: { registerType: (type, def) => (defs[type] = def) },
      settings: {},
      editor: {},
      validators: { number: () => () => true, regex: () => () => true, typedInput: () => () => true },
      utils: {},
    };
    for (const script of scripts)
      vm.runInNewContext(script, { RED, $: jquery(), jQuery: jquery(), window: {} });
  }
  return { defs, translate };
}

/** The label Node-RED shows for a node of a flow. */
function labelOf(node, ours) {
  const def = ours.defs[node.type];
  if (def) {
    const label =
      typeof def.label === 'function' ? def.label.call({ ...node, _: ours.translate }) : def.label;
    return String(label ?? node.type);
  }
  if (node.name) return node.name;
  return (CORE_LABELS[node.type] ?? (() => node.type))(node);
}

/** The box (centre x/y, width, height) of every node on a tab. */
function boxes(flowNodes, ours) {
  return flowNodes
    .filter((n) => typeof n.x === 'number' && typeof n.y === 'number')
    .map((n) => {
      const def = ours.defs[n.type];
      const inputs = def ? (def.inputs ?? 0) : NO_INPUT.has(n.type) ? 0 : 1;
      const outputs = def ? (n.outputs ?? def.outputs ?? 0) : (n.wires?.length ?? 0);
      const lines = labelOf(n, ours).split('\\n');
      const labelWidth = Math.max(...lines.map(textWidth));
      const w = Math.max(100, 20 * Math.ceil((labelWidth + 50 + (inputs > 0 ? 7 : 0)) / 20));
      const h = Math.max(30, outputs * 15, lines.length * 24 + 6);
      return { id: n.id, type: n.type, label: lines.join(' '), x: n.x, y: n.y, w, h };
    });
}

/** Pairs of boxes closer than `gap` px (ports stick out 5 px on each side; a gap of 10 px keeps them apart). */
function overlaps(list, gap = 10) {
  const found = [];
  for (let i = 0; i < list.length; i++) {
    for (let j = i + 1; j < list.length; j++) {
      const a = list[i];
      const b = list[j];
      const apartX = Math.abs(a.x - b.x) >= (a.w + b.w) / 2 + gap;
      const apartY = Math.abs(a.y - b.y) >= (a.h + b.h) / 2 + 2;
      if (!apartX && !apartY) found.push([a, b]);
    }
  }
  return found;
}

module.exports = { ourDefinitions, labelOf, boxes, overlaps, textWidth };
