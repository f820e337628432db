import type { Rule } from '../../engine/rule';
import jwtDecodeWithoutAlgorithms from './jwt-decode-without-algorithms';
import jwtNoneAlgorithm from './jwt-none-algorithm';
import jwtSignatureNotVerified from './jwt-signature-not-verified';
import jwtWithoutExpiry from './jwt-without-expiry';

export const cryptoRules: Rule[] = [jwtDecodeWithoutAlgorithms, jwtSignatureNotVerified, jwtNoneAlgorithm, jwtWithoutExpiry];
