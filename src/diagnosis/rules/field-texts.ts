// The texts of the field hints, in English: a catalogue of messages (`<hint id>.<part>`), each a function of named values.

import type { Catalogue } from '../../i18n/index.js';

/**
 * What the field hints say, in English. Every message takes its values by name, already formatted (lists joined,
 * remote values quoted where they are shown quoted), so that a translation (issue 17) is a second object of the
 * same shape (an i18n `Catalogue`). Keys are `<hint id>.detail` and `<hint id>.fix`, and `<hint id>.<part>` for the
 * parts a detail is made of (`item`: one per address or record seen).
 */
export const FIELD_TEXTS = {
  'cdn-port-not-proxied.detail': (p: {
    hosts: string;
    evidence: string;
    httpsPorts: string;
    ports: string;
    failures: string;
  }) =>
    `Behind Cloudflare's proxy: ${p.hosts} (${p.evidence}). Cloudflare's proxy accepts HTTPS only on ports ${p.httpsPorts}, ` +
    `not on ${p.ports}, so servers connecting there never reach the homeserver (${p.failures}).`,
  'cdn-port-not-proxied.through443': (p: { port: string; host: string; where: string }) =>
    ` Port ${p.port} of ${p.host} answers the federation API through the proxy (${p.where}).`,
  'cdn-port-not-proxied.rangeEvidence': (p: { ip: string; range: string; source: string; asOf: string }) =>
    `${p.ip} lies in Cloudflare's published range ${p.range} (${p.source}, as of ${p.asOf})`,
  'cdn-port-not-proxied.headerEvidence': (p: { where: string; headers: string }) =>
    `${p.where} answers with ${p.headers}`,
  'cdn-port-not-proxied.fix': (p: {
    hosts: string;
    ports: string;
    document: string;
    wellKnownUrl: string;
    host: string;
  }) =>
    `Either make the DNS records of ${p.hosts} "DNS only" (the grey cloud in Cloudflare's DNS settings), so that servers ` +
    `reach your server directly on port ${p.ports} (which must then be open there); or keep the proxy and let federation ` +
    `go through port 443: serve ${p.document} at ${p.wellKnownUrl} (or publish the SRV record with port 443), forward ` +
    `/_matrix/ on ${p.host}:443 to the homeserver, set Cloudflare's SSL/TLS mode to Full (strict), do not cache /_matrix/, ` +
    'and exempt /_matrix/ and /.well-known/matrix/ from bot protection and challenges (homeservers cannot solve them).',
  'tls-router-default-certificate.item': (p: {
    addresses: string;
    snis: string;
    product: string;
    subject: string;
    issuer: string;
  }) => `${p.addresses} answer the SNI ${p.snis} with ${p.product} (CN "${p.subject}", issued by "${p.issuer}")`,
  'tls-router-default-certificate.detail': (p: { items: string; names: string }) =>
    `${p.items}: the router or web server there has no route or no certificate for ${p.names}, the name servers ask ` +
    'for and check (the server name, or the host "m.server" delegates to), and falls back to its default certificate.',
  'tls-router-default-certificate.products.traefik': "Traefik's default certificate",
  'tls-router-default-certificate.products.ingressNginx': "the Kubernetes ingress-nginx controller's fake certificate",
  'tls-router-default-certificate.products.machine':
    "a web server's built-in certificate for the machine's own host name (Debian's ssl-cert \"snakeoil\" certificate and the like)",
  'tls-router-default-certificate.fixes.traefik': (p: { name: string; port: number }) =>
    `Give Traefik a router with the rule Host(\`${p.name}\`) on the entry point of port ${p.port} and TLS enabled (a ` +
    `tls.certResolver for Let's Encrypt, or a certificate for ${p.name} in the file provider's tls.certificates); check in ` +
    "Traefik's log that the certificate resolver obtained the certificate and that the router is not in error.",
  'tls-router-default-certificate.fixes.ingressNginx': (p: { name: string; port: number }) =>
    `Add ${p.name} to the spec.tls hosts of the Ingress that routes it, with a secretName holding its certificate (with ` +
    `cert-manager, the annotation cert-manager.io/cluster-issuer), and a rule for host ${p.name}; check that the secret ` +
    `exists and holds a certificate for ${p.name} (the controller serves port ${p.port}).`,
  'tls-router-default-certificate.fixes.machine': (p: { name: string; port: number }) =>
    `Add a site for ${p.name} on port ${p.port} with its real certificate, before the default one that uses the built-in ` +
    `certificate (nginx: a server block with "listen ${p.port} ssl;", "server_name ${p.name};" and ssl_certificate ` +
    `pointing at its fullchain.pem; Apache: a <VirtualHost *:${p.port}> with ServerName ${p.name} and SSLCertificateFile), ` +
    'instead of /etc/ssl/certs/ssl-cert-snakeoil.pem.',
  'tls-staging-certificate.item': (p: { address: string; issuer: string }) =>
    `${p.address} presents a certificate issued by "${p.issuer}"`,
  'tls-staging-certificate.detail': (p: { items: string }) =>
    `${p.items}. That is Let's Encrypt's staging environment, meant for testing a set-up: its roots are in no trust ` +
    'store, so no server accepts the certificate.',
  'tls-staging-certificate.fix': (p: { names: string; name: string }) =>
    `Get a production certificate for ${p.names} and reload the server that presents it. certbot: certbot certonly ` +
    `--force-renewal -d ${p.name} without --test-cert or --staging (and remove a "server = ` +
    `https://acme-staging-v02.api.letsencrypt.org/directory" line from /etc/letsencrypt/renewal/${p.name}.conf); Traefik: ` +
    'remove caServer (the staging URL) from the certificate resolver and delete its acme.json; Caddy: remove the staging ' +
    'acme_ca; acme.sh: drop --staging / --test.',
  'firewall-blocks-homeservers.item': (p: { where: string; first: string; second: string; challenge: boolean }) =>
    `${p.where} answers ${p.first} to this checker${p.challenge ? ' (a Cloudflare challenge: cf-mitigated: challenge)' : ''}, ` +
    `but ${p.second} to a browser's User-Agent`,
  'firewall-blocks-homeservers.detail': (p: { items: string }) =>
    `${p.items}. A firewall or bot protection rule blocks clients by their User-Agent, and homeservers, which send ` +
    'User-Agents such as "Synapse/1.120.0", are blocked with them.',
  'firewall-blocks-homeservers.fix': (p: { hosts: string }) =>
    `Exempt /.well-known/matrix/ and /_matrix/ on ${p.hosts} from the rule, whatever the User-Agent. On Cloudflare, turn ` +
    'off Bot Fight Mode (it cannot be skipped per path), or with Super Bot Fight Mode add a WAF custom rule with the Skip ' +
    'action for URI paths starting with /.well-known/matrix/ or /_matrix/; elsewhere (a WAF, fail2ban, a web server rule ' +
    'on the User-Agent) allow those paths.',
  'srv-record-misnamed.item': (p: { name: string; records: string; intended: string; mistake: string }) =>
    `${p.name} has SRV records (${p.records}), but servers look up ${p.intended}: ${p.mistake}`,
  'srv-record-misnamed.mistakes.zone-repeated': 'the zone was appended to a name that already ended with it',
  'srv-record-misnamed.mistakes.wrong-protocol': 'the protocol is UDP, where Matrix federation uses TCP',
  'srv-record-misnamed.mistakes.wrong-service': 'the service label is misspelt',
  'srv-record-misnamed.detail': (p: { items: string; intended: string }) =>
    `${p.items}. No record was found under ${p.intended}.`,
  'srv-record-misnamed.fix': (p: { lines: string; zone: string; relative: string; service: string }) =>
    `Publish the records under the right name: ${p.lines} In a DNS panel that appends the zone (${p.zone}) to what you ` +
    `type, enter the name as "${p.relative}", the service as "${p.service}" and the protocol as "_tcp" (TCP) where they ` +
    'are separate fields, and the target with its trailing dot. Then delete the misnamed records.',
  'srv-target-zone-appended.item': (p: { name: string; target: string }) =>
    `${p.name} points at ${p.target}, which ends with its zone twice: the target was written without its trailing dot, ` +
    'so the zone was appended',
  'srv-target-zone-appended.detail': (p: { items: string }) =>
    `${p.items}. Servers look up that name and find no address.`,
  'srv-target-zone-appended.fix': (p: { lines: string }) =>
    `Write each target as a full name with a trailing dot: ${p.lines} (in a panel with a target field, type the target ` +
    'with its trailing dot, or only the part before the zone if the panel says it appends it).',
  'reverse-proxy-host-port.item': (p: { address: string; firstHost: string; status: string; secondHost: string }) =>
    `GET /_matrix/federation/v1/version on ${p.address} with Host ${p.firstHost} answered ${p.status}, but with Host ` +
    `${p.secondHost} the homeserver answers`,
  'reverse-proxy-host-port.withPort': (p: { items: string; sent: string; routed: string }) =>
    `${p.items}. Servers send the Host header with the port (${p.sent}) because the delegation names one; the reverse ` +
    `proxy only routes ${p.routed}.`,
  'reverse-proxy-host-port.withoutPort': (p: { items: string; sent: string; routed: string }) =>
    `${p.items}. Servers send the Host header without a port (${p.sent}); the reverse proxy only routes ${p.routed}.`,
  'reverse-proxy-host-port.fix': (p: { host: string; routed: string }) =>
    `Make the proxy route ${p.host} whatever the port in the Host header: HAProxy: compare the host part only (acl ` +
    `matrix req.hdr(host),field(1,:) -i ${p.host}) instead of hdr(host) -i ${p.routed}; in other proxies and in ` +
    'application routers, match the host name without the port. nginx (server_name), Apache (ServerName) and Caddy ' +
    'ignore the port already.',
  'reverse-proxy-rewrites-path.detail': (p: {
    address: string;
    hostHeader: string;
    plainPath: string;
    plainAnswer: string;
    encodedPath: string;
    encodedAnswer: string;
  }) =>
    `On ${p.address} (Host ${p.hostHeader}), GET ${p.plainPath} answers ${p.plainAnswer}, as a homeserver refuses an ` +
    `unsigned request, but GET ${p.encodedPath}, the same request with an encoded "/" (%2F) in the event id, answers ` +
    `${p.encodedAnswer}: something between the servers and the homeserver decodes or rewrites the path. Requests for ` +
    'rooms and events whose ids contain "/" or other encoded characters then fail.',
  'reverse-proxy-rewrites-path.fix': () =>
    'Pass the request path to the homeserver exactly as received. nginx: write proxy_pass without a URI part ' +
    '(proxy_pass http://127.0.0.1:8008; not http://127.0.0.1:8008/ or http://127.0.0.1:8008/_matrix); Apache: ' +
    'ProxyPass /_matrix http://127.0.0.1:8008/_matrix nocanon, with AllowEncodedSlashes NoDecode; other proxies: do ' +
    'not decode or normalise the path.',
  'client-base-url-has-path.detail': (p: { baseUrl: string; path: string; versionsUrl: string; answer: string }) =>
    `m.homeserver.base_url is "${p.baseUrl}", with the path "${p.path}". Clients append /_matrix/client/... to the base ` +
    `URL themselves, so they ask for ${p.versionsUrl}${p.answer}.`,
  'client-base-url-has-path.answer': (p: { url: string; status: string }) => ` (${p.url} answered ${p.status})`,
  'client-base-url-has-path.fix': (p: { origin: string }) =>
    `Write base_url without the path: {"m.homeserver": {"base_url": "${p.origin}"}}.`,
} as const satisfies Catalogue;
