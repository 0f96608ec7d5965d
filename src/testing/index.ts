// matrix-delegation/testing: the federation lab (DNS server, throwaway CA, HTTPS hosts on loopback) for tests.

export type * from './types.js';
export { startLab, type Lab, type LabClientOptions, type LabOptions } from './lab.js';
export { echoHandler, type LabHost, type LabHostMode } from './https-host.js';
export { startDnsServer, type LabDnsServer, type LabDnsServerOptions } from './dns-server.js';
export {
  createCertificateAuthority,
  type LabCertificateAuthority,
  type CertificateAuthorityOptions,
} from './certificates.js';
