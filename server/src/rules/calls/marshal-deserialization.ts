import { defineRule } from '../../engine/rule';
import { argument, callArgs, isConstant } from '../../engine/syntax';

export default defineRule({
  id: 'SEC302',
  name: 'marshal-deserialization',
  local: true,
  summary: 'Data deserialized with `marshal`, which is not safe against malicious input',
  owasp: { '2025': 'A08', '2021': 'A08' },
  cwe: [502],
  severity: 'warning',
  confidence: 'high',
  aliases: ['B302', 'S302'],
  tags: ['deserialization'],
  nodeTypes: ['call'],
  check(call, ctx) {
    const name = ctx.callName(call);
    if (name !== 'marshal.load' && name !== 'marshal.loads') return;
    // `marshal.loads(b"...")` written in the source reads the program's own bytes.
    if (name === 'marshal.loads' && isConstant(argument(callArgs(call), 0, 'bytes'))) return;
    ctx.report(call.childForFieldName('function') ?? call, { message: `\`${name}()\` deserializes data with marshal, which is not safe against malicious input` });
  },
  docs: {
    what: 'Finds calls to `marshal.load()` and `marshal.loads()`, however `marshal` is imported. A `loads()` of a bytes literal written in the source is not reported.',
    why: `\`marshal\` is the internal format Python uses for \`.pyc\` files. Its documentation states that it is not intended to be secure against erroneous or maliciously constructed data: crafted input can crash the interpreter, and a marshalled code object handed to \`exec\` or \`types.FunctionType\` (the usual reason to marshal at all) runs whatever its author wrote. The format also changes between Python versions, so it is a poor choice for data exchanged with anything else.`,
    example: `import marshal

def restore(blob: bytes):
    return marshal.loads(blob)`,
    useInstead: `import json

def restore(blob: bytes):
    return json.loads(blob)`,
    references: [
      { title: 'Python docs: marshal — Internal Python object serialization', url: 'https://docs.python.org/3/library/marshal.html' },
      { title: 'OWASP Deserialization Cheat Sheet', url: 'https://cheatsheetseries.owasp.org/cheatsheets/Deserialization_Cheat_Sheet.html' },
    ],
  },
});
