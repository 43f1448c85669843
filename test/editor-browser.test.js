'use strict';
/* global RED, document -- the page.evaluate and waitForFunction callbacks run in the editor page */
// The editor in a real browser: Debian's Chromium driven by playwright-core against a real Node-RED and the DSM
// simulator over HTTPS with a self-signed certificate. Screenshots of each step go to test/artifacts/.
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { X509Certificate } = require('node:crypto');
const { startSimulator, demo, otherTls } = require('./support/sim');
const { startNodeRed, launchChromium } = require('./support/editor');

// One folder per Node-RED: CI runs this under Node-RED 4 and 5.
const NODE_RED_VERSION = require(
  process.env.NODE_RED_PATH
    ? path.resolve(path.dirname(process.env.NODE_RED_PATH), '..', 'package.json')
    : 'node-red/package.json',
).version;
const ARTIFACTS = path.join(__dirname, 'artifacts', `node-red-${NODE_RED_VERSION}`);
const SYNOLOGY_NODES = Object.keys(require('../package.json')['node-red'].nodes).filter(
  (type) => type !== 'synology-dsm',
);

describe('the editor in Chromium (drag, configure, pin, browse, deploy, inject)', function () {
  this.timeout(120000);
  let sim;
  let nodeRed;
  let browser;
  let page;
  const problems = [];
  const ids = {};

  before(async function () {
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    sim = await startSimulator({ port: 0, tls: otherTls() });
    fs.mkdirSync(path.join(sim.dataDir, 'home', 'camera'), { recursive: true });
    fs.writeFileSync(path.join(sim.dataDir, 'home', 'camera', 'snapshot-1.jpg'), Buffer.alloc(1024));
    for (const folder of ['documents', 'backups']) fs.mkdirSync(path.join(sim.dataDir, 'home', folder));
    nodeRed = await startNodeRed();
    browser = await launchChromium();
    page = await browser.context.newPage();
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(`console: ${m.text()}`);
    });
    page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
    page.on('response', async (res) => {
      if (res.status() >= 400)
        problems.push(`HTTP ${res.status()} ${res.url()}: ${await res.text().catch(() => '')}`);
    });
    page.setDefaultTimeout(15000);
    await page.goto(nodeRed.url);
    await page.waitForSelector('.red-ui-palette-node[data-palette-type="synology-file-list"]');
  });

  // A failed step leaves its dialog open: close it so that the next step starts on the workspace.
  afterEach(async function () {
    if (this.currentTest.state === 'passed' || !page) return;
    await shot(`failed-${this.currentTest.title.replace(/\W+/g, '-').slice(0, 60)}`);
    await page.keyboard.press('Escape');
    for (const cancel of ['#node-config-dialog-cancel', '#node-dialog-cancel']) {
      const button = page.locator(cancel);
      if (await button.isVisible()) await button.click();
    }
  });

  after(async function () {
    console.log(`      screenshots: ${path.relative(process.cwd(), ARTIFACTS)}`);
    if (browser) await browser.close();
    if (nodeRed) await nodeRed.stop();
    if (sim) await sim.close();
  });

  const shot = (name, locator) =>
    (locator ?? page).screenshot({ path: path.join(ARTIFACTS, `editor-${name}.png`) });
  const nodeOf = (id) => page.locator(`[id="${id}"]`);

  /** Drags a palette entry onto the workspace at (x, y) of the canvas; returns the new node's id. */
  async function dragFromPalette(type, x, y) {
    await page.fill('#red-ui-palette-search input', type);
    const item = page.locator(`.red-ui-palette-node[data-palette-type="${type}"]`);
    await item.scrollIntoViewIfNeeded();
    const from = await item.boundingBox();
    const chart = await page.locator('#red-ui-workspace-chart').boundingBox();
    await page.mouse.move(from.x + from.width / 2, from.y + from.height / 2);
    await page.mouse.down();
    await page.mouse.move(chart.x + x, chart.y + y, { steps: 12 });
    await page.mouse.up();
    const found = await page.evaluate((t) => RED.nodes.filterNodes({ type: t }).map((n) => n.id), type);
    assert.equal(found.length, 1, `one ${type} on the workspace`);
    return found[0];
  }

  /** Wires an output port to an input port by dragging, as a user does. */
  async function wire(fromId, toId) {
    const out = await nodeOf(fromId).locator('.red-ui-flow-port-output .red-ui-flow-port').boundingBox();
    const into = await nodeOf(toId).locator('.red-ui-flow-port-input .red-ui-flow-port').boundingBox();
    await page.mouse.move(out.x + out.width / 2, out.y + out.height / 2);
    await page.mouse.down();
    await page.mouse.move(into.x + into.width / 2, into.y + into.height / 2, { steps: 12 });
    await page.mouse.up();
    const linked = await page.evaluate(
      ([a, b]) => RED.nodes.filterLinks({ source: { id: a }, target: { id: b } }).length,
      [fromId, toId],
    );
    assert.equal(linked, 1, `${fromId} wired to ${toId}`);
  }

  async function openEditor(id) {
    await nodeOf(id).locator('.red-ui-flow-node').dblclick();
    await page.waitForSelector('#node-dialog-ok', { state: 'visible' });
    await settled('.red-ui-tray');
  }

  /** Waits until an element has stopped moving (the editor tray slides in). */
  async function settled(selector) {
    let last;
    for (;;) {
      const box = JSON.stringify(await page.locator(selector).last().boundingBox());
      if (box === last) return;
      last = box;
      await page.waitForTimeout(150);
    }
  }

  async function closeEditor() {
    await page.click('#node-dialog-ok');
    await page.waitForSelector('#node-dialog-ok', { state: 'detached' });
  }

  async function deploy() {
    await page.click('#red-ui-header-button-deploy');
    const confirm = page.locator('#red-ui-deploy-dialog-confirm-deploy-deploy');
    // Nodes left unconfigured on purpose (dragged only) make Node-RED ask once.
    await Promise.race([
      confirm.waitFor({ state: 'visible' }).then(() => confirm.click()),
      page.waitForSelector('#red-ui-header-button-deploy.disabled', { state: 'attached' }),
    ]);
    await page.waitForSelector('#red-ui-header-button-deploy.disabled', { state: 'attached' });
    // "Successfully deployed" would cover the next pictures.
    await page.waitForSelector('.red-ui-notification', { state: 'detached' });
  }

  /** The visible parts of a typedInput: typedInput hides the original input and adds its own after it. */
  const typed = (id) => page.locator(`#${id} + .red-ui-typedInput-container`);
  const typedText = (id) => typed(id).locator('.red-ui-typedInput-input');

  /** Types into a typedInput's text and returns the autocomplete entries it offers. */
  async function completions(id, text) {
    const input = typedText(id);
    await input.fill('');
    // An empty field offers everything on a key that types nothing.
    if (text) await input.pressSequentially(text, { delay: 20 });
    else await input.press('ArrowDown');
    const menu = page.locator('.red-ui-autoComplete-container');
    await menu.waitFor({ state: 'visible' });
    // The menu follows each key typed: wait until it shows the answer for the whole text.
    await page.waitForFunction(
      (typedText) =>
        [...document.querySelectorAll('.red-ui-autoComplete-container li')].every((li) =>
          li.innerText.toLowerCase().includes(typedText.toLowerCase()),
        ),
      text,
    );
    return menu.locator('li').allInnerTexts();
  }

  async function chooseServer() {
    await page.selectOption('#node-input-server', ids.dsm);
  }

  it('lists every Synology node in the palette', async function () {
    const types = await page.$$eval('.red-ui-palette-node', (els) =>
      els.map((e) => e.getAttribute('data-palette-type')).filter((t) => /^synology-/.test(t)),
    );
    assert.deepEqual(types.sort(), [...SYNOLOGY_NODES].sort());
  });

  it('drags each node from the palette onto the workspace and wires inject → file list → debug', async function () {
    ids.inject = await dragFromPalette('inject', 120, 80);
    ids['synology-file-list'] = await dragFromPalette('synology-file-list', 340, 80);
    ids.debug = await dragFromPalette('debug', 580, 80);
    let x = 120;
    let y = 180;
    for (const type of SYNOLOGY_NODES.filter((t) => t !== 'synology-file-list')) {
      ids[type] = await dragFromPalette(type, x, y);
      x += 230;
      if (x > 700) {
        x = 120;
        y += 80;
      }
    }
    await page.fill('#red-ui-palette-search input', '');
    await wire(ids.inject, ids['synology-file-list']);
    await wire(ids['synology-file-list'], ids.debug);
    await page.mouse.click(20, 860);
    await shot('workspace');
  });

  it('configures synology-dsm against the simulator: Test connection shows the self-signed certificate to pin', async function () {
    await openEditor(ids['synology-file-list']);
    await page.click('#node-input-btn-server-add, #node-input-lookup-server');
    await page.waitForSelector('#node-config-input-host', { state: 'visible' });
    const port = new URL(sim.url).port;
    await page.fill('#node-config-input-name', 'simulator');
    await page.fill('#node-config-input-host', '127.0.0.1');
    await page.selectOption('#node-config-input-protocol', 'https');
    await page.fill('#node-config-input-port', port);
    await page.fill('#node-config-input-username', demo.username);
    await page.fill('#node-config-input-password', demo.password);
    await page.selectOption('#node-config-input-tlsMode', 'verify');

    await page.click('#node-config-synology-test');
    const cert = page.locator('#node-config-synology-cert');
    await cert.waitFor({ state: 'visible' });
    const expected = new X509Certificate(otherTls().cert).fingerprint256;
    assert.equal(await cert.locator('.synology-cert-fingerprint').innerText(), expected);
    assert.match(await cert.locator('.synology-cert-subject').innerText(), /CN=localhost/);
    assert.match(await cert.locator('.synology-cert-issuer').innerText(), /self-signed/);
    // The whole fingerprint is on screen, wrapped inside the dialog, not cut off.
    const box = await cert.locator('.synology-cert-fingerprint').boundingBox();
    const tray = await page.locator('.red-ui-tray').last().boundingBox();
    assert.ok(box.x + box.width <= tray.x + tray.width, 'fingerprint inside the dialog');
    assert.match(
      await page.locator('#node-config-synology-test-result').innerText(),
      /certificate was rejected \(DEPTH_ZERO_SELF_SIGNED_CERT\)/,
    );
    await page.locator('#node-config-synology-test').evaluate((el) => el.scrollIntoView({ block: 'start' }));
    await shot('certificate', page.locator('.red-ui-tray').last());

    // A field change makes the result stale.
    await page.fill('#node-config-input-timeout', '20');
    assert.equal(await cert.isVisible(), false);
    assert.equal(await page.locator('#node-config-synology-test-result').innerText(), '');
    await page.click('#node-config-synology-test');
    await cert.waitFor({ state: 'visible' });

    await page.click('#node-config-synology-pin');
    assert.equal(await page.inputValue('#node-config-input-tlsMode'), 'fingerprint');
    assert.equal(await page.inputValue('#node-config-input-fingerprint'), expected);
    await page.click('#node-config-synology-test');
    await page.waitForFunction(() =>
      /Connected/.test(document.getElementById('node-config-synology-test-result').textContent),
    );
    await shot('connection', page.locator('.red-ui-tray').last());
    await page.click('#node-config-dialog-ok');
    await page.waitForSelector('#node-config-input-host', { state: 'detached' });
    ids.dsm = await page.evaluate(() => {
      let id;
      RED.nodes.eachConfig((n) => {
        if (n.type === 'synology-dsm') id = n.id;
      });
      return id;
    });
    assert.ok(ids.dsm);
    await closeEditor();
  });

  it('deploys, then browses a NAS folder with the folder picker and the path autocomplete', async function () {
    await deploy();
    await openEditor(ids['synology-file-list']);
    assert.deepEqual(await completions('node-input-path', '/ho'), ['/home/']);
    await page.keyboard.press('Escape');
    await typedText('node-input-path').fill('/home');

    await typed('node-input-path').locator('.red-ui-typedInput-option-expand').click();
    const picker = page.locator('.synology-picker');
    // It opens where the field points: /home, folders only.
    await picker.locator('.synology-picker-row', { hasText: 'camera' }).waitFor();
    assert.equal(await picker.locator('.synology-picker-path').innerText(), '/home');
    assert.deepEqual(await picker.locator('.synology-picker-row').allInnerTexts(), [
      ' ..',
      ' backups',
      ' camera',
      ' documents',
    ]);
    await shot('folder-picker', page.locator('.red-ui-tray').last());
    await picker.locator('.synology-picker-row', { hasText: 'camera' }).click();
    await picker
      .locator('.synology-picker-row', { hasText: 'snapshot-1.jpg' })
      .waitFor({ state: 'detached' });
    assert.equal(await picker.locator('.synology-picker-path').innerText(), '/home/camera');
    await picker.locator('.synology-picker-select').click();
    assert.equal(await page.inputValue('#node-input-path'), '/home/camera');
    await closeEditor();
  });

  it('autocompletes API names and methods, download destinations and Cloud Sync connections', async function () {
    await openEditor(ids['synology-api']);
    await chooseServer();
    const apis = await completions('node-input-api', 'FileStation.Li');
    assert.ok(
      apis.some((a) => a.startsWith('SYNO.FileStation.List')),
      apis.join(),
    );
    await page.keyboard.press('Escape');
    await typedText('node-input-api').fill('SYNO.FileStation.List');
    assert.deepEqual(await completions('node-input-method', 'li'), ['list_share', 'list']);
    await shot('api-methods', page.locator('.red-ui-tray').last());
    await page.keyboard.press('Escape');
    await typedText('node-input-method').fill('list_share');
    await closeEditor();

    await openEditor(ids['synology-download-create']);
    await chooseServer();
    const destinations = await completions('node-input-destination', 'down');
    assert.deepEqual(destinations, ['downloads (default)']);
    await shot('download-destination', page.locator('.red-ui-tray').last());
    await page.keyboard.press('Escape');
    await closeEditor();

    await openEditor(ids['synology-cloudsync']);
    await chooseServer();
    await page.selectOption('#node-input-operation', 'tasks');
    const connections = await completions('node-input-connection', '');
    const listed = await fetch(`${nodeRed.url}synology-dsm/${ids.dsm}/cloudsync-connections`).then((r) =>
      r.json(),
    );
    assert.equal(listed.connections.length, 1);
    assert.equal(connections[0], 'all');
    assert.ok(connections[1].startsWith(`${listed.connections[0].name} · `), connections.join());
    await shot('cloudsync-connection', page.locator('.red-ui-tray').last());
    await page.keyboard.press('Escape');
    await closeEditor();
  });

  it('shows each remaining dialog', async function () {
    for (const type of [
      'synology-file-upload',
      'synology-file-download',
      'synology-file-op',
      'synology-download-task',
      'synology-watch',
      'synology-health',
    ]) {
      await openEditor(ids[type]);
      await chooseServer();
      await shot(type.replace(/^synology-/, ''), page.locator('.red-ui-tray').last());
      await closeEditor();
    }
  });

  it('deploys, injects, and shows the listing in the debug sidebar', async function () {
    await deploy();
    await page.evaluate(() => RED.sidebar.show('debug'));
    await nodeOf(ids.inject).locator('.red-ui-flow-node-button').click();
    // The listing from "debug 1" (other msgs may be there too: a node's own error).
    const message = page.locator('.red-ui-debug-msg', { hasText: 'msg.payload : array' }).first();
    await message.waitFor();
    // array[1] → 0: object → its fields.
    await message.locator('.red-ui-debug-msg-object-handle').first().click();
    await message.locator('.red-ui-debug-msg-object-handle').nth(1).click();
    await page.locator('.red-ui-debug-msg', { hasText: 'snapshot-1.jpg' }).first().waitFor();
    await shot('debug');
  });

  it('logged no console error', function () {
    assert.deepEqual(problems, []);
  });
});
