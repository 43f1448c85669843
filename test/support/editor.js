'use strict';
// A real Node-RED (editor and runtime) with this package installed (scripts/lib/node-red.js), and Debian's Chromium
// driven by Playwright: for the browser test.
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { startNodeRed: startLocalNodeRed } = require('../../scripts/lib/node-red');

const CHROMIUM = '/usr/bin/chromium';
/** Headless Chromium on a machine with a closed network: nothing of its own calls out (env/machines/node.md). */
const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Starts Node-RED on a free port with an empty flow; resolves once the editor is served. */
async function startNodeRed() {
  const nodeRed = await startLocalNodeRed({ prefix: 'synoflow-editor-' });
  return { ...nodeRed, url: `${nodeRed.url}/` };
}

/**
 * Debian's Chromium through playwright-core, which never downloads a browser. Fails loudly when Chromium is
 * missing: `.ci/run` installs it (apt-get install chromium).
 */
async function launchChromium() {
  if (!fs.existsSync(CHROMIUM)) {
    throw new Error(
      `${CHROMIUM} is missing: install Debian's Chromium (apt-get install -y chromium); .ci/run does this`,
    );
  }
  const { chromium } = require('playwright-core');
  // A new, empty profile for every run.
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'synoflow-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_FLAGS,
    viewport: { width: 1440, height: 1000 },
  });
  return {
    context,
    async close() {
      await context.close();
      fs.rmSync(profile, { recursive: true, force: true });
    },
  };
}

module.exports = { startNodeRed, launchChromium };
