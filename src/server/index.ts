// matrix-delegation/server: the delegation server (startServer), its config model, and the snippets and plans made from a config.

export * from '../errors.js';
export { startServer } from './serve.js';
export type { StartServerOptions, RunningServer, ReloadResult, ListeningAddress } from './serve.js';
export * from '../config/index.js';
export {
  prepareWellKnownDocuments,
  buildServerDocument,
  buildClientDocument,
  buildSupportDocument,
} from '../config/documents.js';
export { generateProxyConfig, PROXY_TARGETS } from '../proxy-config/index.js';
export type { GeneratedConfig, ProxyConfigOptions, ProxyTarget } from '../proxy-config/index.js';
export { createPlan, buildPlan, decideDelegation } from '../plan/index.js';
