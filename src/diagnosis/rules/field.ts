// The field rules (issue 16): each names a situation admins meet in the wild that a generic hint would misexplain.

import type { Rule } from '../rule.js';
import { cdnPortNotProxied } from './field-cdn.js';
import { clientBaseUrlHasPath } from './field-client.js';
import { firewallBlocksHomeservers, reverseProxyHostPort, reverseProxyRewritesPath } from './field-http.js';
import { srvRecordMisnamed, srvTargetZoneAppended } from './field-srv.js';
import { tlsRouterDefaultCertificate, tlsStagingCertificate } from './field-tls.js';

/** The rules of the field hints, in catalogue order (see `catalogue-field.ts`). */
export const fieldRules: readonly Rule[] = [
  cdnPortNotProxied,
  tlsRouterDefaultCertificate,
  tlsStagingCertificate,
  firewallBlocksHomeservers,
  srvRecordMisnamed,
  srvTargetZoneAppended,
  reverseProxyHostPort,
  reverseProxyRewritesPath,
  clientBaseUrlHasPath,
];
