// The well-known fetch's defaults, apart from the fetch itself so that naming them loads no network code.

/** Defaults of `WellKnownFetchOptions` and `WellKnownDocumentOptions`. */
export const WELL_KNOWN_FETCH_DEFAULTS = Object.freeze({
  port: 443,
  timeoutMs: 10_000,
  connectTimeoutMs: 5_000,
  maxBodyBytes: 51_200,
  maxRedirects: 20,
});
