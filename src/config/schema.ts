// The keys the `serve` config understands, per section: the source of unknown-key warnings and typo suggestions.

/** Top-level keys with Synapse's meaning (homeserver.yaml), read by `serve`. */
export const SYNAPSE_TOP_LEVEL_KEYS = [
  'server_name',
  'listeners',
  'tls_certificate_path',
  'tls_private_key_path',
  'serve_server_wellknown',
  'public_baseurl',
  'default_identity_server',
  'extra_well_known_client_content',
] as const;

/** Top-level keys of this project (not in Synapse). */
export const OWN_TOP_LEVEL_KEYS = [
  'delegation_target',
  'support',
  'tester',
  'cache',
  'cache_store',
  'logging',
  'metrics',
  'monitor',
] as const;

/** Every top-level key `serve` reads. */
export const TOP_LEVEL_KEYS: readonly string[] = [...SYNAPSE_TOP_LEVEL_KEYS, ...OWN_TOP_LEVEL_KEYS];

/** Keys of one `listeners[]` entry that `serve` reads. */
export const LISTENER_KEYS = ['port', 'bind_addresses', 'bind_address', 'tls', 'type', 'x_forwarded'] as const;

/**
 * Keys of a Synapse listener that mean nothing here (reverse-proxy and resource settings of Synapse itself).
 * Ignored without a warning so that a homeserver.yaml listener reads cleanly.
 */
export const SYNAPSE_LISTENER_ONLY_KEYS: readonly string[] = ['resources', 'tag', 'request_id_header', 'http_options'];

/** Keys of `support`. */
export const SUPPORT_KEYS = ['contacts', 'support_page'] as const;

/** Keys of one `support.contacts[]` entry (the spec's field names). */
export const CONTACT_KEYS = ['role', 'matrix_id', 'email_address'] as const;

/** Keys of `tester`. */
export const TESTER_KEYS = [
  'enabled',
  'rate_limit_per_minute',
  'max_in_flight',
  'cache_seconds',
  'allow_networks',
  'dns_servers',
  'ca_file',
  'timeout_ms',
] as const;

/** Keys of `cache`. */
export const CACHE_KEYS = ['server_max_age_seconds', 'client_cache_control', 'support_max_age_seconds'] as const;

/** Keys of `cache_store` (where the tester keeps its results: in memory, or in Redis shared by several instances). */
export const CACHE_STORE_KEYS = ['kind', 'url', 'key_prefix', 'max_entries', 'max_bytes'] as const;

/** Keys of `logging`. */
export const LOGGING_KEYS = ['level'] as const;

/** Keys of `metrics`. */
export const METRICS_KEYS = ['enabled'] as const;

/** Keys of `monitor` (docs/monitor.md). */
export const MONITOR_KEYS = [
  'servers',
  'interval_seconds',
  'failures_before_alert',
  'certificate_warning_days',
  'max_in_flight',
  'state_path',
  'page_url',
  'notify',
] as const;

/** Keys of `monitor.notify`: the channels. */
export const NOTIFY_KEYS = ['webhook', 'email', 'matrix'] as const;

/** Keys of `monitor.notify.webhook`. */
export const WEBHOOK_KEYS = ['url'] as const;

/** Keys of `monitor.notify.email`. */
export const EMAIL_KEYS = ['smtp_url', 'username', 'password_file', 'password_env', 'from', 'to'] as const;

/** Keys of `monitor.notify.matrix`. */
export const MATRIX_NOTIFY_KEYS = ['homeserver', 'access_token_file', 'access_token_env', 'room_id'] as const;
