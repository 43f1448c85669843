'use strict';
const assert = require('node:assert/strict');

/**
 * Logs the demo account in; resolves with the sid. DSM 7 by default (entry.cgi, SYNO.API.Auth v7); DSM 6 takes
 * `{ cgi: 'auth.cgi', version: '6' }`.
 */
async function demoSid(sim, { cgi = 'entry.cgi', version = '7' } = {}) {
  const url = new URL(`/webapi/${cgi}`, sim.url);
  url.search = new URLSearchParams({
    api: 'SYNO.API.Auth',
    version,
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
