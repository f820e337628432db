import type { Rule } from '../../engine/rule';
import cookieWithoutSecurityFlags from './cookie-without-security-flags';
import corsWildcardOrigin from './cors-wildcard-origin';
import csrfExempt from './csrf-exempt';
import csrfProtectionDisabled from './csrf-protection-disabled';
import debugFromEnvUnsafeDefault from './debug-from-env-unsafe-default';
import djangoCsrfMiddlewareMissing from './django-csrf-middleware-missing';
import djangoSslRedirectOff from './django-ssl-redirect-off';
import djangoHstsTooShort from './django-hsts-too-short';
import drfAllowAnyDefault from './drf-allow-any-default';
import sessionLifetimeTooLong from './session-lifetime-too-long';
import djangoAllowedHostsWildcard from './django-allowed-hosts-wildcard';
import djangoDebugTrue from './django-debug-true';
import fastapiDebugTrue from './fastapi-debug-true';
import flaskDebugTrue from './flask-debug-true';
import insecureCookieSetting from './insecure-cookie-setting';

export const settingsRules: Rule[] = [
  flaskDebugTrue,
  djangoDebugTrue,
  fastapiDebugTrue,
  djangoAllowedHostsWildcard,
  csrfExempt,
  csrfProtectionDisabled,
  corsWildcardOrigin,
  cookieWithoutSecurityFlags,
  insecureCookieSetting,
  debugFromEnvUnsafeDefault,
  djangoCsrfMiddlewareMissing,
  djangoSslRedirectOff,
  djangoHstsTooShort,
  drfAllowAnyDefault,
  sessionLifetimeTooLong,
];
