import { importBlacklistRule } from './blacklist';

export default importBlacklistRule({
  id: 'SEC412',
  name: 'httpoxy-cgi-handler',
  summary: 'A CGI handler (`wsgiref.handlers.CGIHandler`, Twisted `CGIScript`/`CGIDirectory`) exposes the app to httpoxy',
  owasp: { '2025': 'A02', '2021': 'A05' },
  cwe: [454],
  severity: 'warning',
  confidence: 'high',
  aliases: ['B412', 'S412'],
  tags: ['cgi', 'wsgi', 'twisted'],
  // The import is the deployment choice itself: on by default.
  enabledByDefault: true,
  skipTests: true,
  modules: ['wsgiref.handlers.CGIHandler', 'twisted.web.twcgi.CGIScript', 'twisted.web.twcgi.CGIDirectory'],
  references: true,
  message: (m) => `\`${m}\` runs the application under CGI, where a request's \`Proxy:\` header becomes \`HTTP_PROXY\` (httpoxy)`,
  docs: {
    what: 'Reports the CGI handlers that run a Python web application as CGI: `from wsgiref.handlers import CGIHandler`, `wsgiref.handlers.CGIHandler()` after `import wsgiref.handlers`, Twisted\'s `twisted.web.twcgi.CGIScript` and `CGIDirectory` (imported, called, or used as a base class). On by default: unlike the other import rules, using these names is the risky deployment choice itself. Test files are skipped.',
    why: 'CGI passes every request header to the program as an environment variable named `HTTP_<HEADER>`, so a request carrying `Proxy: http://evil.example:8080` sets `HTTP_PROXY` in the application\'s environment, the variable HTTP client libraries read to choose an outgoing proxy. Outbound calls the application makes while handling that request (to a payment API, an internal service) then go through the attacker\'s server, which reads and alters them (httpoxy, CVE-2016-1000110 for Python). Python\'s `urllib` ignores `HTTP_PROXY` when `REQUEST_METHOD` is set since 3.5.2, but other clients and older interpreters do not. Running the application under a WSGI server (gunicorn, uWSGI, mod_wsgi) avoids CGI altogether.',
    example: `from wsgiref.handlers import CGIHandler

from myapp import app

if __name__ == "__main__":
    CGIHandler().run(app)`,
    useInstead: `# Serve the WSGI application with a WSGI server instead of CGI:
#   gunicorn myapp:app
from myapp import app`,
    references: [
      { title: 'Bandit B412: import_httpoxy', url: 'https://bandit.readthedocs.io/en/latest/blacklists/blacklist_imports.html#b412-import-httpoxy' },
      { title: 'httpoxy.org: A CGI application vulnerability', url: 'https://httpoxy.org/' },
      { title: 'CVE-2016-1000110 (Python)', url: 'https://nvd.nist.gov/vuln/detail/CVE-2016-1000110' },
      { title: 'CWE-454: External Initialization of Trusted Variables or Data Stores', url: 'https://cwe.mitre.org/data/definitions/454.html' },
    ],
  },
});
