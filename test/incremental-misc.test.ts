// Local rules with a whole-file dependency in their `fileKey` (SEC105-SEC107, SEC801, SEC202,
// SEC306, SEC310, SEC520, SEC523, SEC530): the finding sits in one function or at module level,
// what it depends on in another function. An edit there that flips the dependency re-analyses
// the file; one that does not carries the findings over. Either way the result equals a fresh
// analysis.

import * as assert from 'node:assert/strict';
import { analyzeSource } from '../server/src/engine/analyze';
import type { AnalysisResult } from '../server/src/engine/runner';
import { ALL_RULES } from '../server/src/rules';
import { options, ready } from './support/engine';
import { describeFinding, editingSession, type Edit } from './support/incremental';

const PATH = '/inc/misc.py';

interface Step {
  result: AnalysisResult;
  /** The findings of the rules under test, described (fixes included). */
  mine: string[];
}

/** An editing session that carries the incremental state, and checks each result against a fresh analysis. */
function session(text: string, ruleIds: readonly string[]): { analyse(edit?: Edit): Step; close(): void } {
  const s = editingSession(text, PATH);
  return {
    analyse(edit) {
      const result = s.analyse(edit);
      const fresh = analyzeSource(s.text(), PATH, options(ALL_RULES));
      assert.deepEqual(result.findings.map(describeFinding), fresh.findings.map(describeFinding), 'the incremental findings equal a fresh analysis');
      return { result, mine: result.findings.filter((f) => ruleIds.includes(f.ruleId)).map(describeFinding) };
    },
    close: () => s.close(),
  };
}

/** The edit re-ran one unit and carried the findings of the others over. */
function carried(step: Step): void {
  assert.ok(step.result.reanalysed, 'findings were carried over');
  assert.equal(step.result.reanalysed.units, 1, 'one unit re-analysed');
}

/** The fileKey changed: the whole file was analysed again. */
function whole(step: Step): void {
  assert.equal(step.result.reanalysed, null, 'the whole file was analysed again');
}

describe('incremental analysis of local rules with a fileKey (misc)', () => {
  before(() => ready);

  it('SEC105-SEC107 and SEC801 follow "token means text" typed into another function', () => {
    const text = `import logging

logger = logging.getLogger(__name__)


def login(token="q8Zr2Lm5Xw7Pk3Vd"):
    client(token="v7Np4Qs9Rt2Yh6Jc")
    token = "m3Kd8Fj2Hs5Gl9Qw"
    logger.info("got %s", token)


def other():
    x = 1
    return x
`;
    const ids = ['SEC105', 'SEC106', 'SEC107', 'SEC801'];
    const s = session(text, ids);
    try {
      const first = s.analyse();
      assert.deepEqual(first.mine.map((m) => m.split(' ')[0]).sort(), ids, first.mine.join('\n'));
      const same = s.analyse({ from: 'x = 1', to: 'x = 2' });
      carried(same);
      assert.deepEqual(same.mine, first.mine.map((m) => m), 'the findings are carried over unchanged');
      // `tokenizer` anywhere makes "token" a piece of text: every finding goes.
      const text1 = s.analyse({ from: 'x = 2', to: 'tokenizer = 2' });
      whole(text1);
      assert.deepEqual(text1.mine, []);
      // Still text: the key is the same and nothing comes back.
      const text2 = s.analyse({ from: 'return x', to: 'return tokenizer' });
      carried(text2);
      assert.deepEqual(text2.mine, []);
      const back = s.analyse({ from: 'tokenizer = 2\n    return tokenizer', to: 'x = 2\n    return x' });
      whole(back);
      assert.equal(back.mine.length, 4);
    } finally {
      s.close();
    }
  });

  it('SEC202 follows an `extraction_filter` set in another function', () => {
    const text = `import tarfile


def unpack(path):
    with tarfile.open(path) as tf:
        tf.extractall("out")


def setup():
    x = 1
`;
    const s = session(text, ['SEC202']);
    try {
      assert.equal(s.analyse().mine.length, 1);
      const same = s.analyse({ from: 'x = 1', to: 'x = 2' });
      carried(same);
      assert.equal(same.mine.length, 1);
      const set = s.analyse({ from: 'x = 2', to: 'tarfile.TarFile.extraction_filter = staticmethod(tarfile.data_filter)' });
      whole(set);
      assert.deepEqual(set.mine, []);
      const unset = s.analyse({ from: 'tarfile.TarFile.extraction_filter = staticmethod(tarfile.data_filter)', to: 'x = 3' });
      whole(unset);
      assert.equal(unset.mine.length, 1);
    } finally {
      s.close();
    }
  });

  it('SEC306 names the descriptor of a module-level fix after the names spelled in every function', () => {
    const text = `import tempfile

path = tempfile.mktemp()


def work():
    x = 1
    return x


def local():
    p = tempfile.mktemp()
    return p
`;
    const s = session(text, ['SEC306']);
    try {
      const first = s.analyse();
      assert.equal(first.mine.length, 2);
      assert.ok(first.mine[0]!.includes(':fd, ') && first.mine[1]!.includes(':fd, '), first.mine.join('\n'));
      const same = s.analyse({ from: 'x = 1', to: 'x = 2' });
      carried(same);
      assert.deepEqual(same.mine, first.mine);
      // A function now reads a name `fd` (a module global, say): the module-level descriptor must not take it.
      const taken = s.analyse({ from: 'return x', to: 'return fd' });
      whole(taken);
      assert.ok(taken.mine[0]!.includes(':tmp_fd, '), taken.mine[0]);
      assert.ok(taken.mine[1]!.includes(':fd, '), 'the fix inside a function looks at that function only');
      // An edit that spells none of the candidates: carried over.
      const other = s.analyse({ from: 'return p', to: 'return p or ""' });
      carried(other);
      assert.deepEqual(other.mine.map((m) => m.replace(/\d+-\d+/g, '')), taken.mine.map((m) => m.replace(/\d+-\d+/g, '')));
      // `tmp_fd` spelled in the function with the call: taken at module level too.
      const both = s.analyse({ from: 'return p or ""', to: 'return p, tmp_fd' });
      whole(both);
      assert.ok(both.mine[0]!.includes(':temp_fd, '), both.mine[0]);
      assert.ok(both.mine[1]!.includes(':fd, '), both.mine[1]);
    } finally {
      s.close();
    }
  });

  it('SEC310 follows a scheme check typed into a function before a module-level call', () => {
    const text = `import urllib.request


def check(url):
    x = 1


@route(urllib.request.urlopen(target))
def handler():
    pass


url = input()
urllib.request.urlopen(url)
`;
    const s = session(text, ['SEC310']);
    try {
      assert.equal(s.analyse().mine.length, 2);
      const same = s.analyse({ from: 'x = 1', to: 'x = 2' });
      carried(same);
      assert.equal(same.mine.length, 2);
      // Checked before the module-level call (the check is in a function before it, as the rule reads it).
      const checked = s.analyse({ from: 'x = 2', to: 'ok = url.startswith(("http://", "https://"))' });
      whole(checked);
      assert.equal(checked.mine.length, 1);
      assert.ok(checked.mine[0]!.includes('target'), checked.mine[0]);
      // An edit that keeps the check: carried over.
      const kept = s.analyse({ from: 'ok = url', to: 'okay = url' });
      carried(kept);
      assert.equal(kept.mine.length, 1);
      // The decorator's call is checked against the text before it too.
      const target = s.analyse({ from: 'okay = url', to: 'okay = target.startswith("https://") and url' });
      whole(target);
      assert.deepEqual(target.mine, []);
    } finally {
      s.close();
    }
  });

  it('SEC520 writes the algorithm of the `jwt.encode` calls in other functions into its fix', () => {
    const text = `import jwt


def read(token, key):
    return jwt.decode(token, key)


def make(payload, key):
    x = 1
`;
    const s = session(text, ['SEC520']);
    try {
      const first = s.analyse();
      assert.equal(first.mine.length, 1);
      assert.ok(first.mine[0]!.includes('algorithms=["HS256"]') && first.mine[0]!.includes('|unsafe|'), first.mine[0]);
      const same = s.analyse({ from: 'x = 1', to: 'x = 2' });
      carried(same);
      assert.deepEqual(same.mine, first.mine);
      const encode = s.analyse({ from: 'x = 2', to: 'return jwt.encode(payload, key, algorithm="RS256")' });
      whole(encode);
      assert.ok(encode.mine[0]!.includes('algorithms=["RS256"]') && encode.mine[0]!.includes('|safe|'), encode.mine[0]);
      // Another encode with the same algorithm: the same key, the fix is carried over.
      const again = s.analyse({ from: 'return jwt.encode', to: 'k2 = jwt.encode(payload, key, algorithm="RS256")\n    return jwt.encode' });
      carried(again);
      assert.deepEqual(again.mine, encode.mine);
      // Two algorithms: no longer the one this file signs with.
      const two = s.analyse({ from: 'k2 = jwt.encode(payload, key, algorithm="RS256")', to: 'k2 = jwt.encode(payload, key, algorithm="ES256")' });
      whole(two);
      assert.ok(two.mine[0]!.includes('algorithms=["HS256"]'), two.mine[0]);
    } finally {
      s.close();
    }
  });

  it('SEC523 follows a change of a module-level payload made in a function in between', () => {
    const text = `import jwt

payload = {"sub": "user"}


def tweak():
    x = 1


def unrelated():
    return 1


token = jwt.encode(payload, "key")
`;
    const s = session(text, ['SEC523']);
    try {
      assert.equal(s.analyse().mine.length, 1);
      const same = s.analyse({ from: 'x = 1', to: 'x = 2' });
      carried(same);
      assert.equal(same.mine.length, 1);
      // The text between the assignment and the use now changes the payload: the rule stays quiet.
      const changed = s.analyse({ from: 'x = 2', to: 'payload["exp"] = 0' });
      whole(changed);
      assert.deepEqual(changed.mine, []);
      const back = s.analyse({ from: 'payload["exp"] = 0', to: 'x = 3' });
      whole(back);
      assert.equal(back.mine.length, 1);
    } finally {
      s.close();
    }
  });

  it('SEC530 follows a protocol mentioned in a function for a module-level hash', () => {
    const text = `import hashlib

digest = hashlib.sha256(password.encode()).hexdigest()


def auth():
    x = 1


def unrelated():
    return 1
`;
    const s = session(text, ['SEC530']);
    try {
      assert.equal(s.analyse().mine.length, 1);
      const same = s.analyse({ from: 'x = 1', to: 'x = 2' });
      carried(same);
      assert.equal(same.mine.length, 1);
      const realm = s.analyse({ from: 'x = 2', to: 'realm = 2' });
      whole(realm);
      assert.deepEqual(realm.mine, []);
      const still = s.analyse({ from: 'realm = 2', to: 'realm = 3' });
      carried(still);
      assert.deepEqual(still.mine, []);
    } finally {
      s.close();
    }
  });
});
