// The `serve` configuration: YAML with Synapse's keys -> a validated, complete ServeConfig.

export {
  loadConfig,
  loadConfigAsync,
  loadConfigOrThrow,
  loadDefaultConfig,
  parseConfig,
  parseConfigOrThrow,
} from './load.js';
export { FILE_READ_TIMEOUT_MS, MAX_CONFIG_FILE_BYTES, MAX_PEM_FILE_BYTES } from './read-file.js';
export type { LoadConfigOptions, ParseConfigOptions } from './load.js';
export { validateConfig } from './validate.js';
export type { ValidateOptions } from './validate.js';
export { MAX_WATCHED_SERVERS, MIN_INTERVAL_SECONDS } from './validate-monitor.js';
export type { SecretEnvironment } from './validate-monitor.js';
export { REDACTED, Secret } from './secret.js';
export { formatConfigErrors } from './format.js';
export { CONFIG_DEFAULTS, DEFAULT_CONFIG_SOURCE, DEFAULT_CONFIG_YAML } from './defaults.js';
export { SYNAPSE_IGNORED_KEYS } from './synapse-keys.js';
export { TOP_LEVEL_KEYS } from './schema.js';
export { CACHE_STORE_KINDS, CONFIG_ERROR_CODES, LOG_LEVELS } from './types.js';
export type {
  CacheConfig,
  CacheStoreKind,
  CacheStoreSettings,
  ConfigError,
  ConfigErrorCode,
  ConfigFailure,
  ConfigPathSegment,
  ConfigResult,
  ConfigSuccess,
  EmailNotifyConfig,
  JsonObject,
  JsonValue,
  ListenerConfig,
  LoggingConfig,
  LogLevel,
  MatrixNotifyConfig,
  MetricsConfig,
  MonitorConfig,
  NotifyConfig,
  ServeConfig,
  SupportConfig,
  SupportContact,
  TesterConfig,
  TlsConfig,
  WebhookNotifyConfig,
} from './types.js';
