import type { Rule } from '../../engine/rule';
import jwtDecodeWithoutAlgorithms from './jwt-decode-without-algorithms';
import jwtLongExpiry from './jwt-long-expiry';
import jwtNoneAlgorithm from './jwt-none-algorithm';
import jwtSignatureNotVerified from './jwt-signature-not-verified';
import jwtWithoutExpiry from './jwt-without-expiry';
import passwordCompareNotConstantTime from './password-compare-not-constant-time';
import requestWithoutCertValidation from './request-without-cert-validation';
import snmpInsecureVersion from './snmp-insecure-version';
import snmpWeakCrypto from './snmp-weak-crypto';
import sslBadDefaults from './ssl-bad-defaults';
import sslInsecureVersion from './ssl-insecure-version';
import sslNoVersion from './ssl-no-version';
import sshNoHostKeyVerification from './ssh-no-host-key-verification';
import weakCryptographicKey from './weak-cryptographic-key';
import weakPasswordHash from './weak-password-hash';
import yamlUnsafeLoad from './yaml-unsafe-load';

export const cryptoRules: Rule[] = [
  requestWithoutCertValidation,
  yamlUnsafeLoad,
  weakPasswordHash,
  jwtDecodeWithoutAlgorithms,
  jwtSignatureNotVerified,
  jwtNoneAlgorithm,
  jwtWithoutExpiry,
  passwordCompareNotConstantTime,
  sshNoHostKeyVerification,
  jwtLongExpiry,
  sslInsecureVersion,
  sslBadDefaults,
  sslNoVersion,
  weakCryptographicKey,
  snmpInsecureVersion,
  snmpWeakCrypto,
];
