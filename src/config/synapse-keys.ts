// Top-level keys of Synapse's homeserver.yaml that `serve` has no use for: ignored quietly, never flagged as typos.

/**
 * Synapse settings (its configuration manual's top-level option names) that do not concern delegation.
 *
 * Why quietly: admins may point `serve --config` at their homeserver.yaml to reuse `server_name`,
 * `public_baseurl` and friends; a warning for each of its dozens of other keys would bury the warnings that
 * matter. The keys are still reported in `ignoredSynapseKeys` of the load result. A key not in this list and
 * not known to `serve` gets an "unknown key" warning.
 */
export const SYNAPSE_IGNORED_KEYS: ReadonlySet<string> = new Set([
  // Server basics
  'modules', 'pid_file', 'web_client_location', 'soft_file_limit', 'presence', 'use_presence',
  'require_auth_for_profile_requests', 'limit_profile_requests_to_users_who_share_rooms',
  'include_profile_data_on_invite', 'allow_public_rooms_without_auth', 'allow_public_rooms_over_federation',
  'default_room_version', 'gc_thresholds', 'gc_min_interval', 'filter_timeline_limit', 'block_non_admin_invites',
  'enable_search', 'ip_range_blacklist', 'ip_range_whitelist', 'manhole_settings', 'dummy_events_threshold',
  'delete_stale_devices_after', 'admin_contact', 'hs_disabled', 'hs_disabled_message', 'limit_usage_by_mau',
  'max_mau_value', 'mau_trial_days', 'mau_appservice_trial_days', 'mau_limit_alerting', 'mau_stats_only',
  'mau_limit_reserved_threepids', 'server_context', 'limit_remote_rooms', 'require_membership_for_aliases',
  'allow_per_room_profiles', 'max_avatar_size', 'allowed_avatar_mimetypes', 'redaction_retention_period',
  'forgotten_room_retention_period', 'forget_rooms_on_leave', 'user_ips_max_age', 'request_token_inhibit_3pid_errors',
  'next_link_domain_whitelist', 'templates', 'retention', 'exclude_rooms_from_sync', 'use_frozen_dicts',
  'daemonize', 'print_pidfile', 'user_agent_suffix', 'experimental_features', 'max_event_delay_duration',
  'http_client', 'login_via_existing_session', 'matrix_authentication_service', 'auto_accept_invites',
  // TLS and federation
  'federation_verify_certificates', 'federation_client_minimum_tls_version',
  'federation_certificate_verification_whitelist', 'federation_custom_ca_list', 'federation_domain_whitelist',
  'federation_whitelist_endpoint_enabled', 'federation_metrics_domains', 'allow_profile_lookup_over_federation',
  'allow_device_name_lookup_over_federation', 'federation', 'federation_ip_range_blacklist', 'no_tls',
  'tls_fingerprints', 'acme', 'send_federation', 'federation_sender_instances',
  // Caching, database, logging, metrics
  'event_cache_size', 'caches', 'database', 'databases', 'log_config', 'enable_metrics', 'sentry',
  'metrics_flags', 'report_stats', 'report_stats_endpoint', 'opentracing',
  // Media and URL previews
  'media_store_path', 'enable_media_repo', 'enable_authenticated_media', 'media_storage_providers',
  'max_upload_size', 'max_image_pixels', 'prevent_media_downloads_from', 'dynamic_thumbnails', 'thumbnail_sizes',
  'media_retention', 'url_preview_enabled', 'url_preview_ip_range_blacklist', 'url_preview_ip_range_whitelist',
  'url_preview_url_blacklist', 'max_spider_size', 'url_preview_accept_language', 'oembed', 'uploads_path',
  'media_instance_running_background_jobs',
  // Captcha and TURN
  'recaptcha_public_key', 'recaptcha_private_key', 'enable_registration_captcha', 'recaptcha_siteverify_api',
  'turn_uris', 'turn_shared_secret', 'turn_shared_secret_path', 'turn_username', 'turn_password',
  'turn_user_lifetime', 'turn_allow_guests',
  // Registration and accounts
  'enable_registration', 'enable_registration_without_verification', 'session_lifetime',
  'refreshable_access_token_lifetime', 'refresh_token_lifetime', 'nonrefreshable_access_token_lifetime',
  'registrations_require_3pid', 'disable_msisdn_registration', 'enable_3pid_lookup', 'registration_requires_token',
  'registration_shared_secret', 'registration_shared_secret_path', 'bcrypt_rounds', 'allow_guest_access',
  'account_threepid_delegates', 'enable_set_displayname', 'enable_set_avatar_url', 'enable_3pid_changes',
  'auto_join_rooms', 'autocreate_auto_join_rooms', 'autocreate_auto_join_rooms_federated',
  'autocreate_auto_join_room_preset', 'auto_join_mxid_localpart', 'auto_join_rooms_for_guests',
  'inhibit_user_in_use_error', 'captcha_bypass_secret',
  // Rate limits
  'rc_message', 'rc_registration', 'rc_registration_token_validity', 'rc_login', 'rc_admin_redaction',
  'rc_joins', 'rc_joins_per_room', 'rc_3pid_validation', 'rc_invites', 'rc_third_party_invite', 'rc_federation',
  'rc_presence', 'rc_delayed_event_mgmt', 'rc_reports', 'federation_rr_transactions_per_room_per_second',
  // Application services, secrets and signing keys
  'app_service_config_files', 'track_appservice_user_ips', 'macaroon_secret_key', 'form_secret',
  'signing_key_path', 'old_signing_keys', 'key_refresh_interval', 'trusted_key_servers',
  'suppress_key_server_warning', 'key_server_signing_keys_path',
  // Single sign-on and authentication
  'saml2_config', 'oidc_config', 'oidc_providers', 'cas_config', 'sso', 'jwt_config', 'password_config',
  'password_providers', 'ui_auth',
  // Push, rooms, directory, notices, consent, spam checking
  'email', 'push', 'encryption_enabled_by_default_for_room_type', 'user_directory', 'stats', 'server_notices',
  'enable_room_list_search', 'alias_creation_rules', 'room_list_publication_rules',
  'default_power_level_content_override', 'user_consent', 'spam_checker', 'third_party_event_rules',
  'room_prejoin_state', 'background_updates',
  // Workers
  'worker_replication_secret', 'worker_app', 'worker_name', 'worker_listeners', 'worker_daemonize',
  'worker_pid_file', 'worker_log_config', 'worker_replication_host', 'worker_replication_http_port',
  'instance_map', 'stream_writers', 'outbound_federation_restricted_to', 'run_background_tasks_on',
  'update_user_directory_from_worker', 'notify_appservices_from_worker', 'pusher_instances', 'start_pushers',
  'redis', 'replication_torture_level',
]);
