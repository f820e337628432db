// What one Python file tells the checklist beyond its findings: which frameworks it uses, the
// settings it gives values (Django settings modules, Flask config), and the security libraries
// it sets up (rate limiting, password hashing, logging, headers, CORS, JWT). Pure: computed
// from the text and tree only, and small and JSON-serialisable so the language server can keep
// one per file and send them around.

import { collectFacts, resolveDotted, type FileFacts } from '../engine/facts';
import { parsePython, parserInput, pythonLanguage, Query, type Node } from '../engine/parser';
import { dottedName } from '../engine/syntax';
import type { Range } from '../engine/types';
import { configEntries, environmentOfName, environmentOfPath, type Environment } from '../rules/util/frameworks';
import { callFacts, classFacts, endpointFacts, LOGIN_WORDS, VIEW_FILE } from './python-usages';
import { dictEntries, rangeOf, summarise } from './python-values';

export { summarise };

export type Framework = 'django' | 'flask' | 'fastapi' | 'starlette' | 'drf';

/** A value given to a setting, summarised. */
export interface SettingValue {
  kind: 'bool' | 'none' | 'string' | 'number' | 'list' | 'dict' | 'env' | 'other';
  /** The source text, at most 80 characters. */
  text: string;
  bool?: boolean;
  number?: number;
  /** Strings of a list/tuple/set, or the keys of a dict (for `REST_FRAMEWORK`). */
  items?: string[];
}

export interface SettingFact extends SettingValue {
  range: Range;
  /** `DEBUG = ...` at module level, in a config class, or through `app.config`. */
  form: 'module' | 'class' | 'config-item' | 'config-update';
  /** The environment the module or config class says it is for, if any. */
  env: Environment | null;
  /** For keys inside a dict setting (REST_FRAMEWORK), the values of those keys. */
  entries?: Record<string, SettingValue>;
}

/** A library or call that matters to one checklist item, and where. */
export interface Usage {
  /** `flask_limiter`, `bcrypt`, `logging.basicConfig`, `corsheaders`... */
  what: string;
  range: Range;
  /** Extra, item-specific: `wildcard` / `allowlist` for CORS, `force_https=False` for Talisman. */
  note?: string;
}

export interface EndpointFact {
  /** Function or class name. */
  name: string;
  range: Range;
  /** Name or route looks like a login / token endpoint. */
  loginLike: boolean;
  /** A rate-limit decorator or DRF `throttle_classes` applies to it. */
  rateLimited: boolean;
  /** A Django REST framework view (`@api_view`, an APIView subclass), so DRF default throttles apply. */
  drf: boolean;
}

export interface PythonFileFacts {
  path: string;
  frameworks: Framework[];
  /** Top-level modules imported (sorted); small, and lets later items ask new questions. */
  modules: string[];
  /** The file looks like a Django settings module (path or INSTALLED_APPS/MIDDLEWARE...). */
  djangoSettings: boolean;
  /** Settings given a value (UPPER_CASE keys only), by key; the last one in the file wins. */
  settings: Record<string, SettingFact>;
  rateLimitSetup: Usage[];
  endpoints: EndpointFact[];
  passwordHashing: Usage[];
  logging: Usage[];
  securityHeaders: Usage[];
  cors: Usage[];
  csrf: Usage[];
  https: Usage[];
  trustedHosts: Usage[];
  jwt: Usage[];
  uploads: Usage[];
  /** Application objects: `Flask(__name__)`, `FastAPI()`. */
  apps: Usage[];
}

const FRAMEWORK_MODULES: Record<string, Framework> = {
  django: 'django',
  flask: 'flask',
  fastapi: 'fastapi',
  starlette: 'starlette',
  rest_framework: 'drf',
};

const SETTINGS_PATH = /(^|[\\/])settings[\\/][^\\/]+\.py$|(^|[\\/])([^\\/]*[_-])?settings([_-][^\\/]*)?\.py$/i;
const CONFIG_PATH = /(^|[\\/])([^\\/]*[_-])?config\.py$/i;
const SETTINGS_NAMES = ['INSTALLED_APPS', 'MIDDLEWARE', 'ROOT_URLCONF', 'ALLOWED_HOSTS', 'DATABASES', 'WSGI_APPLICATION'];
const UPPER = /^[A-Z][A-Z0-9_]*$/;

const HASHING_MODULES = ['bcrypt', 'argon2', 'passlib', 'pwdlib', 'flask_bcrypt', 'flask_argon2'];
const JWT_MODULES = ['jwt', 'jose', 'authlib', 'jwcrypto', 'fastapi_jwt_auth', 'flask_jwt_extended', 'rest_framework_simplejwt'];
let compiled: { main: Query; uploads: Query } | undefined;

function queries(): { main: Query; uploads: Query } {
  compiled ??= {
    main: new Query(
      pythonLanguage(),
      `(assignment left: [(identifier) (subscript)]) @n
       (assignment left: (attribute attribute: (identifier) @a (#eq? @a "secret_key"))) @n
       (call) @n
       (decorated_definition) @n
       (class_definition) @n
       (function_definition) @n`,
    ),
    uploads: new Query(
      pythonLanguage(),
      `((attribute object: (identifier) @o attribute: (identifier) @a) @attr (#eq? @o "request") (#any-of? @a "files" "FILES"))
       ((identifier) @id (#any-of? @id "UploadFile" "FileField" "ImageField"))`,
    ),
  };
  return compiled;
}

const UPLOAD_TEXT = /request\.(files|FILES)\b|\b(UploadFile|FileField|ImageField)\b/;
/** Callee names (last part) that `callFacts` and config updates look at. */
const CALL_NAMES = new Set([
  'update', 'from_mapping', 'make_password', 'generate_password_hash', 'scrypt', 'pbkdf2_hmac', 'basicConfig', 'dictConfig',
  'fileConfig', 'configure', 'init', 'add', 'Limiter', 'Talisman', 'Secure', 'with_default_headers', 'CSRFProtect', 'SeaSurf',
  'CORS', 'cross_origin', 'Flask', 'FastAPI', 'Starlette', 'add_middleware', 'Middleware',
]);

function emptyPythonFacts(relPath: string): PythonFileFacts {
  return {
    path: relPath,
    frameworks: [],
    modules: [],
    djangoSettings: false,
    settings: {},
    rateLimitSetup: [],
    endpoints: [],
    passwordHashing: [],
    logging: [],
    securityHeaders: [],
    cors: [],
    csrf: [],
    https: [],
    trustedHosts: [],
    jwt: [],
    uploads: [],
    apps: [],
  };
}

function importNode(facts: FileFacts, module: string): Node | null {
  for (const b of facts.imports.values()) if (b.qualified === module || b.qualified.startsWith(`${module}.`)) return b.node;
  return facts.topLevelImports.find((n) => new RegExp(`\\b${module}\\b`).test(n.text)) ?? null;
}

/**
 * Facts of one Python file. Parses `text` when no tree (root node) is given; a caller that has
 * just analysed the tree can pass the analysis' `FileFacts` to save a pass. Requires
 * `initParser()` to have completed (the facts use compiled tree-sitter queries).
 */
export function pythonFileFacts(text: string, relPath: string, tree?: Node, fileFacts?: FileFacts): PythonFileFacts {
  if (tree) return collect(tree, text, relPath, fileFacts);
  const parsed = parsePython(parserInput(text), null, 2000 + Math.round(text.length / 1000)).tree;
  if (!parsed) return emptyPythonFacts(relPath);
  try {
    return collect(parsed.rootNode, text, relPath);
  } finally {
    parsed.delete();
  }
}

function collect(root: Node, text: string, relPath: string, known?: FileFacts): PythonFileFacts {
  const out = emptyPythonFacts(relPath);
  const facts = known ?? collectFacts(root);
  out.modules = [...facts.importedModules].sort();
  out.frameworks = [...new Set(out.modules.map((m) => FRAMEWORK_MODULES[m]).filter((f): f is Framework => !!f))].sort();
  const settingsModule = SETTINGS_PATH.test(relPath) || SETTINGS_NAMES.some((n) => facts.moduleAssignments.has(n));
  // `settings/production.py` often holds only `from .base import *` and overrides, so the path
  // is enough unless the module is Flask's; the project counts as Django only when some
  // module imports django or defines INSTALLED_APPS/MIDDLEWARE (see context.ts).
  out.djangoSettings =
    SETTINGS_NAMES.some((n) => facts.moduleAssignments.has(n)) || (settingsModule && !facts.importedModules.has('flask') && !facts.importedModules.has('fastapi'));
  const moduleSettings = settingsModule || CONFIG_PATH.test(relPath);
  const pathEnv = environmentOfPath(relPath);

  for (const m of HASHING_MODULES) {
    const node = facts.importedModules.has(m) ? importNode(facts, m) : null;
    if (node) out.passwordHashing.push({ what: m, range: rangeOf(node) });
  }
  for (const m of JWT_MODULES) {
    const node = facts.importedModules.has(m) ? importNode(facts, m) : null;
    if (node) out.jwt.push({ what: m, range: rangeOf(node) });
  }
  if (facts.importedModules.has('loguru') || facts.importedModules.has('structlog')) {
    const m = facts.importedModules.has('structlog') ? 'structlog' : 'loguru';
    const node = importNode(facts, m);
    if (node) out.logging.push({ what: m, range: rangeOf(node) });
  }

  const resolve = (n: Node | null): string | null => {
    const d = dottedName(n);
    return d ? resolveDotted(d, facts) : null;
  };

  // Queries select the few node kinds that matter inside wasm: walking every node from
  // JavaScript costs more than the parse itself on large files.
  const { main, uploads } = queries();
  const decorated = new Set<number>();
  const viewFile = VIEW_FILE.test(relPath);
  const matches = main.matches(root).flatMap((m) => m.captures.filter((c) => c.name === 'n').map((c) => c.node));
  matches.sort((a, b) => a.startIndex - b.startIndex || b.endIndex - a.endIndex);
  for (const n of matches) {
    switch (n.type) {
      case 'assignment': {
        const left = n.childForFieldName('left');
        if (left?.type === 'attribute') {
          // `app.secret_key = ...` is Flask's SECRET_KEY.
          const value = n.childForFieldName('right');
          if (value) out.settings['SECRET_KEY'] = { ...summarise(value), range: rangeOf(n), form: 'config-item', env: pathEnv };
        } else if (left && ((left.type === 'identifier' && UPPER.test(left.text)) || left.type === 'subscript')) settingFacts(n, moduleSettings, pathEnv, out);
        break;
      }
      case 'call': {
        const fn = n.childForFieldName('function');
        const name = fn?.type === 'identifier' ? fn.text : fn?.type === 'attribute' ? fn.childForFieldName('attribute')?.text : null;
        if (!name || !CALL_NAMES.has(name)) break;
        if (name === 'update' || name === 'from_mapping') settingFacts(n, moduleSettings, pathEnv, out);
        else callFacts(n, resolve, out);
        break;
      }
      case 'decorated_definition': {
        const def = n.childForFieldName('definition');
        if (def) decorated.add(def.id);
        endpointFacts(n, resolve, relPath, out);
        break;
      }
      case 'class_definition':
        classFacts(n, out);
        break;
      case 'function_definition': {
        if (!viewFile || decorated.has(n.id)) break;
        const name = n.childForFieldName('name');
        if (name && LOGIN_WORDS.test(name.text)) out.endpoints.push({ name: name.text, range: rangeOf(name), loginLike: true, rateLimited: false, drf: false });
        break;
      }
    }
  }
  if (UPLOAD_TEXT.test(text)) {
    for (const c of uploads.captures(root)) {
      const n = c.node;
      if (c.name === 'attr') out.uploads.push({ what: n.text, range: rangeOf(n) });
      else if (c.name === 'id') {
        const q = resolve(n);
        const parent = n.parent?.type;
        if (q && q !== n.text && parent !== 'import_from_statement' && parent !== 'dotted_name' && parent !== 'aliased_import') out.uploads.push({ what: q, range: rangeOf(n) });
      }
    }
  }
  // Uploads: one piece of evidence per kind is enough.
  const seen = new Set<string>();
  out.uploads = out.uploads.filter((u) => !seen.has(u.what) && !!seen.add(u.what)).slice(0, 5);
  for (const key of Object.keys(out.settings)) {
    if (key === 'LOGGING' || key === 'LOGGING_CONFIG') out.logging.push({ what: `${key} setting`, range: out.settings[key]!.range });
  }
  return out;
}

function settingFacts(n: Node, moduleSettings: boolean, pathEnv: Environment | null, out: PythonFileFacts): void {
  for (const e of configEntries(n)) {
    if (!UPPER.test(e.key)) continue;
    let env: Environment | null = pathEnv;
    // Outside settings modules, only SECRET_KEY: `SECRET_KEY = "..."` next to `app = Flask(...)`
    // is configuration (`app.config.from_object(__name__)`), other constants need not be.
    if (e.form === 'module' && !moduleSettings && e.key !== 'SECRET_KEY') continue;
    if (e.form === 'class') {
      const cls = e.owner?.childForFieldName('name')?.text ?? '';
      if (!/(config|settings)$/i.test(cls) && !moduleSettings) continue;
      env = environmentOfName(cls) ?? pathEnv;
    }
    const fact: SettingFact = { ...summarise(e.value), range: rangeOf(e.at), form: e.form, env };
    const entries = dictEntries(e.value);
    if (entries) fact.entries = entries;
    out.settings[e.key] = fact;
  }
}
