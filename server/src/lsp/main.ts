// Entry point of the language server bundle (server/out/server.js, also the `parapet-lsp` bin).
// Transport: `--stdio` (the default when none is given), `--node-ipc` or `--socket=PORT`.

import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { startServer } from './server';

if (!process.argv.some((a) => a === '--stdio' || a === '--node-ipc' || a.startsWith('--socket') || a.startsWith('--pipe'))) {
  process.argv.push('--stdio');
}

const connection = createConnection(ProposedFeatures.all);

// A bug in one request must not take the server down: log it and keep serving.
process.on('uncaughtException', (e) => connection.console.error(`Uncaught error: ${e.stack ?? e.message}`));
process.on('unhandledRejection', (e) => connection.console.error(`Unhandled rejection: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`));

startServer(connection);
