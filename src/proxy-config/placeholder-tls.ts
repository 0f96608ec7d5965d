// A fixed self-signed certificate and key that stand in for TLS files not on this machine while a config is checked for snippets.

/**
 * A certificate (EC P-256, `CN=matrix-delegation placeholder`, valid 2026-2126) and its key in one PEM text. It only
 * lets `parseConfigForSnippets` validate the rest of a config whose TLS files live on another machine: it is read by
 * the validator, never served, never trusted, and the warnings it causes are dropped. Fixed rather than generated, so
 * that making snippets needs no certificate library (`@peculiar/x509` is for the lab); its key is public on purpose.
 * Made with `openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 36500`.
 */
export const PLACEHOLDER_TLS_PEM = `-----BEGIN CERTIFICATE-----
MIIBqDCCAU2gAwIBAgIUMxja29JHkDl20Pk7xcsOn3WJ+D8wCgYIKoZIzj0EAwIw
KDEmMCQGA1UEAwwdbWF0cml4LWRlbGVnYXRpb24gcGxhY2Vob2xkZXIwIBcNMjYx
MjA3MTUxODE1WhgPMjEyNjExMTMxNTE4MTVaMCgxJjAkBgNVBAMMHW1hdHJpeC1k
ZWxlZ2F0aW9uIHBsYWNlaG9sZGVyMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE
8yOr/V0uXpTREM3w0zIrVd+XeXqPnJVS31ttP1bNNaQazrU0U0R8Ngl0IKaJPhsL
2jae5cr76xIykevUR110HaNTMFEwHQYDVR0OBBYEFPEXEB+thecdcSRRGOQGkrjm
JiFnMB8GA1UdIwQYMBaAFPEXEB+thecdcSRRGOQGkrjmJiFnMA8GA1UdEwEB/wQF
MAMBAf8wCgYIKoZIzj0EAwIDSQAwRgIhAJw3vROvymLICW0d0ibKtjufTpWRE6Rt
6aIi2tzdjITpAiEAmLysB6v8s1BRIBHrZVTxuey+2ulkMziOYHq0T3rZwfw=
-----END CERTIFICATE-----
-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgygn3opxKmZ/dyEbY
AehG2NAxtPW96fk6Qzyn12D1Nv2hRANCAATzI6v9XS5elNEQzfDTMitV35d5eo+c
lVLfW20/Vs01pBrOtTRTRHw2CXQgpok+GwvaNp7lyvvrEjKR69RHXXQd
-----END PRIVATE KEY-----
`;
