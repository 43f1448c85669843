'use strict';
const assert = require('node:assert/strict');
const { encodeParams } = require('../dist/dsm/params');
const { totpCode } = require('../dist/dsm/totp');

describe('param encoding', function () {
  it('JSON-encodes every value for requestFormat JSON APIs', function () {
    assert.deepEqual(encodeParams({ path: '/a b', limit: 5, recursive: true, list: ['x', 'y'] }, 'JSON'), {
      path: '"/a b"',
      limit: '5',
      recursive: 'true',
      list: '["x","y"]',
    });
  });

  it('joins v1 lists with commas, escaping backslash and comma inside items', function () {
    assert.deepEqual(encodeParams({ path: ['/home/a,b', '/home/c\\d', '/home/e'] }), {
      path: '/home/a\\,b,/home/c\\\\d,/home/e',
    });
  });

  it('leaves out undefined and null, and keeps scalars bare for other APIs', function () {
    assert.deepEqual(encodeParams({ a: undefined, b: null, c: 'x', d: 0, e: false }), {
      c: 'x',
      d: '0',
      e: 'false',
    });
  });
});

describe('TOTP', function () {
  it('matches the RFC 6238 SHA-1 test vector', function () {
    // RFC 6238 appendix B: secret "12345678901234567890", T = 59 s -> 94287082 (8 digits); 6 digits -> 287082
    const secret = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';
    assert.equal(totpCode(secret, 59_000), '287082');
    assert.equal(totpCode(secret, 1_111_111_109_000), '081804');
  });
});
