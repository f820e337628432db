// Preloaded into the language server (`node --require`) by the safety test: every way to reach
// the network, start a process or load code from the workspace throws, and each attempt is
// appended to the file named by PARAPET_DENY_LOG. The test then expects that file to be empty.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const Module = require('node:module');

const logFile = process.env.PARAPET_DENY_LOG;
const workspace = process.env.PARAPET_DENY_WORKSPACE ? path.resolve(process.env.PARAPET_DENY_WORKSPACE) : null;

function record(what) {
  const line = `${what}\n${new Error('attempt').stack.split('\n').slice(2, 6).join('\n')}\n`;
  if (logFile) fs.appendFileSync(logFile, line);
}

function deny(obj, name, label) {
  const original = obj[name];
  if (typeof original !== 'function') return;
  obj[name] = function denied() {
    record(`${label}.${name}`);
    throw new Error(`${label}.${name} is denied in this test`);
  };
}

const net = require('node:net');
for (const n of ['connect', 'createConnection', 'createServer']) deny(net, n, 'net');
deny(net.Socket.prototype, 'connect', 'net.Socket');
const tls = require('node:tls');
deny(tls, 'connect', 'tls');
for (const mod of ['node:http', 'node:https', 'node:http2']) {
  const m = require(mod);
  for (const n of ['request', 'get', 'connect', 'createServer']) deny(m, n, mod);
}
const dns = require('node:dns');
for (const n of Object.keys(dns)) if (/^(lookup|resolve)/.test(n)) deny(dns, n, 'dns');
for (const n of Object.keys(dns.promises)) if (/^(lookup|resolve)/.test(n)) deny(dns.promises, n, 'dns.promises');
const dgram = require('node:dgram');
deny(dgram, 'createSocket', 'dgram');
if (typeof globalThis.fetch === 'function') {
  globalThis.fetch = function denied() {
    record('fetch');
    return Promise.reject(new Error('fetch is denied in this test'));
  };
}
if (typeof globalThis.WebSocket === 'function') {
  globalThis.WebSocket = function denied() {
    record('WebSocket');
    throw new Error('WebSocket is denied in this test');
  };
}
const cp = require('node:child_process');
for (const n of ['spawn', 'spawnSync', 'exec', 'execSync', 'execFile', 'execFileSync', 'fork']) deny(cp, n, 'child_process');
const wt = require('node:worker_threads');
const OriginalWorker = wt.Worker;
wt.Worker = function DeniedWorker(file, ...rest) {
  record(`worker_threads.Worker ${file}`);
  return new OriginalWorker(file, ...rest);
};

// Loading a module from the workspace (a project's own .js, or anything under it) is code
// execution: record it and refuse.
const originalLoad = Module._load;
Module._load = function load(request, parent, isMain) {
  if (workspace && parent) {
    let resolved = null;
    try {
      resolved = Module._resolveFilename(request, parent, isMain);
    } catch {
      resolved = null;
    }
    if (resolved && path.resolve(resolved).startsWith(workspace + path.sep)) {
      record(`require ${resolved}`);
      throw new Error(`loading ${resolved} from the workspace is denied in this test`);
    }
  }
  return originalLoad.apply(this, arguments);
};
