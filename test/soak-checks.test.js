'use strict';
// The soak's NAS-side checks (scripts/soak/checks.js) on crafted records: each must fail on what it is there to
// catch, not only pass on a clean run.
const assert = require('node:assert/strict');
const {
  countApplied,
  appliedTwice,
  nasEffects,
  watchCheck,
  watchErrors,
  msgIdsOf,
} = require('../scripts/soak/checks');

const NON_IDEMPOTENT = ['upload', 'move', 'delete', 'download-create'];

function entry(api, method, params, extra = {}) {
  return { api, method, params, performed: true, ...extra };
}

describe('soak checks', function () {
  describe('non-idempotent operations run twice (request log)', function () {
    const sent = new Map([
      ['m1', { kind: 'upload' }],
      ['m3', { kind: 'move' }],
      ['m4', { kind: 'delete' }],
      ['m5', { kind: 'download-create' }],
      ['m6', { kind: 'list' }],
    ]);
    const upload = (extra) =>
      entry('SYNO.FileStation.Upload', 'upload', { path: '/home/soak/up' }, { files: ['m1.txt'], ...extra });
    const move = (extra) =>
      entry(
        'SYNO.FileStation.CopyMove',
        'start',
        { path: '["/home/soak/mv/m3.txt"]', dest_folder_path: '/home/soak/moved' },
        extra,
      );
    const del = (extra) =>
      entry('SYNO.FileStation.Delete', 'start', { path: '/home/soak/del/m4.txt' }, extra);
    const create = (extra) =>
      entry(
        'SYNO.DownloadStation2.Task',
        'create',
        { url: '["https://downloads.example.com/soak/m5.iso"]' },
        extra,
      );
    const ok = new Map([...sent.keys()].map((id) => [id, [{ ok: true }]]));

    it('finds the msg id in paths, links and file parts', function () {
      assert.deepEqual([...msgIdsOf(upload())], ['m1']);
      assert.deepEqual([...msgIdsOf(move())], ['m3']);
      assert.deepEqual([...msgIdsOf(create())], ['m5']);
      assert.deepEqual(
        [...msgIdsOf(entry('SYNO.DownloadStation.Task', 'create', { uri: 'https://x/soak/m15.iso' }))],
        ['m15'],
      );
    });

    it('passes one run each, not counting requests refused before the method ran', function () {
      const log = [
        upload({ performed: undefined, errorCode: 119 }),
        upload(),
        move(),
        del(),
        create(),
        entry('SYNO.FileStation.List', 'list', { folder_path: '/home/soak/listing' }),
      ];
      const applied = countApplied(log, new Map());
      const r = appliedTwice({ sent, results: ok, applied, nonIdempotent: NON_IDEMPOTENT, nasTaskLinks: [] });
      assert.deepEqual([r.checked, r.twice, r.unseen], [4, [], []]);
    });

    it('fails a retried upload, move, delete or create, even one that failed on its first run', function () {
      for (const request of [upload, move, del, create]) {
        const log = [upload(), move(), del(), create(), request({ errorCode: 1805 })];
        const applied = countApplied(log, new Map());
        const r = appliedTwice({
          sent,
          results: ok,
          applied,
          nonIdempotent: NON_IDEMPOTENT,
          nasTaskLinks: [],
        });
        assert.equal(r.twice.length, 1, request.name);
      }
    });

    it('fails an output whose operation the log never saw run, and two tasks for one link', function () {
      const applied = countApplied([upload(), move(), del()], new Map());
      const r = appliedTwice({
        sent,
        results: ok,
        applied,
        nonIdempotent: NON_IDEMPOTENT,
        nasTaskLinks: ['https://x/m9.iso', 'https://x/m9.iso'],
      });
      assert.deepEqual(r.unseen, [{ id: 'm5', kind: 'download-create' }]);
      assert.equal(r.twice.length, 1);
    });
  });

  describe('what is on the NAS against the outcomes', function () {
    const sent = new Map([
      ['m1', { kind: 'upload' }],
      ['m2', { kind: 'upload' }],
      ['m3', { kind: 'upload' }],
    ]);
    const results = new Map([
      ['m1', [{ ok: true }]],
      ['m2', [{ ok: false }]],
      ['m3', [{ ok: false }]],
    ]);
    const batches = [
      { ids: ['m1', 'm2'], performedKinds: ['upload'] },
      { ids: ['m3'], performedKinds: [] },
    ];

    it('expects the outputs plus the msg a fault hit after DSM performed it', function () {
      const r = nasEffects({ sent, results, batches, onNas: { upload: { on_nas: 2 } } });
      assert.deepEqual(r.mismatched, []);
      assert.equal(r.effects.upload.expected, 2);
    });

    it('fails one file more or one fewer, and a move source lost on the way', function () {
      for (const onNas of [1, 3]) {
        const r = nasEffects({ sent, results, batches, onNas: { upload: { on_nas: onNas } } });
        assert.deepEqual(r.mismatched, ['upload']);
      }
      const moves = new Map([...sent].map(([id]) => [id, { kind: 'move' }]));
      const r = nasEffects({
        sent: moves,
        results,
        batches: [{ ids: ['m1', 'm2'], performedKinds: ['move'] }],
        onNas: { move: { on_nas: 2, sourcesLeft: 0 } },
      });
      assert.deepEqual(r.mismatched, ['move']);
    });
  });

  describe('the watch node against the tasks the NAS had', function () {
    const taskLists = [
      {
        tasks: [
          { uri: 'a', status: 'finished' },
          { uri: 'b', status: 'finished' },
        ],
        removedByRestart: true,
      },
      { tasks: [{ uri: 'c', status: 'finished' }], removedByRestart: false },
    ];
    const windows = [{ from: 100, to: 200 }];
    const clean = [
      ...['a', 'b', 'c'].flatMap((uri) => [
        { topic: 'download.added', uri, at: 10 },
        { topic: 'download.status', uri, at: 20 },
        { topic: 'download.progress', uri, at: 30 },
        { topic: 'download.status', uri, at: 40 },
        { topic: 'download.finished', uri, at: 50 },
      ]),
      { topic: 'watch.offline', at: 110 },
      { topic: 'watch.online', at: 150 },
      { topic: 'download.removed', uri: 'a', at: 160 },
      { topic: 'download.removed', uri: 'b', at: 160 },
    ];
    const check = (events) => watchCheck({ events, taskLists, windows });

    it('passes each one-time change once, repeated status and progress, an offline spell in an outage', function () {
      const r = check(clean);
      assert.deepEqual([r.missed, r.twice, r.unexpected], [[], [], []]);
      assert.equal(r.byTopic['download.removed'].expected, 2);
      assert.equal(r.offline.length, 1);
    });

    it('fails a missed added, finished or removed', function () {
      for (const topic of ['download.added', 'download.finished', 'download.removed']) {
        const r = check(clean.filter((e) => !(e.topic === topic && e.uri === 'b')));
        assert.deepEqual(r.missed, [`${topic} b`]);
      }
    });

    it('fails a one-time change told twice', function () {
      const r = check([...clean, { topic: 'download.added', uri: 'c', at: 300 }]);
      assert.deepEqual(r.twice, [{ event: 'download.added c', times: 2 }]);
    });

    it('fails events the NAS does not explain', function () {
      const odd = [
        { topic: 'download.removed', uri: 'c', at: 300 },
        { topic: 'download.error', uri: 'c', at: 300 },
        { topic: 'download.status', uri: 'z', at: 300 },
        { topic: 'download.current', uri: 'c', at: 300 },
      ];
      for (const event of odd) assert.equal(check([...clean, event]).unexpected.length, 1, event.topic);
      // Offline outside an outage; online without offline; offline never followed by online.
      const offline = { topic: 'watch.offline', at: 300 };
      const online = { topic: 'watch.online', at: 310 };
      assert.equal(check([...clean, offline, online]).unexpected.length, 1);
      assert.equal(check([...clean, online]).unexpected.length, 1);
      assert.equal(check([...clean, { ...offline, at: 180 }]).unexpected.length, 1);
    });
  });

  describe('watch node errors', function () {
    it('allows them only inside an outage window', function () {
      const windows = [{ from: 100, to: 200 }];
      const r = watchErrors(
        [
          { line: 'restart', at: 150 },
          { line: 'elsewhere', at: 250 },
        ],
        windows,
      );
      assert.equal(r.logged, 2);
      assert.deepEqual(
        r.outside.map((l) => l.line),
        ['elsewhere'],
      );
    });
  });
});
