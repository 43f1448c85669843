'use strict';
const assert = require('node:assert/strict');

/** Logs the demo account in on a DSM 7 simulator (entry.cgi, SYNO.API.Auth v7); resolves with the sid. */
async function demoSid(sim) {
  const url = new URL('/webapi/entry.cgi', sim.url);
  url.search = new URLSearchParams({
    api: 'SYNO.API.Auth',
    version: '7',
    method: 'login',
    account: 'demo',
    passwd: 'synology',
    format: 'sid',
  }).toString();
  const body = await (await fetch(url)).json();
  assert.equal(body.success, true, JSON.stringify(body));
  return body.data.sid;
}

module.exports = { demoSid };
