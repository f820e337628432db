// Hostile and odd documents sent to the real server: each gets a clear result (findings, or a
// notice saying why not), never a crash, and the server keeps answering afterwards.

import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ensureBuilt, fileUri, TestClient } from './support/lsp-client';

const SMALL = 'import random\ntoken = random.randint(0, 9)\n';

describe('hostile input through the language server', function () {
  this.timeout(60_000);
  let tmp: string;
  let client: TestClient;
  let n = 0;

  before(async () => {
    ensureBuilt();
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'parapet-bad-'));
    client = new TestClient({ workspace: tmp });
    await client.initialize();
  });
  after(async () => {
    await client.stop();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  /** The server still analyses a small file correctly. */
  async function stillResponsive(): Promise<void> {
    const uri = fileUri(path.join(tmp, `probe${n++}.py`));
    await client.open(uri, SMALL);
    const ds = await client.diagnostics(uri);
    assert.deepEqual(ds.map((d) => d.code), ['SEC311']);
    await client.close(uri);
    assert.equal(client.proc.exitCode, null, `server exited: ${client.stderr}`);
  }

  async function openAndPull(name: string, text: string) {
    const uri = fileUri(path.join(tmp, name));
    await client.open(uri, text);
    const ds = await client.diagnostics(uri);
    return { uri, ds };
  }

  it('a 5 MB file: analysed (or limited with a notice) and the server stays responsive', async () => {
    const text = ('import random\n\ndef f(x):\n    token = random.randint(0, 9)\n    return x\n').repeat(75_000);
    assert.ok(text.length > 5 * 1024 * 1024 && text.length < 5.5 * 1024 * 1024);
    const { uri, ds } = await openAndPull('big.py', text);
    const limited = client.messages.some((m) => /big\.py/.test(m.message) && /stopped after|not analysed|time budget/.test(m.message));
    // On a loaded machine the parse itself can run out of its budget: then there is nothing
    // to report, and the notice must say so. Otherwise findings up to where the rules got.
    const parseCut = client.messages.some((m) => /big\.py could not be parsed within the time budget/.test(m.message));
    if (!parseCut) assert.ok(ds.length > 0, `findings up to where the analysis got: ${client.messages.map((m) => m.message).join(' / ')}`);
    assert.ok(ds.every((d) => d.code === 'SEC311'));
    if (!limited) assert.equal(ds.length, 75_000);
    await client.close(uri);
    await stillResponsive();
  });

  it('a file over parapet.maxFileSizeKb is not analysed, with a notice', async () => {
    client.settings = { maxFileSizeKb: 1 };
    await client.changeSettings(client.settings);
    const { uri, ds } = await openAndPull('over.py', SMALL + '#'.repeat(2000) + '\n');
    assert.deepEqual(ds, []);
    assert.ok(client.messages.some((m) => /over\.py is .* over the .* limit; not analysed/.test(m.message)), client.messages.map((m) => m.message).join('\n'));
    await client.close(uri);
    await client.changeSettings({});
    await stillResponsive();
  });

  it('a binary file with a .py name: no findings and a notice', async () => {
    const { uri, ds } = await openAndPull('binary.py', '\x7fELF\0\0\0\x01\x02garbage\0' + 'x'.repeat(100));
    assert.deepEqual(ds, []);
    assert.ok(client.messages.some((m) => /binary\.py looks like a binary file/.test(m.message)));
    await client.close(uri);
    await stillResponsive();
  });

  it('a file that does not parse: findings in the parts that do', async () => {
    const { uri, ds } = await openAndPull('broken.py', 'import random\ndef f(:\n    token = random.randint(0, 9)\n  ))) ((\nclass\n');
    assert.deepEqual(ds.map((d) => `${d.code}@${d.range.start.line}`), ['SEC311@2']);
    await client.close(uri);
    await stillResponsive();
  });

  it('half-typed code while editing', async () => {
    const uri = fileUri(path.join(tmp, 'typing.py'));
    await client.open(uri, 'import yaml\n\n');
    const line = 'data = yaml.load(stream)';
    for (let i = 1; i <= line.length; i++) {
      await client.edit(uri, 13 + i - 1, 13 + i - 1, line[i - 1]!);
      await client.diagnostics(uri);
    }
    assert.deepEqual((await client.diagnostics(uri)).map((d) => d.code), ['SEC506']);
    await client.close(uri);
    await stillResponsive();
  });

  it('10,000 levels of nesting', async () => {
    const { uri, ds } = await openAndPull('deep.py', `x = ${'('.repeat(10_000)}eval(s)${')'.repeat(10_000)}\ny = ${'['.repeat(10_000)}${']'.repeat(10_000)}\n`);
    assert.ok(Array.isArray(ds));
    await client.close(uri);
    await stillResponsive();
  });

  it('CRLF, lone CR and BOM: findings on the right lines and columns', async () => {
    const crlf = await openAndPull('crlf.py', 'import random\r\n\r\ntoken = random.randint(0, 9)\r\n');
    assert.deepEqual(crlf.ds.map((d) => d.range), [{ start: { line: 2, character: 8 }, end: { line: 2, character: 28 } }]);
    const cr = await openAndPull('cr.py', 'import random\r\rtoken = random.randint(0, 9)\r');
    assert.deepEqual(cr.ds.map((d) => d.range), [{ start: { line: 2, character: 8 }, end: { line: 2, character: 28 } }]);
    const bom = await openAndPull('bom.py', '\uFEFFimport random\ntoken = random.randint(0, 9)\n');
    assert.deepEqual(bom.ds.map((d) => d.range), [{ start: { line: 1, character: 8 }, end: { line: 1, character: 28 } }]);
    for (const u of [crlf.uri, cr.uri, bom.uri]) await client.close(u);
    await stillResponsive();
  });

  it('NUL bytes past the start, invalid surrogates and tabs', async () => {
    const text = 'import random\n\ttoken = random.randint(0, 9)  # \uD800 lone surrogate\n' + 'x = 1\n'.repeat(2000) + '\0';
    const { uri, ds } = await openAndPull('odd.py', text);
    assert.deepEqual(ds.map((d) => `${d.code}@${d.range.start.line}:${d.range.start.character}`), ['SEC311@1:9']);
    await client.close(uri);
    await stillResponsive();
  });

  it('an unknown rule in a suppression comment is reported, not fatal', async () => {
    const { uri, ds } = await openAndPull('supp.py', 'import random\ntoken = random.randint(0, 9)  # parapet: ignore[SEC3111, ]\n');
    assert.deepEqual(ds.map((d) => d.code).sort(), ['SEC002', 'SEC311']);
    await client.close(uri);
    await stillResponsive();
  });
});
