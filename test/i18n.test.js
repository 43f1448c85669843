'use strict';
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');

const root = path.join(__dirname, '..');
const nodesDir = path.join(root, 'nodes');
const locales = path.join(nodesDir, 'locales');
const LANGUAGES = ['en-US', 'de'];
const pkg = require('../package.json');
const nodeTypes = Object.keys(pkg['node-red'].nodes);

const read = (...parts) => fs.readFileSync(path.join(...parts), 'utf8');
const catalog = (lang, type) => JSON.parse(read(locales, lang, `${type}.json`));

/** `{a: {b: 'x'}}` -> Map {'a.b' => 'x'} */
function flatten(tree, prefix = '', into = new Map()) {
  for (const [key, value] of Object.entries(tree)) {
    const name = prefix ? `${prefix}.${key}` : key;
    if (value && typeof value === 'object') flatten(value, name, into);
    else into.set(name, value);
  }
  return into;
}

const enKeys = new Map();
for (const type of nodeTypes) for (const [k, v] of flatten(catalog('en-US', type))) enKeys.set(k, v);
const keyExists = (key) => enKeys.has(key.replace(/^[^:]*:/, ''));
const variables = (text) => [...String(text).matchAll(/__(\w+)__/g)].map((m) => m[1]).sort();

/** The visible text of a help file: tags and entities gone, one space between words. */
const visibleText = (html) =>
  html
    .replace(/<[^>]+>/g, ' ')
    .replace(/&[a-z]+;/g, 'x')
    .replace(/\s+/g, ' ');

describe('i18n: message catalogs and help', function () {
  it('has an en-US and a de catalog and help file for every node type in package.json', function () {
    for (const lang of LANGUAGES) {
      for (const type of nodeTypes) {
        for (const file of [`${type}.json`, `${type}.html`]) {
          assert.ok(fs.existsSync(path.join(locales, lang, file)), `${lang}/${file} is missing`);
        }
        assert.deepEqual(
          Object.keys(catalog(lang, type)),
          [type],
          `${lang}/${type}.json has one top key, the type`,
        );
      }
    }
    const extra = (lang) =>
      fs.readdirSync(path.join(locales, lang)).map((f) => f.replace(/\.(json|html)$/, ''));
    for (const lang of LANGUAGES) {
      for (const name of extra(lang)) assert.ok(nodeTypes.includes(name), `${lang}/${name} is no node type`);
    }
  });

  it('has the same keys in en-US and de, each a non-empty text with the same __variables__', function () {
    for (const type of nodeTypes) {
      const en = flatten(catalog('en-US', type));
      const de = flatten(catalog('de', type));
      const missingInDe = [...en.keys()].filter((k) => !de.has(k));
      const missingInEn = [...de.keys()].filter((k) => !en.has(k));
      assert.deepEqual(missingInDe, [], `${type}: en-US keys without de`);
      assert.deepEqual(missingInEn, [], `${type}: de keys without en-US`);
      for (const [key, text] of en) {
        for (const [lang, value] of [
          ['en-US', text],
          ['de', de.get(key)],
        ]) {
          assert.equal(typeof value, 'string', `${lang} ${key} is text`);
          assert.ok(value.trim(), `${lang} ${key} is not empty`);
        }
        assert.deepEqual(variables(de.get(key)), variables(text), `${key}: de uses the same variables`);
      }
    }
  });

  it('has a de twin of every help file, for the same node, with the same sections and properties', function () {
    for (const type of nodeTypes) {
      const en = read(locales, 'en-US', `${type}.html`);
      const de = read(locales, 'de', `${type}.html`);
      for (const [lang, help] of [
        ['en-US', en],
        ['de', de],
      ]) {
        const names = [...help.matchAll(/data-help-name="([^"]+)"/g)].map((m) => m[1]);
        assert.deepEqual(names, [type], `${lang}/${type}.html is the help of ${type}`);
      }
      const shape = (help) => ({
        sections: (help.match(/<h3>/g) || []).length,
        properties: (help.match(/<dt[ >]/g) || []).length,
        types: [...help.matchAll(/<span class="property-type">([^<]*)<\/span>/g)].length,
        links: [...help.matchAll(/<a href="([^"]+)"/g)].map((m) => m[1]),
      });
      assert.deepEqual(shape(de), shape(en), `${type}: de help has the structure of en-US`);
    }
  });

  it('writes help in Node-RED style: a first paragraph for the tooltip, Inputs, Outputs with types, Details, References', function () {
    const sections = {
      'en-US': {
        inputs: 'Inputs',
        outputs: 'Outputs',
        details: 'Details',
        settings: 'Settings',
        refs: 'References',
      },
      de: {
        inputs: 'Eingangsdaten',
        outputs: 'Ausgangsdaten',
        details: 'Details',
        settings: 'Einstellungen',
        refs: 'Referenzen',
      },
    };
    for (const lang of LANGUAGES) {
      const s = sections[lang];
      for (const type of nodeTypes) {
        const help = read(locales, lang, `${type}.html`);
        const body = help.replace(/^\s*<script[^>]*>\s*/, '');
        assert.match(body, /^<p>[^]*?<\/p>/, `${lang}/${type}: starts with a <p> (the palette tooltip)`);
        const tooltip = visibleText(body.match(/^<p>([^]*?)<\/p>/)[1]).trim();
        assert.ok(tooltip.length <= 160, `${lang}/${type}: tooltip is short (${tooltip.length} chars)`);
        const headings = [...help.matchAll(/<h3>([^<]*)<\/h3>/g)].map((m) => m[1]);
        const expected =
          type === 'synology-dsm'
            ? [s.settings, s.details, s.refs]
            : [s.inputs, s.outputs, s.details, s.refs];
        assert.deepEqual(headings, expected, `${lang}/${type}: sections`);
        const outputs = help.slice(
          help.indexOf(`<h3>${s.outputs}</h3>`),
          help.indexOf(`<h3>${s.details}</h3>`),
        );
        if (type !== 'synology-dsm') {
          const dts = outputs.match(/<dt[^>]*>.*?<\/dt>/g) || [];
          assert.ok(dts.length > 0, `${lang}/${type}: outputs name msg properties`);
          for (const dt of dts) assert.match(dt, /property-type/, `${lang}/${type}: output ${dt} has a type`);
        }
        const refs = help.slice(help.indexOf(`<h3>${s.refs}</h3>`));
        assert.match(refs, /<a href="https:\/\//, `${lang}/${type}: references link a document`);
      }
    }
  });

  it('keeps every help line within the sidebar: short property names and types, no long unbroken words', function () {
    // The info sidebar is about 300px wide by default; property names are 14px monospace (~8.5px a
    // character) and never wrap, types are 11px italic (~6px a character) floated right.
    for (const lang of LANGUAGES) {
      for (const type of nodeTypes) {
        const help = read(locales, lang, `${type}.html`);
        for (const [, dt] of help.matchAll(/<dt[^>]*>(.*?)<\/dt>/g)) {
          const typeText = dt.match(/<span class="property-type">([^<]*)<\/span>/)?.[1] ?? '';
          const name = visibleText(dt.replace(/<span class="property-type">[^<]*<\/span>/, '')).trim();
          const width = name.length * 8.5 + typeText.length * 6 + 30;
          assert.ok(width <= 300, `${lang}/${type}: "${name}" + "${typeText}" is ~${width}px wide`);
        }
        assert.doesNotMatch(help, /<pre/, `${lang}/${type}: no <pre> (it does not wrap)`);
        const longWord = visibleText(help)
          .split(' ')
          .find((word) => word.length > 34);
        assert.equal(longWord, undefined, `${lang}/${type}: "${longWord}" does not wrap`);
      }
    }
  });

  it('has every key the editor uses (data-i18n, node._, this._, RED._) in en-US', function () {
    const used = [];
    for (const type of nodeTypes) {
      const html = read(nodesDir, `${type}.html`);
      for (const [, attr] of html.matchAll(/data-i18n="([^"]+)"/g)) {
        for (const part of attr.split(';')) used.push([type, part.replace(/^\[[^\]]+\]/, ''), 'data-i18n']);
      }
      for (const [, call] of html.matchAll(/(?:this|node|RED)\._\(([^;]*?)\)/g)) {
        const literals = [...call.matchAll(/'((?:@[^':]+:)?synology-[^']+)'/g)].map((m) => m[1]);
        assert.ok(literals.length > 0 || /^\w+$/.test(call), `${type}: _(${call}) names its key`);
        for (const literal of literals) {
          if (literal.endsWith('.')) {
            // A key built from the operation: every option of the operation select must have one.
            const options = [...html.matchAll(/<option value="([^"]+)"/g)].map((m) => m[1]);
            const select = html.match(/<select id="node-input-operation"[^]*?<\/select>/);
            const ops = select ? [...select[0].matchAll(/value="([^"]+)"/g)].map((m) => m[1]) : options;
            for (const op of ops) used.push([type, literal + op, '_() + operation']);
          } else used.push([type, literal, '_()']);
        }
      }
    }
    assert.ok(used.length > 100, 'the scan finds the editor keys');
    const missing = used
      .filter(([, key]) => !keyExists(key))
      .map(([type, key, how]) => `${type}: ${key} (${how})`);
    assert.deepEqual(missing, []);
  });

  it('has every status key the runtime uses (t(RED, ...)) in en-US, and a phase text for every progress phase', function () {
    const sources = [];
    const walk = (dir) => {
      for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
        const file = path.join(dir, entry.name);
        if (entry.isDirectory()) walk(file);
        else if (file.endsWith('.ts')) sources.push(file);
      }
    };
    walk(path.join(root, 'src', 'nodes'));
    const used = [];
    for (const file of sources) {
      const code = read(file);
      // The key (or the keys of a `cond ? 'a' : 'b'`) comes before the variables object or the closing paren.
      for (const [, keyPart] of code.matchAll(/\bt\(\s*RED,([^{)]*)/g)) {
        for (const [, key] of keyPart.matchAll(/'(synology-[^']+)'/g))
          used.push(`${path.relative(root, file)}: ${key}`);
      }
      assert.doesNotMatch(code, /\bt\(RED, `/, `${file}: keys are literals, so this test can check them`);
    }
    assert.ok(used.length > 30, 'the scan finds the runtime keys');
    const missing = used.filter((entry) => !keyExists(entry.split(': ')[1]));
    assert.deepEqual(missing, []);

    const phases = new Set();
    const dsmSources = [];
    const walkDsm = (dir) => {
      for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
        const file = path.join(dir, entry.name);
        if (entry.isDirectory()) walkDsm(file);
        else if (file.endsWith('.ts')) dsmSources.push(file);
      }
    };
    walkDsm(path.join(root, 'src', 'dsm'));
    for (const file of dsmSources) {
      for (const [, expr] of read(file).matchAll(/\bphase: ([^,\n]+)/g)) {
        for (const [, phase] of expr.matchAll(/'(\w+)'/g)) phases.add(phase);
      }
    }
    assert.ok(phases.size >= 5, `the scan finds the progress phases (${[...phases]})`);
    for (const phase of phases)
      assert.ok(keyExists(`synology-dsm.phase.${phase}`), `phase ${phase} has a text`);
  });
});

describe('i18n: texts at runtime', function () {
  const { t, PACKAGE_NAME } = require('../dist/nodes/shared/i18n');
  const i18n = require(require.resolve('@node-red/util/lib/i18n', { paths: [require.resolve('node-red')] }));

  let languageBefore;
  before(async function () {
    await i18n.init({ lang: 'en-US' });
    languageBefore = i18n.i.language;
    // Node-RED names a node set's catalog `<module>/<set name>` (registry loader) and reads it from
    // `locales/<lang>/<file of the set>.json`.
    for (const type of nodeTypes) {
      await i18n.registerMessageCatalog(`${pkg.name}/${type}`, locales, `${type}.json`);
    }
    await i18n.i.changeLanguage('en-US');
  });

  after(async function () {
    await i18n.i.changeLanguage(languageBefore || 'en-US');
  });

  const RED = { _: (...args) => i18n._(...args) };

  it('names the catalogs as Node-RED does: after the package and the node types', function () {
    assert.equal(PACKAGE_NAME, pkg.name);
    for (const type of nodeTypes) {
      assert.equal(
        path.basename(pkg['node-red'].nodes[type], '.js'),
        type,
        `${type}: its file is named after it`,
      );
    }
  });

  it('says status texts in the runtime language: English, then German', async function () {
    assert.equal(t(RED, 'synology-dsm.status.connected'), 'connected');
    assert.equal(t(RED, 'synology-file-list.status.selected', { count: 3, total: 7 }), '3 of 7');
    await i18n.i.changeLanguage('de');
    // A runtime whose language is German from the start (each RED keeps its texts for a second).
    const german = { _: (...args) => i18n._(...args) };
    assert.equal(t(german, 'synology-dsm.status.connected'), 'verbunden');
    assert.equal(t(german, 'synology-dsm.status.twoFactor'), '2FA erforderlich');
    assert.equal(t(german, 'synology-file-list.status.selected', { count: 3, total: 7 }), '3 von 7');
    assert.equal(t(german, 'synology-file-upload.status.uploaded', { name: 'a.jpg' }), 'a.jpg hochgeladen');
    for (const key of enKeys.keys()) {
      if (!/\.status\./.test(key)) continue;
      const text = t(german, key);
      assert.ok(!text.startsWith('synology-'), `${key} is said in German, not as a key`);
    }
  });

  it('fills each text with its own values, also texts it has translated before', async function () {
    await i18n.i.changeLanguage('en-US');
    const runtime = { _: (...args) => i18n._(...args) };
    assert.equal(t(runtime, 'synology-file-list.status.selected', { count: 3, total: 7 }), '3 of 7');
    assert.equal(t(runtime, 'synology-file-list.status.selected', { count: 12, total: 40 }), '12 of 40');
    assert.equal(
      t(runtime, 'synology-file-list.status.selected', { count: '$&', total: '__count__' }),
      '$& of __count__',
    );
    assert.equal(t(runtime, 'synology-file-list.status.selected', { count: 1 }), '1 of __total__');
  });

  it('follows a change of the runtime language within a second', async function () {
    await i18n.i.changeLanguage('en-US');
    const runtime = { _: (...args) => i18n._(...args) };
    assert.equal(t(runtime, 'synology-dsm.status.connected'), 'connected');
    await i18n.i.changeLanguage('de');
    try {
      await new Promise((resolve) => setTimeout(resolve, 1050));
      assert.equal(t(runtime, 'synology-dsm.status.connected'), 'verbunden');
    } finally {
      await i18n.i.changeLanguage('en-US');
    }
  });

  it('falls back to the en-US text, never a raw key, where no catalog answers', function () {
    const identity = { _: (key) => key };
    assert.equal(t(identity, 'synology-dsm.status.twoFactor'), '2FA required');
    assert.equal(
      t(identity, 'synology-file-op.status.doneDryRun', { operation: 'delete' }),
      'delete ok (dry run)',
    );
    assert.equal(t({}, 'synology-cloudsync.status.pausedAll'), 'paused all');
  });
});

describe('i18n: icons', function () {
  const icons = path.join(nodesDir, 'icons');

  it('has an icon for each family (files, downloads, Cloud Sync, watch, health), white on transparent, 2:3', function () {
    const used = nodeTypes.flatMap((type) =>
      [...read(nodesDir, `${type}.html`).matchAll(/icon: '([^']+)'/g)].map((m) => m[1]),
    );
    const files = ['files.svg', 'downloads.svg', 'cloudsync.svg', 'watch.svg', 'health.svg'];
    for (const icon of new Set([...used, ...files])) {
      assert.ok(fs.existsSync(path.join(icons, icon)), `${icon} exists`);
      const svg = read(icons, icon);
      assert.match(svg, /viewBox="0 0 40 60"/, `${icon}: 40 x 60`);
      const paints = [...svg.matchAll(/(?:fill|stroke)="([^"]+)"/g)].map((m) => m[1].toLowerCase());
      assert.ok(paints.length > 0, `${icon} paints something`);
      for (const paint of paints)
        assert.ok(['#fff', '#ffffff', 'white', 'none'].includes(paint), `${icon}: ${paint}`);
      assert.doesNotMatch(
        svg,
        /style=|<image|<rect[^>]*fill="#/,
        `${icon}: no background, no embedded image`,
      );
    }
    for (const [type, icon] of [
      ['synology-file-list', 'files.svg'],
      ['synology-file-upload', 'files.svg'],
      ['synology-file-download', 'files.svg'],
      ['synology-file-op', 'files.svg'],
      ['synology-download-create', 'downloads.svg'],
      ['synology-download-task', 'downloads.svg'],
      ['synology-cloudsync', 'cloudsync.svg'],
      ['synology-watch', 'watch.svg'],
      ['synology-health', 'health.svg'],
    ]) {
      assert.match(read(nodesDir, `${type}.html`), new RegExp(`icon: '${icon}'`), `${type} uses ${icon}`);
    }
  });
});
