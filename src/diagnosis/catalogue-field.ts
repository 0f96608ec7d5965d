// The hints for what admins meet in the field: CDNs, routers' default certificates, firewalls, DNS panels, staging CAs, proxies.

import type { HintDefinition } from './types.js';

/**
 * The field hints of the catalogue (issue 16), kept in a block of their own and spread into `HINT_CATALOGUE` after
 * the federation endpoint hints. Each one replaces a generic hint whose fix would be wrong for that situation
 * ("open the firewall" for a CDN that does not carry port 8448, "self-signed" for a router's default certificate).
 */
export const FIELD_HINTS = {
  'cdn-port-not-proxied': {
    severity: 'error',
    area: 'federation',
    title: "The host is behind Cloudflare's proxy, which does not carry the federation port",
    when: "a target address fails on a port Cloudflare's proxy does not accept (8448) while the host's addresses lie in Cloudflare's published ranges or its answers carry Cloudflare's headers",
  },
  'tls-router-default-certificate': {
    severity: 'error',
    area: 'federation',
    title: 'A TLS router or web server answers with its default certificate',
    when: "an address presents Traefik's default certificate, ingress-nginx's fake certificate, or a self-signed certificate for a machine's own host name (Debian's snakeoil and the like) instead of one for the name servers check",
  },
  'tls-staging-certificate': {
    severity: 'error',
    area: 'federation',
    title: 'The certificate comes from a staging (test) CA',
    when: 'an untrusted chain is issued by a Let\'s Encrypt staging CA ("(STAGING) ..." or "Fake LE ..." names)',
  },
  'firewall-blocks-homeservers': {
    severity: 'error',
    area: 'federation',
    title: 'A firewall or bot protection blocks homeservers by their User-Agent',
    when: "the well-known, version or key request answered 401/403/429/503 or an HTML page, and the same request with a browser's User-Agent got another answer",
  },
  'srv-record-misnamed': {
    severity: 'error',
    area: 'federation',
    title: 'SRV records are published under a wrong name',
    when: 'no usable SRV record was found, but records exist under a name a DNS panel makes by mistake (the zone twice, _udp, a misspelt service)',
  },
  'srv-target-zone-appended': {
    severity: 'error',
    area: 'federation',
    title: 'An SRV target has the zone appended a second time',
    when: 'an SRV target ends with its zone twice (matrix.example.com.example.com): it was written without its trailing dot',
  },
  'reverse-proxy-host-port': {
    severity: 'error',
    area: 'federation',
    title: 'The reverse proxy routes on the Host header with or without the port, but not the form servers send',
    when: 'the version request answered like a web server with the Host servers send, and the homeserver answered with the other form (with or without the port)',
  },
  'reverse-proxy-rewrites-path': {
    severity: 'error',
    area: 'federation',
    title: 'The reverse proxy decodes or rewrites request paths',
    when: 'an unsigned event request answers 401 (the homeserver), but the same request with an encoded slash in the id answers otherwise',
  },
  'client-base-url-has-path': {
    severity: 'error',
    area: 'client',
    title: 'The homeserver base URL has a /_matrix path',
    when: 'm.homeserver.base_url ends with /_matrix or another path under it: clients append /_matrix/client/... themselves',
  },
} as const satisfies Readonly<Record<string, HintDefinition>>;
