// Snapshot tests of the headline fixes, in every placeholder style: the diagnostic as the CLI
// prints it (caret frame) and each fix as a unified diff. Snapshots change only when run with
// UPDATE_SNAPSHOTS=1; otherwise a difference fails with both versions shown.

import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createPatch } from 'diff';
import { applyEdits } from '../server/src/engine/fixes';
import { style, textFinding } from '../server/src/cli/output';
import { findings, ready } from './support/engine';

const DIR = path.join(__dirname, 'snapshots');
const UPDATE = process.env['UPDATE_SNAPSHOTS'] === '1';

interface Case {
  name: string;
  rule: string;
  source: string;
}

const CASES: Case[] = [
  { name: 'random-randint-token', rule: 'SEC311', source: 'import random\n\n\ndef new_token():\n    reset_token = random.randint(100000, 999999)\n    return reset_token\n' },
  { name: 'random-choice-otp', rule: 'SEC311', source: 'from random import choice\n\notp = "".join(choice("0123456789") for _ in range(6))\n' },
  { name: 'random-getrandbits-session', rule: 'SEC311', source: 'import random\nimport secrets as s\n\nsession_id = random.getrandbits(128)\n' },
  { name: 'sql-sqlite3-qmark', rule: 'SEC608', source: "import sqlite3\n\n\ndef find(conn, name):\n    return conn.execute(f\"SELECT * FROM users WHERE name = '{name}'\").fetchall()\n" },
  { name: 'sql-psycopg2-format', rule: 'SEC608', source: "import psycopg2\n\n\ndef find(cur, name, uid):\n    cur.execute(f\"SELECT * FROM users WHERE name LIKE 'a%' AND name = '{name}' AND id = {uid}\")\n" },
  { name: 'sql-pymysql-percent', rule: 'SEC608', source: "import pymysql\n\n\ndef find(cur, email):\n    query = \"SELECT id FROM users WHERE email = '%s'\" % email\n    cur.execute(query)\n" },
  { name: 'sql-asyncpg-numeric', rule: 'SEC608', source: 'import asyncpg\n\n\nasync def find(conn, uid, status):\n    return await conn.fetch(f"SELECT * FROM orders WHERE user_id = {uid} AND status = \'{status}\'")\n' },
  { name: 'sql-sqlalchemy-text-named', rule: 'SEC608', source: 'from sqlalchemy import text\n\n\ndef find(session, user):\n    return session.execute(text(f"SELECT * FROM users WHERE id = {user.id}"))\n' },
  { name: 'sql-django-raw', rule: 'SEC608', source: "from django.db import models\n\n\ndef find(User, name):\n    return User.objects.raw(\"SELECT * FROM app_user WHERE name = '{}'\".format(name))\n" },
  { name: 'sql-like-wildcards', rule: 'SEC608', source: "import sqlite3\n\n\ndef search(conn, term):\n    return conn.execute(f\"SELECT * FROM posts WHERE title LIKE '%{term}%'\").fetchall()\n" },
  { name: 'sql-unknown-driver', rule: 'SEC608', source: "def find(db, name):\n    db.execute(\"SELECT * FROM users WHERE name = '\" + name + \"'\")\n" },
  { name: 'sql-identifier-no-fix', rule: 'SEC608', source: 'import sqlite3\n\n\ndef rows(conn, table):\n    return conn.execute(f"SELECT * FROM {table}").fetchall()\n' },
  { name: 'jwt-algorithm-from-encode', rule: 'SEC520', source: 'import jwt\n\nALGORITHM = "RS256"\n\n\ndef issue(claims, key):\n    return jwt.encode(claims, key, algorithm=ALGORITHM)\n\n\ndef read(token, public_key):\n    return jwt.decode(\n        token,\n        public_key,\n    )\n' },
  { name: 'jwt-assumed-hs256', rule: 'SEC520', source: 'from jose import jwt\n\n\ndef read(token, key):\n    return jwt.decode(token, key)\n' },
];

function render(c: Case): string {
  const all = findings(c.source, 'app.py').filter((f) => f.ruleId === c.rule);
  const out: string[] = [];
  for (const f of all) {
    out.push(textFinding({ file: 'app.py', display: 'app.py', text: c.source, findings: [], notices: [], suppressed: 0, fixed: [] }, f, style(false)).trimEnd());
    for (const fx of f.fixes) {
      const patch = createPatch('app.py', c.source, applyEdits(c.source, fx.edits), '', '', { context: 1 });
      out.push(`--- fix (${fx.safety}): ${fx.title}`, patch.split('\n').slice(4).join('\n').trimEnd());
    }
    if (f.fixes.length === 0) out.push('--- no fix');
  }
  if (all.length === 0) out.push(`(no ${c.rule} finding)`);
  return out.join('\n') + '\n';
}

describe('fix snapshots', () => {
  before(() => ready);
  for (const c of CASES) {
    it(c.name, () => {
      const file = path.join(DIR, `${c.name}.snap`);
      const actual = render(c);
      if (UPDATE || !fs.existsSync(file)) {
        if (!UPDATE) assert.fail(`no snapshot ${path.relative(process.cwd(), file)}; run with UPDATE_SNAPSHOTS=1 and review it`);
        fs.writeFileSync(file, actual);
        return;
      }
      assert.equal(actual, fs.readFileSync(file, 'utf8'));
    });
  }
});
