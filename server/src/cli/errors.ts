// Errors the command line reports without a stack trace: a usage error (exit 2, with a hint to
// run --help) and a configuration error (exit 2, message only).

export class UsageError extends Error {}
export class ConfigError extends Error {}
