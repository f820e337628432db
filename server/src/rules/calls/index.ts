import type { Rule } from '../../engine/rule';
import evalUsed from './eval-used';
import ftplibCall from './ftplib-call';
import hashlibInsecureHash from './hashlib-insecure-hash';
import insecureCipher from './insecure-cipher';
import insecureCipherMode from './insecure-cipher-mode';
import insecureHashClass from './insecure-hash-class';
import insecureMktemp from './insecure-mktemp';
import marshalDeserialization from './marshal-deserialization';
import pickleDeserialization from './pickle-deserialization';
import randomSecurityValue from './random-security-value';
import telnetlibCall from './telnetlib-call';
import unverifiedSslContext from './unverified-ssl-context';
import urlOpenUnvalidatedScheme from './url-open-unvalidated-scheme';
import xmlUnsafeParser from './xml-unsafe-parser';

export const callsRules: Rule[] = [randomSecurityValue, pickleDeserialization, marshalDeserialization, insecureHashClass, evalUsed, hashlibInsecureHash, xmlUnsafeParser, insecureMktemp, unverifiedSslContext, urlOpenUnvalidatedScheme, insecureCipher, insecureCipherMode, telnetlibCall, ftplibCall];
