'use strict';
// Paging through File Station listings: every entry once, and changes between pages seen (the simulator keeps a
// sorted listing between pages instead of reading the folder again for each one).
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { startSimulator } = require('..');
const { demoSid: login } = require('./support/login');

const json = (value) => JSON.stringify(value);

async function call(sim, sid, api, method, params = {}) {
  const url = new URL('/webapi/entry.cgi', sim.url);
  url.search = new URLSearchParams({ api, version: '2', method, ...params, _sid: sid }).toString();
  const body = await (await fetch(url)).json();
  assert.equal(body.success, true, JSON.stringify(body));
  return body.data;
}

describe('DSM simulator: paging through listings', function () {
  let sim;
  let sid;
  const dir = (name) => path.join(sim.dataDir, 'home', name);
  const list = (folder, offset, limit, extra = {}) =>
    call(sim, sid, 'SYNO.FileStation.List', 'list', { folder_path: folder, offset, limit, ...extra });
  const names = (page) => page.files.map((file) => file.name);
  /** A folder /home/<name> with `count` empty files f0000.txt... */
  function folderOf(name, count) {
    fs.mkdirSync(dir(name));
    for (let i = 0; i < count; i += 1)
      fs.writeFileSync(path.join(dir(name), `f${String(i).padStart(5, '0')}.txt`), '');
    return `/home/${name}`;
  }
  async function pages(folder, limit, extra) {
    const all = [];
    for (let offset = 0; ; offset += limit) {
      const page = await list(folder, offset, limit, extra);
      all.push(...names(page));
      if (offset + limit >= page.total) return all;
    }
  }

  before(async function () {
    this.timeout(60000);
    sim = await startSimulator({});
    // Made before any connection is open: writing 20,000 files can outlast the server's keep-alive, and a reused
    // socket closed by the server at that moment resets the next request.
    folderOf('big', 20000);
    sid = await login(sim);
  });
  after(async function () {
    await sim.close();
  });

  it('pages through 20,000 files: every entry once, in order', async function () {
    this.timeout(60000);
    const folder = '/home/big';
    const listed = await pages(folder, 1000);
    assert.equal(listed.length, 20000);
    assert.equal(new Set(listed).size, 20000);
    assert.deepEqual(listed, [...listed].sort());
    // Sorted the other way by the next paging: a listing per sort order, not the last one's.
    const backwards = await pages(folder, 1000, { sort_direction: 'desc' });
    assert.deepEqual(backwards, [...listed].reverse());
  });

  it('a new listing sees a file added right after the previous one', async function () {
    const folder = folderOf('added', 20);
    const first = await list(folder, 0, 5);
    assert.equal(first.total, 20);
    fs.writeFileSync(path.join(dir('added'), 'a-new.txt'), '');
    const again = await list(folder, 0, 5);
    assert.equal(again.total, 21);
    assert.equal(names(again)[0], 'a-new.txt');
  });

  it('a file deleted between pages is not listed by the later pages; the others are, once', async function () {
    const folder = folderOf('deleted', 20);
    const all = names(await list(folder, 0, 0));
    const first = await list(folder, 0, 5);
    fs.rmSync(path.join(dir('deleted'), 'f00012.txt'));
    const rest = [];
    for (let offset = 5; offset < 20; offset += 5) rest.push(...names(await list(folder, offset, 5)));
    const listed = [...names(first), ...rest];
    assert.ok(!listed.includes('f00012.txt'), listed.join());
    assert.deepEqual(
      listed,
      all.filter((name) => name !== 'f00012.txt'),
    );
  });

  it('a file changed in place between pages shows its new size on the later page', async function () {
    const folder = folderOf('changed', 20);
    await list(folder, 0, 5, { additional: json(['size']) });
    fs.writeFileSync(path.join(dir('changed'), 'f00007.txt'), 'x'.repeat(100));
    const second = await list(folder, 5, 5, { additional: json(['size']) });
    const changed = second.files.find((file) => file.name === 'f00007.txt');
    assert.equal(changed.additional.size, 100);
  });

  it('a pattern or file type between pages lists what they select', async function () {
    const folder = folderOf('filtered', 20);
    fs.mkdirSync(path.join(dir('filtered'), 'sub'));
    await list(folder, 0, 5);
    const dirs = await list(folder, 0, 5, { filetype: 'dir' });
    assert.deepEqual(names(dirs), ['sub']);
    const some = await list(folder, 0, 0, { pattern: 'f0001*' });
    assert.equal(some.total, 10);
  });

  it('search results page once each, whatever the sort between pages', async function () {
    this.timeout(20000);
    folderOf('found', 30);
    const { taskid } = await call(sim, sid, 'SYNO.FileStation.Search', 'start', {
      folder_path: json(['/home/found']),
      pattern: 'f',
    });
    let answer;
    do {
      answer = await call(sim, sid, 'SYNO.FileStation.Search', 'list', { taskid: json(taskid), limit: -1 });
    } while (!answer.finished);
    const page = (offset, extra = {}) =>
      call(sim, sid, 'SYNO.FileStation.Search', 'list', {
        taskid: json(taskid),
        offset,
        limit: 10,
        ...extra,
      });
    const asc = [];
    for (let offset = 0; offset < 30; offset += 10) asc.push(...names(await page(offset)));
    assert.equal(new Set(asc).size, 30);
    assert.deepEqual(asc, [...asc].sort());
    assert.deepEqual(names(await page(0, { sort_direction: 'desc' })), [...asc].reverse().slice(0, 10));
    // A rename that keeps the search in step (search_taskid) shows on the next page asked for.
    await call(sim, sid, 'SYNO.FileStation.Rename', 'rename', {
      path: json(['/home/found/f00025.txt']),
      name: json(['renamed.txt']),
      search_taskid: taskid,
    });
    const last = names(await page(20));
    assert.ok(last.includes('renamed.txt') && !last.includes('f00025.txt'), last.join());
  });
});
