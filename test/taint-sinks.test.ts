// The sinks SEC912-SEC916 beyond their fixtures: the Django and Starlette forms, what each rule
// deliberately leaves out, and the sink-kind bits the sanitizers set.

import * as assert from 'node:assert/strict';
import { SinkKind } from '../server/src/engine/taint';
import { ALL_KINDS, sanitize, type Taint } from '../server/src/engine/taint/types';
import { ready } from './support/engine';

describe('taint sinks SEC912-SEC916', () => {
  before(() => ready);

  describe('sink kinds', () => {
    it('ALL_KINDS is every bit, including the new sink kinds', () => {
      const every = Object.values(SinkKind).reduce((a, b) => a | b, 0);
      assert.equal(ALL_KINDS, every);
      for (const k of [SinkKind.xxe, SinkKind.header, SinkKind.log, SinkKind.session, SinkKind.cookie]) assert.equal(ALL_KINDS & k, k);
      assert.equal(new Set(Object.values(SinkKind)).size, Object.values(SinkKind).length, 'no bit is used twice');
    });

    it('drops an origin only once it is safe for every kind', () => {
      const origin = { kind: 'source', param: -1, node: null as never, label: 'request.args', confidence: 'high', sanitized: 0, steps: [] } as Taint[number];
      assert.equal(sanitize([origin], ALL_KINDS).length, 0);
      assert.equal(sanitize([origin], ALL_KINDS & ~SinkKind.cookie).length, 1);
    });
  });
});
