'use strict';
// The login pause and the re-login rate, with a controlled monotonic clock: the wall clock (Date.now) may be set
// back by NTP or jump on a Raspberry Pi without a clock battery; neither may freeze logins.
const assert = require('node:assert/strict');
const sinon = require('sinon');
const { ReloginBucket, LoginBackoff } = require('../dist/dsm/login-guard');
const { DsmError } = require('../dist');

const refusal = (code = 400) => new DsmError({ kind: 'dsm', code, api: 'SYNO.API.Auth', reason: 'refused' });

describe('login guard arithmetic', function () {
  let now;
  let stubs;
  beforeEach(() => {
    now = 1_000_000;
    stubs = [sinon.stub(performance, 'now').callsFake(() => now)];
  });
  afterEach(() => stubs.forEach((stub) => stub.restore()));

  it('ReloginBucket: the wall clock set back does not stop re-logins', function () {
    const bucket = new ReloginBucket();
    for (let i = 0; i < 5; i++) assert.equal(bucket.take(30_000).granted, true);
    stubs.push(sinon.stub(Date, 'now').returns(Date.now() - 60 * 60_000));
    now += 60_000;
    assert.equal(bucket.take(30_000).granted, true);
  });

  it('LoginBackoff: the wall clock set back does not stretch a 60 s pause', function () {
    const backoff = new LoginBackoff('http://clock.test', 'clock-user', ['pw'], 60_000);
    backoff.refused(refusal());
    stubs.push(sinon.stub(Date, 'now').returns(Date.now() - 60 * 60_000));
    now += 61_000;
    assert.equal(backoff.current(), undefined);
  });

  it('ReloginBucket: 5 at once, then one per 12 s; a granted wait never exceeds maxWaitMs', function () {
    const bucket = new ReloginBucket();
    for (let i = 0; i < 5; i++) assert.deepEqual(bucket.take(0), { waitMs: 0, granted: true });
    assert.deepEqual(bucket.take(1000), { waitMs: 12_000, granted: false });
    for (let i = 0; i < 20; i++) {
      const { waitMs, granted } = bucket.take(30_000);
      assert.ok(granted && waitMs <= 12_000, `take ${i}: ${waitMs} ms`);
      now += waitMs; // the login goes out after the wait
    }
    now += 10 * 60_000; // a long idle time earns at most 5 tokens
    for (let i = 0; i < 5; i++) assert.equal(bucket.take(0).granted, true);
    assert.equal(bucket.take(0).granted, false);
  });

  it('LoginBackoff: doubles within a series of refusals, starts over after a quiet time', function () {
    const backoff = new LoginBackoff('http://series.test', 'series-user', ['pw'], 60_000);
    const waits = [];
    for (let i = 0; i < 7; i++) {
      backoff.refused(refusal(119));
      waits.push(backoff.current().leftMs);
      now += waits[i]; // the next try once the pause is over
    }
    assert.deepEqual(waits, [60_000, 120_000, 240_000, 480_000, 960_000, 1_800_000, 1_800_000]);
    // One transient refusal a day (a flow that runs once a day): never more than the first pause.
    for (let day = 0; day < 6; day++) {
      now += 24 * 60 * 60_000;
      backoff.refused(refusal(119));
      assert.equal(backoff.current().leftMs, 60_000);
    }
  });

  it('LoginBackoff: credentials that take turns share one pause; a success frees only its own credentials', function () {
    const oldNode = new LoginBackoff('http://turns.test', 'user', ['old-password'], 60_000);
    const typo = new LoginBackoff('http://turns.test', 'USER', ['typo'], 60_000);
    const right = new LoginBackoff('http://turns.test', 'user', ['right'], 60_000);
    assert.equal(oldNode.current(), undefined);
    oldNode.refused(refusal());
    assert.equal(typo.current(), undefined, 'other credentials get one try');
    typo.refused(refusal());
    assert.ok(oldNode.current() && typo.current(), 'then both wait');
    assert.equal(typo.current().leftMs, 120_000, 'the second refusal doubled the pause of the account');
    assert.equal(right.current(), undefined);
    right.accepted();
    assert.ok(oldNode.current() && typo.current(), 'a success of other credentials lifts nothing');
  });
});
