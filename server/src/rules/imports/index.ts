import type { Rule } from '../../engine/rule';
import ftplibImport from './ftplib-import';
import httpoxyCgiHandler from './httpoxy-cgi-handler';
import lxmlImport from './lxml-import';
import pickleImport from './pickle-import';
import pycryptoImport from './pycrypto-import';
import pycryptodomeImport from './pycryptodome-import';
import pyghmiImport from './pyghmi-import';
import subprocessImport from './subprocess-import';
import telnetlibImport from './telnetlib-import';
import xmlEtreeImport from './xml-etree-import';
import xmlExpatbuilderImport from './xml-expatbuilder-import';
import xmlMinidomImport from './xml-minidom-import';
import xmlPulldomImport from './xml-pulldom-import';
import xmlSaxImport from './xml-sax-import';
import xmlrpcImport from './xmlrpc-import';

export const importsRules: Rule[] = [
  telnetlibImport,
  ftplibImport,
  pickleImport,
  subprocessImport,
  xmlEtreeImport,
  xmlSaxImport,
  xmlExpatbuilderImport,
  xmlMinidomImport,
  xmlPulldomImport,
  lxmlImport,
  xmlrpcImport,
  httpoxyCgiHandler,
  pycryptoImport,
  pycryptodomeImport,
  pyghmiImport,
];
