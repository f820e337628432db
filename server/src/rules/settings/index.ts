import type { Rule } from '../../engine/rule';
import cookieWithoutSecurityFlags from './cookie-without-security-flags';
import corsWildcardOrigin from './cors-wildcard-origin';
import csrfExempt from './csrf-exempt';
import csrfProtectionDisabled from './csrf-protection-disabled';
import debugFromEnvUnsafeDefault from './debug-from-env-unsafe-default';
import djangoAllowedHostsWildcard from './django-allowed-hosts-wildcard';
import djangoCsrfMiddlewareMissing from './django-csrf-middleware-missing';
import djangoDebugTrue from './django-debug-true';
import djangoHstsTooShort from './django-hsts-too-short';
import djangoNosniffOff from './django-nosniff-off';
import djangoSessionCookieInsecureMissing from './django-session-cookie-insecure-missing';
import djangoSslRedirectOff from './django-ssl-redirect-off';
import djangoXFrameOptionsAllow from './django-x-frame-options-allow';
import drfAllowAnyDefault from './drf-allow-any-default';
import fastapiDebugTrue from './fastapi-debug-true';
import flaskDebugTrue from './flask-debug-true';
import insecureCookieSetting from './insecure-cookie-setting';
import sessionLifetimeTooLong from './session-lifetime-too-long';

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
  djangoSessionCookieInsecureMissing,
  djangoNosniffOff,
  djangoXFrameOptionsAllow,
];
