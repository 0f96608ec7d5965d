// The page's words in each language it speaks (English, Simplified Chinese), how the language is chosen, Intl formatters.
//
// Plain ES module shared by the page (app.js) and its Node tests (test/web/page-texts.test.ts), so it touches no
// browser global at import. The catalogues follow src/i18n (CONTRIBUTING, "Languages"): one function (or plain
// string) per message with named placeholders, the same keys in every language, the zh-CN words of the glossary.
// In a message, `code` marks code and [words](name) a link to one of LINKS: the page draws them as elements (only
// for its own fixed texts, never for remote data).

/** The languages of the page. English is the default and the fallback for every other language. */
export const LOCALES = ['en', 'zh-CN'];

/** The default, and the fallback. */
export const DEFAULT_LOCALE = 'en';

/** Each language's name in itself: the switcher shows these, the same in every language. */
export const LANGUAGE_NAMES = { en: 'English', 'zh-CN': '简体中文' };

/** Where a stored choice of language is kept (localStorage). */
export const LANGUAGE_STORAGE_KEY = 'matrix-delegation.lang';

/** The links a fixed text may carry ([words](name)): never a URL from a report. */
export const LINKS = { spec: 'https://spec.matrix.org/latest/server-server-api/#resolving-server-names' };

/**
 * The locale of a language tag, or null when it is none of ours: the rules of `parseLocale` in src/i18n/locale.ts
 * (the tests check that both agree). `zh`, `zh-CN`, `zh-Hans`, `zh-SG` are zh-CN; `zh-TW`, `zh-HK`, `zh-Hant` are
 * Traditional Chinese, which has no messages: null.
 */
export function parseLocale(tag) {
  const trimmed = String(tag ?? '').trim();
  if (trimmed === '') return null;
  const name = trimmed.replace(/[.@].*$/, '');
  if (/^(c|posix)$/i.test(name)) return 'en';
  const parts = name.split(/[-_]/).map((part) => part.toLowerCase());
  const language = parts[0];
  if (language === 'en') return 'en';
  if (language !== 'zh') return null;
  const rest = parts.slice(1);
  if (rest.includes('hant')) return null;
  if (rest.includes('hans')) return 'zh-CN';
  const region = rest.find((part) => /^[a-z]{2}$/.test(part));
  if (region === undefined) return 'zh-CN';
  return ['cn', 'sg', 'my'].includes(region) ? 'zh-CN' : null;
}

/**
 * The page's language: `?lang=` in the page's URL first (a language without messages there gives English), then the
 * visitor's stored choice, then the browser's languages in order (the first with messages wins), else English.
 */
export function chooseLocale({ query = null, stored = null, languages = [] } = {}) {
  if (typeof query === 'string' && query.trim() !== '') return parseLocale(query) ?? DEFAULT_LOCALE;
  if (typeof stored === 'string' && LOCALES.includes(stored)) return stored;
  for (const tag of Array.isArray(languages) ? languages : []) {
    const locale = parseLocale(tag);
    if (locale !== null) return locale;
  }
  return DEFAULT_LOCALE;
}

/** The formatters of a language (the shape of src/i18n's Formatters): lists, numbers, dates and plurals through Intl. */
export function formattersFor(locale) {
  const and = new Intl.ListFormat(locale, { type: 'conjunction' });
  const or = new Intl.ListFormat(locale, { type: 'disjunction' });
  const plurals = new Intl.PluralRules(locale);
  return {
    locale,
    list: (items, kind = 'and') => (kind === 'or' ? or : and).format(items),
    number: (value, options) => new Intl.NumberFormat(locale, options).format(value),
    date: (value, options) =>
      new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC', ...options }).format(
        value,
      ),
    plural: (count, forms) => forms[plurals.select(count)] ?? forms.other,
  };
}

// ---------------------------------------------------------------------------------------------------------------
// English. Every text the page showed before it spoke Chinese, word for word.

const en = {
  // The page around the report (index.html's elements carry these keys in data-i18n attributes).
  'page.title': 'Matrix federation tester',
  'page.description':
    'Check whether other Matrix homeservers can federate with yours, and learn how to fix what is wrong.',
  'page.lede':
    'Type a Matrix server name to see whether other homeservers can reach it, the path they take to find it, and how to fix what is wrong.',
  'page.language': 'Language',
  'form.label': 'Check a server',
  'form.name': 'Server name',
  'form.help': 'The part after the colon in your Matrix IDs: `example.com` for `@alice:example.com`.',
  'form.check': 'Check',
  'monitor.title': 'Watched servers',
  'monitor.help':
    'This server checks these names on a schedule and notifies when federation breaks or recovers; the ones in trouble come first.',
  'page.footer':
    'The same checks as JSON: `GET /api/check?server_name=…` (native report), `GET /api/report?server_name=…` (matrix-federation-tester format), `GET /api/federation-ok?server_name=…` (`GOOD` or `BAD`); the watched servers: `GET /api/monitor`. Made with [the Matrix specification](spec) in hand.',

  // Durations, dates, lists.
  'format.seconds': (p) => `${p.seconds} s`,
  'format.ms': (p) => `${p.ms} ms`,
  'format.listSeparator': ', ',
  'format.labelSeparator': ': ',

  // The verdict.
  'verdict.ok': 'works',
  'verdict.partial': 'works partly',
  'verdict.bad': 'does not work',
  'verdict.heading': (p) => `${p.name}: federation ${p.verdict}`,
  'verdict.sentence': (p) => `Federation ${p.verdict}.`,
  'verdict.documentTitle': (p) => `${p.name}: federation ${p.verdict} · ${p.page}`,
  'verdict.checked': (p) => `Checked ${p.when}`,
  'verdict.took': (p) => `took ${p.duration}`,
  'verdict.metaSeparator': ', ',
  'verdict.announce': (p, f) =>
    `${p.name}: federation ${p.verdict}.${p.summary === null ? '' : ` ${p.summary}`}${
      p.fixes === 0 ? '' : ` ${p.fixes} ${f.plural(p.fixes, { one: 'thing', other: 'things' })} to fix.`
    }`,

  // The hints (their titles, details and fixes come from the server in the page's language).
  'hints.title': (p) => (p.count === 1 ? 'What to fix' : `What to fix (${p.count})`),
  'severity.error': 'Error',
  'severity.warning': 'Warning',
  'severity.info': 'Note',
  'area.federation': 'Federation',
  'area.client': 'Client discovery',
  'area.support': 'Support contacts',
  'hint.about': (p) => `About: ${p.area}`,
  'hint.fix': 'How to fix: ',

  // The resolution steps of the spec (server-server API, "Resolving server names").
  'step.1.title': 'IP address',
  'step.1.what': 'The server name is an IP address: connect to it directly.',
  'step.2.title': 'Explicit port',
  'step.2.what': 'The server name has a port: connect to that host and port, no delegation.',
  'step.3.title': 'Well-known delegation',
  'step.3.what': 'Ask the web server of the name (/.well-known/matrix/server) which host serves federation: m.server.',
  'step.3.1.title': 'Delegated to an IP address',
  'step.3.1.what': 'm.server is an IP address: connect to it.',
  'step.3.2.title': 'Delegated host with a port',
  'step.3.2.what': 'm.server has a port: connect to that host and port.',
  'step.3.3.title': 'SRV _matrix-fed._tcp of the delegated host',
  'step.3.3.what': 'Look up SRV records of the delegated host.',
  'step.3.4.title': 'SRV _matrix._tcp of the delegated host',
  'step.3.4.what': 'The deprecated SRV name, asked only when 3.3 found no records.',
  'step.3.5.title': 'Delegated host on port 8448',
  'step.3.5.what': 'No SRV records: connect to the delegated host on port 8448.',
  'step.4.title': 'SRV _matrix-fed._tcp',
  'step.4.what': 'No delegation: look up SRV records of the server name.',
  'step.5.title': 'SRV _matrix._tcp',
  'step.5.what': 'The deprecated SRV name, asked only when step 4 found no records.',
  'step.6.title': 'Port 8448',
  'step.6.what': 'No SRV records: connect to the server name on port 8448.',
  'step.parse': 'Reading the server name',
  'step.policy': 'Address policy',
  'step.nested': (p) => `Steps ${p.first} to ${p.last}`,
  'step.stopped': 'The resolution stopped before this step.',
  'step.noDelegation': 'No delegation (step 3), so the delegated steps do not apply.',
  'step.notNeeded': 'Not needed: an earlier step decided.',
  'step.otherStatus': (p) => `${p.status}: `,
  'status.taken': 'matched',
  'status.failed': 'failed',
  'status.empty': 'no records',
  'status.skipped': 'skipped',
  'status.missing': 'not reached',
  'status.notServed': 'not served',

  // What a step saw.
  'trace.asked': (p) => `Asked ${p.query}`,
  'trace.httpStatus': (p) => `HTTP status ${p.status}`,
  'trace.srvRecords': (p) => `SRV records: ${p.records}`,
  'trace.addresses': (p) => `Addresses: ${p.addresses}`,
  'trace.cnameChain': (p) => `CNAME chain: ${p.chain}`,
  'trace.redirects': (p) => `Redirects: ${p.count}`,
  'trace.code': (p) => `Code ${p.code}`,
  'trace.took': (p) => `Took ${p.duration}`,

  // Each step's reason. English shows the resolver's own words (entry.reason, as `resolve` prints them); these say
  // the same from the entry's typed facts for the other languages (trace.js).
  'trace.parse.failed': (p) => `the server name is invalid: ${p.reason}`,
  'trace.1.taken': (p) => `${p.name} is an IP literal: connect to it directly, no SNI, the certificate must name it`,
  'trace.1.skipped': (p) => `${p.host} is not an IP literal`,
  'trace.2.taken': (p) => `${p.name} has an explicit port: no well-known, no SRV`,
  'trace.2.skipped': 'no explicit port in the server name',
  'trace.3.taken': (p) => `${p.query} delegates to ${p.target}`,
  'trace.3.failed': (p) => `no delegation: ${p.detail}; going on with step 4`,
  'trace.3.timeout': (p) => `the fetch of ${p.query} was stopped: the resolution ran out of time`,
  'trace.3.1.taken': (p) => `m.server is the IP literal ${p.target}: connect to it directly`,
  'trace.3.1.skipped': (p) => `m.server host ${p.host} is not an IP literal`,
  'trace.3.2.taken': (p) => `m.server ${p.target} has a port: no SRV lookup`,
  'trace.3.2.skipped': (p) => `m.server ${p.host} has no port`,
  'trace.srv.taken': (p, f) =>
    `${p.query} has ${p.count} SRV ${f.plural(p.count, { one: 'record', other: 'records' })}${
      p.capped ? ` (only the first ${p.max} in RFC 2782 order are used)` : ''
    }: connect to their targets, Host and certificate ${p.host}`,
  'trace.srv.nxdomain': (p) => `no SRV records at ${p.query} (NXDOMAIN)`,
  'trace.srv.nodata': (p) => `no SRV records at ${p.query} (no records of that type)`,
  'trace.srv.unavailable': (p) =>
    `${p.query} has a single SRV record with target ".": the service is explicitly unavailable`,
  'trace.srv.failed': (p) => `SRV lookup of ${p.query} failed (${p.code})`,
  'trace.plain.taken': (p) => `no SRV records: connect to ${p.host} on port ${p.port}`,
  'trace.via': (p) => ` (via CNAME ${p.chain})`,
  'trace.address.taken': (p) =>
    `${p.host}${p.via} has address(es) ${p.addresses}${p.error === null ? '' : ` (and a DNS error: ${p.error})`}`,
  'trace.address.failed': (p) => `address lookup of ${p.host} failed (${p.code})`,
  'trace.address.empty': (p) => `${p.host}${p.via} has no AAAA or A records`,
  'trace.policy.range': (p) => `${p.ip} not contacted: it is in the denied network ${p.range}`,
  'trace.policy.denied': (p) => `${p.ip} not contacted: the address policy denies it`,
  'trace.skip.ipLiteral': 'the server name is an IP literal (step 1)',
  'trace.skip.explicitPort': 'the server name has an explicit port (step 2)',
  'trace.skip.stopped': 'the resolution was stopped during the well-known fetch (step 3)',
  'trace.skip.delegated': 'the well-known delegation decided the target (step 3)',
  'trace.skip.mServerIp': 'm.server is an IP literal (step 3.1)',
  'trace.skip.mServerPort': 'm.server has an explicit port (step 3.2)',
  'trace.skip.srvFound': (p) => `${p.query} has SRV records (step ${p.step})`,
  'trace.skip.srvFailed': (p) => `the SRV lookup of ${p.query} failed (step ${p.step})`,

  // What the well-known fetch found, by error code (trace.js), for the other languages.
  'wellKnown.notFound': (p) => `${p.url} answered 404: there is no well-known document`,
  'wellKnown.serverError': (p) => `${p.url} answered ${p.status}, a server error (possibly temporary)`,
  'wellKnown.otherStatus': (p) =>
    `${p.url} answered ${p.status} instead of 200, which counts as no well-known document`,
  'wellKnown.unexpectedStatus': (p) => `${p.url} did not answer 200`,
  'wellKnown.invalidJson': (p) => `${p.url} is not valid JSON`,
  'wellKnown.notObject': (p) => `${p.url} is not a JSON object`,
  'wellKnown.missingMServer': (p) => `${p.url} has no m.server`,
  'wellKnown.invalidMServer': (p) => `the m.server of ${p.url} is not a valid server name`,
  'wellKnown.tooLarge': (p) => `${p.url} is too large for a well-known document`,
  'wellKnown.tooManyRedirects': (p) => `${p.url} redirects too many times`,
  'wellKnown.redirectLoop': (p) => `${p.url} redirects in a loop`,
  'wellKnown.badRedirect': (p) => `${p.url} redirects where a well-known document may not go`,
  'wellKnown.unreachable': (p) => `${p.url} could not be fetched (${p.code})`,

  // The resolution section.
  'resolution.title': 'How other servers find it',
  'resolution.help':
    'The steps of the Matrix specification ("Resolving server names"), in order: which one matched, and why the others were skipped.',
  'resolution.steps': 'Resolution steps',
  'resolution.noTrace': 'No resolution trace in this report.',
  'resolution.error.invalid': 'the server name is invalid',
  'resolution.error.timeout': 'the resolution ran out of time',
  'resolution.error.noTargets': 'resolution found no address to connect to',
  'resolution.error.srvUnavailable': 'an SRV record says the service is not available',
  'resolution.error.denied': (p) =>
    `every address found (${p.addresses}) is in a denied network; nothing was contacted`,
  'resolution.error.failed': (p) => `the resolution failed (${p.code})`,
  'wellKnown.label': 'Well-known: ',
  'wellKnown.status.delegated': 'delegates',
  'wellKnown.status.absent': 'not served',
  'wellKnown.status.invalid': 'invalid',
  'wellKnown.status.error': 'error',
  'wellKnown.status.blocked': 'blocked',
  'wellKnown.status.skipped': 'not asked',
  'wellKnown.to': (p) => ` to ${p.target}`,
  'wellKnown.mServer': (p) => ` to ${p.target}`,
  'wellKnown.detail': (p) => ` (${p.detail})`,
  'wellKnown.byAddress': 'The well-known document from each address',
  'wellKnown.addressStatus': (p) => ` (${p.family}): ${p.status}`,
  'wellKnown.addressDetail': (p) => `. ${p.detail}`,
  'targets.title': 'Targets',
  'targets.help': 'Where other servers connect, in the order they try.',
  'targets.fromStep': (p) => ` from step ${p.step}`,
  'targets.hostHeader': 'Host header',
  'targets.certificateName': 'Certificate must name',
  'targets.sni': 'SNI',
  'targets.noSni': 'none (IP address)',
  'targets.none': 'No targets: ',
  'targets.nothing': 'nothing to connect to',

  // The addresses.
  'addresses.title': (p) => `Addresses (${p.working} of ${p.total} working)`,
  'address.works': 'works',
  'address.fails': 'fails',
  'address.foundBy': 'Found by',
  'address.step': (p) => `step ${p.step}`,
  'address.viaSrv': (p) => `SRV ${p.name} → ${p.target}`,
  'address.viaHost': (p) => `address of ${p.host}`,
  'address.hostAndCertificate': 'Host and certificate name',
  'address.connection': 'Connection',
  'address.failed': 'failed',
  'tls.label': 'TLS',
  'tls.unknown': 'unknown',
  'tls.certificate': 'Certificate',
  'tls.trusted': 'trusted',
  'tls.notTrusted': 'not trusted',
  'tls.certificateName': 'Certificate name',
  'tls.matches': 'matches',
  'tls.noMatch': 'does not match',
  'tls.names': 'Names in the certificate',
  'tls.issuer': 'Issued by',
  'tls.selfSigned': ' (self-signed)',
  'tls.expires': 'Expires',
  'tls.expired': (p) => ` (expired ${p.ago})`,
  'tls.expiresIn': (p) => ` (${p.in})`,
  'version.label': 'Server software',
  'version.noAnswer': 'no answer',
  'keys.label': 'Signing keys',
  'keys.valid': 'valid',
  'keys.invalid': 'invalid',
  'keys.signatureValid': ' (signature valid)',
  'keys.signatureInvalid': ' (signature invalid)',
  'keys.for': 'Keys are for',
  'keys.notTheName': ' (not the server name checked)',
  'keys.validUntil': 'Keys valid until',
  'keys.past': ' (already past)',
  'keys.problems': 'Key problems',

  // The client and support documents.
  'documents.title': 'Client and support documents',
  'documents.help':
    'Not part of the federation verdict: clients read these to find the homeserver and whom to contact.',
  'document.ok': 'OK',
  'document.missing': 'missing',
  'document.broken': 'broken',
  'document.optional': 'optional',
  'client.SUCCESS': 'Works: clients find the homeserver.',
  'client.IGNORE':
    'Not served (404): clients use the name as typed. Serve one so people can log in with their user ID.',
  'client.FAIL_PROMPT': 'Unusable: clients ask people for the homeserver URL.',
  'client.FAIL_ERROR': 'Points nowhere usable: clients stop the login.',
  'client.url': 'URL',
  'client.httpStatus': 'HTTP status',
  'client.homeserver': 'Homeserver',
  'client.versions': 'Spec versions',
  'client.versionCount': (p) => `${p.count}, up to ${p.latest}`,
  'client.identityServer': 'Identity server',
  'support.absent': 'Not served (404). That is fine: it is optional.',
  'support.valid': 'Served and valid.',
  'support.invalid': 'Served, but not a valid support document.',
  'support.error': 'Could not be read.',
  'support.contacts': 'Contacts',
  'support.noRole': 'no role',
  'support.page': 'Support page',

  // The client settings of /.well-known/matrix/client (issue 21).
  'settings.title': 'Client settings',
  'settings.help':
    'What clients read besides the homeserver, checked as current clients read it. Not part of the discovery verdict.',
  'settings.none': 'No client settings: clients use their own defaults.',
  'settings.ok': 'OK',
  'settings.problem': 'problem',
  'settings.note': 'note',
  'settings.row.e2ee': 'Encryption by default',
  'settings.row.jitsi': 'Jitsi (conferences)',
  'settings.row.rtc': 'Element Call (MatrixRTC)',
  'settings.row.authentication': 'Sign-in (OAuth 2.0 / OIDC)',
  'settings.row.tileServer': 'Maps (location sharing)',
  'settings.row.other': 'Other keys',
  'settings.e2ee.on': 'new rooms encrypted',
  'settings.e2ee.off': 'new rooms not encrypted',
  'settings.e2ee.forced': 'encryption turned off',
  'settings.e2ee.unset': 'clients decide',
  'settings.answered': (p) => ` (answered ${p.status})`,
  'settings.noAnswer': (p) => ` (no answer: ${p.code})`,
  'settings.transports.listed': 'the homeserver lists its call servers',
  'settings.transports.needs-sign-in': 'the homeserver offers its call servers (to signed-in users)',
  'settings.transports.not-offered': 'the homeserver does not offer its call servers',
  'settings.transports.failed': 'the homeserver could not be asked for its call servers',
  'settings.metadata.true': '; the homeserver announces sign-in',
  'settings.metadata.false': '; the homeserver does not announce sign-in',
  'settings.unknown': ' (not read by any client this tester knows)',

  // The raw JSON.
  'raw.title': 'Raw JSON',
  'raw.label': 'Native JSON report',
  'raw.native': 'Native report',
  'raw.federationTester': 'matrix-federation-tester format',
  'raw.federationOk': 'GOOD or BAD',
  'raw.link': (p) => `${p.label}: ${p.link}`,

  // Checking, and what can go wrong.
  'check.announce': (p) => `Checking ${p.name}…`,
  'check.progress': (p) =>
    `Checking ${p.name}: DNS, the well-known documents, TLS and keys on every address. This can take a few seconds.`,
  'error.documentTitle': (p) => `${p.name}: ${p.title} · ${p.page}`,
  'error.announce': (p) => `${p.title}. ${p.message}`.trim(),
  'error.timeout.title': 'The check took too long',
  'error.timeout.message': 'No answer came in time. Try again in a moment.',
  'error.network.title': 'Could not reach the tester',
  'error.network.message': 'The request did not get through. Check your connection and try again.',
  'error.cutOff.message': 'The answer was cut off. Try again.',
  'error.unfinished.title': 'The check could not finish',
  'error.unreadable.title': 'Unreadable answer',
  'error.unreadable.message':
    'The tester answered with something this page cannot read. Reload the page and try again.',
  'error.badName.title': 'That is not a server name',
  'error.badName.message': 'The tester cannot check this name.',
  'error.badName.tip':
    'A server name is a host name or an IP address, with an optional port: example.com, matrix.example.com:8448, 192.0.2.7.',
  'error.limited.title': 'Too many checks',
  'error.limited.message': (p) => `This tester limits how often one visitor can check. Try again in ${p.wait}.`,
  'error.busy.title': 'The tester is busy',
  'error.busy.message': (p) => `It is running as many checks as it allows right now. Try again in ${p.wait}.`,
  'error.gatewayTimeout.title': 'The check is taking long',
  'error.gatewayTimeout.message':
    'The check did not finish in time. It goes on at the tester: check again in a moment to see its result.',
  'error.server.title': 'The tester failed',
  'error.server.message': (p) =>
    `The tester could not run the check (HTTP ${p.status}${p.message === null ? '' : `: ${p.message}`}). Try again later; if it keeps failing, its log says why.`,
  'error.refused.title': 'The check was refused',
  'error.refused.message': (p) => `The tester answered HTTP ${p.status}${p.message === null ? '' : `: ${p.message}`}.`,
  'error.failed.title': 'The check failed',
  'wait.aMinute': 'a minute',
  'wait.seconds': (p, f) => `${p.seconds} ${f.plural(p.seconds, { one: 'second', other: 'seconds' })}`,
  'wait.minutes': (p) => `${p.minutes} minutes`,

  // The watched servers.
  'monitor.ok': 'works',
  'monitor.failing': 'failing',
  'monitor.failingCount': (p, f) =>
    `failing (${p.count} ${f.plural(p.count, { one: 'check', other: 'checks' })} in a row)`,
  'monitor.alerting': 'failing, alert sent',
  'monitor.unknown': 'not checked yet',
  'monitor.notChecked': 'Not checked yet.',
  'monitor.lastChecked': (p) => `Last checked ${p.when} UTC.`,
  'monitor.certificateEnds': (p) => ` Earliest certificate ends ${p.date}.`,
  'monitor.showReport': (p) => `Show the last report of ${p.name}`,
  'monitor.none': 'No server is watched.',
};

// ---------------------------------------------------------------------------------------------------------------
// 简体中文. The words of the glossary in CONTRIBUTING ("Languages"); code, paths, host names and HTTP words stay Latin.

const zhCN = {
  'page.title': 'Matrix 联邦测试工具',
  'page.description': '检查其他 Matrix homeserver 能否与你的服务器联邦通信，并了解如何修复问题。',
  'page.lede': '输入 Matrix 服务器名，查看其他 homeserver 能否连接到它、它们通过什么路径找到它，以及如何修复问题。',
  'page.language': '语言',
  'form.label': '检查服务器',
  'form.name': '服务器名',
  'form.help': 'Matrix ID 中冒号之后的部分：`@alice:example.com` 的服务器名是 `example.com`。',
  'form.check': '检查',
  'monitor.title': '监控的服务器',
  'monitor.help': '本服务器按计划检查这些服务器名，并在联邦中断或恢复时发出通知；有问题的排在前面。',
  'page.footer':
    '以 JSON 获取同样的检查结果：`GET /api/check?server_name=…`（原生报告）、`GET /api/report?server_name=…`（matrix-federation-tester 格式）、`GET /api/federation-ok?server_name=…`（`GOOD` 或 `BAD`）；监控的服务器：`GET /api/monitor`。本工具依照 [Matrix 规范](spec)编写。',

  'format.seconds': (p) => `${p.seconds} 秒`,
  'format.ms': (p) => `${p.ms} 毫秒`,
  'format.listSeparator': '、',
  'format.labelSeparator': '：',

  'verdict.ok': '正常',
  'verdict.partial': '部分正常',
  'verdict.bad': '不可用',
  'verdict.heading': (p) => `${p.name}：联邦${p.verdict}`,
  'verdict.sentence': (p) => `联邦${p.verdict}。`,
  'verdict.documentTitle': (p) => `${p.name}：联邦${p.verdict} · ${p.page}`,
  'verdict.checked': (p) => `检查于 ${p.when}`,
  'verdict.took': (p) => `用时 ${p.duration}`,
  'verdict.metaSeparator': '，',
  'verdict.announce': (p) =>
    `${p.name}：联邦${p.verdict}。${p.summary ?? ''}${p.fixes === 0 ? '' : `需要修复 ${p.fixes} 个问题。`}`,

  'hints.title': (p) => (p.count === 1 ? '需要修复的问题' : `需要修复的问题（${p.count}）`),
  'severity.error': '错误',
  'severity.warning': '警告',
  'severity.info': '信息',
  'area.federation': '联邦',
  'area.client': '客户端发现',
  'area.support': '支持联系人',
  'hint.about': (p) => `涉及：${p.area}`,
  'hint.fix': '修复方法：',

  'step.1.title': 'IP 地址',
  'step.1.what': '服务器名是 IP 地址：直接连接该地址。',
  'step.2.title': '明确的端口',
  'step.2.what': '服务器名带有端口：直接连接该主机和端口，不使用委托。',
  'step.3.title': '.well-known 委托',
  'step.3.what': '向该域名的 Web 服务器请求 /.well-known/matrix/server，由其中的 m.server 指明提供联邦服务的主机。',
  'step.3.1.title': '委托给 IP 地址',
  'step.3.1.what': 'm.server 是 IP 地址：直接连接该地址。',
  'step.3.2.title': '委托的主机带有端口',
  'step.3.2.what': 'm.server 带有端口：直接连接该主机和端口。',
  'step.3.3.title': '委托主机的 SRV 记录 _matrix-fed._tcp',
  'step.3.3.what': '查询委托主机的 SRV 记录。',
  'step.3.4.title': '委托主机的 SRV 记录 _matrix._tcp',
  'step.3.4.what': '已弃用的 SRV 名称，仅在第 3.3 步没有找到记录时查询。',
  'step.3.5.title': '委托主机的 8448 端口',
  'step.3.5.what': '没有 SRV 记录：连接委托主机的 8448 端口。',
  'step.4.title': 'SRV 记录 _matrix-fed._tcp',
  'step.4.what': '没有委托：查询服务器名的 SRV DNS 记录。',
  'step.5.title': 'SRV 记录 _matrix._tcp',
  'step.5.what': '已弃用的 SRV 名称，仅在第 4 步没有找到记录时查询。',
  'step.6.title': '8448 端口',
  'step.6.what': '没有 SRV 记录：连接服务器名的 8448 端口。',
  'step.parse': '读取服务器名',
  'step.policy': '地址策略',
  'step.nested': (p) => `第 ${p.first} 至 ${p.last} 步`,
  'step.stopped': '服务器名解析在此步骤之前已经停止。',
  'step.noDelegation': '没有委托（第 3 步），委托相关的步骤不适用。',
  'step.notNeeded': '无需执行：前面的步骤已经决定了结果。',
  'step.otherStatus': (p) => `${p.status}：`,
  'status.taken': '已采用',
  'status.failed': '失败',
  'status.empty': '无记录',
  'status.skipped': '已跳过',
  'status.missing': '未执行',
  'status.notServed': '未提供',

  'trace.asked': (p) => `查询了 ${p.query}`,
  'trace.httpStatus': (p) => `HTTP 状态码 ${p.status}`,
  'trace.srvRecords': (p) => `SRV 记录：${p.records}`,
  'trace.addresses': (p) => `地址：${p.addresses}`,
  'trace.cnameChain': (p) => `CNAME 链：${p.chain}`,
  'trace.redirects': (p) => `重定向：${p.count} 次`,
  'trace.code': (p) => `错误代码 ${p.code}`,
  'trace.took': (p) => `用时 ${p.duration}`,

  'trace.parse.failed': (p) => `服务器名无效：${p.reason}`,
  'trace.1.taken': (p) => `${p.name} 是 IP 字面量：直接连接该地址，不发送 SNI，证书必须对这个 IP 地址有效`,
  'trace.1.skipped': (p) => `${p.host} 不是 IP 字面量`,
  'trace.2.taken': (p) => `${p.name} 带有明确的端口：不查询 .well-known 文件，也不查询 SRV 记录`,
  'trace.2.skipped': '服务器名中没有明确的端口',
  'trace.3.taken': (p) => `${p.query} 委托给 ${p.target}`,
  'trace.3.failed': (p) => `没有委托：${p.detail}；继续执行第 4 步`,
  'trace.3.timeout': (p) => `获取 ${p.query} 时服务器名解析超时，已被中止`,
  'trace.3.1.taken': (p) => `m.server 是 IP 字面量 ${p.target}：直接连接该地址`,
  'trace.3.1.skipped': (p) => `m.server 的主机 ${p.host} 不是 IP 字面量`,
  'trace.3.2.taken': (p) => `m.server ${p.target} 带有端口：不查询 SRV 记录`,
  'trace.3.2.skipped': (p) => `m.server ${p.host} 没有端口`,
  'trace.srv.taken': (p) =>
    `${p.query} 有 ${p.count} 条 SRV 记录${p.capped ? `（只使用按 RFC 2782 排序的前 ${p.max} 条）` : ''}：连接这些记录的目标，Host 和证书使用 ${p.host}`,
  'trace.srv.nxdomain': (p) => `${p.query} 没有 SRV 记录（NXDOMAIN，该名称不存在）`,
  'trace.srv.nodata': (p) => `${p.query} 没有 SRV 记录（没有该类型的记录）`,
  'trace.srv.unavailable': (p) => `${p.query} 只有一条目标为 "." 的 SRV 记录：该服务被明确声明为不可用`,
  'trace.srv.failed': (p) => `${p.query} 的 SRV 查询失败（${p.code}）`,
  'trace.plain.taken': (p) => `没有 SRV 记录：连接 ${p.host} 的 ${p.port} 端口`,
  'trace.via': (p) => `（经由 CNAME ${p.chain}）`,
  'trace.address.taken': (p) =>
    `${p.host}${p.via} 的地址为 ${p.addresses}${p.error === null ? '' : `（另有一个 DNS 错误：${p.error}）`}`,
  'trace.address.failed': (p) => `${p.host} 的地址查询失败（${p.code}）`,
  'trace.address.empty': (p) => `${p.host}${p.via} 没有 AAAA 或 A 记录`,
  'trace.policy.range': (p) => `未连接 ${p.ip}：它位于被拒绝的网段 ${p.range} 中`,
  'trace.policy.denied': (p) => `未连接 ${p.ip}：地址策略拒绝了该地址`,
  'trace.skip.ipLiteral': '服务器名是 IP 字面量（第 1 步）',
  'trace.skip.explicitPort': '服务器名带有明确的端口（第 2 步）',
  'trace.skip.stopped': '获取 .well-known 文件时解析被中止（第 3 步）',
  'trace.skip.delegated': '.well-known 委托已经决定了目标（第 3 步）',
  'trace.skip.mServerIp': 'm.server 是 IP 字面量（第 3.1 步）',
  'trace.skip.mServerPort': 'm.server 带有明确的端口（第 3.2 步）',
  'trace.skip.srvFound': (p) => `${p.query} 有 SRV 记录（第 ${p.step} 步）`,
  'trace.skip.srvFailed': (p) => `${p.query} 的 SRV 查询失败（第 ${p.step} 步）`,

  'wellKnown.notFound': (p) => `${p.url} 返回 404：没有 .well-known 文件`,
  'wellKnown.serverError': (p) => `${p.url} 返回 ${p.status}，这是服务器错误（可能是暂时的）`,
  'wellKnown.otherStatus': (p) => `${p.url} 返回 ${p.status} 而不是 200，视为没有 .well-known 文件`,
  'wellKnown.unexpectedStatus': (p) => `${p.url} 没有返回 200`,
  'wellKnown.invalidJson': (p) => `${p.url} 不是有效的 JSON`,
  'wellKnown.notObject': (p) => `${p.url} 不是 JSON 对象`,
  'wellKnown.missingMServer': (p) => `${p.url} 中没有 m.server`,
  'wellKnown.invalidMServer': (p) => `${p.url} 中的 m.server 不是有效的服务器名`,
  'wellKnown.tooLarge': (p) => `${p.url} 过大，不像是 .well-known 文件`,
  'wellKnown.tooManyRedirects': (p) => `${p.url} 重定向次数过多`,
  'wellKnown.redirectLoop': (p) => `${p.url} 的重定向形成了循环`,
  'wellKnown.badRedirect': (p) => `${p.url} 重定向到了 .well-known 文件不允许去的地方`,
  'wellKnown.unreachable': (p) => `无法获取 ${p.url}（${p.code}）`,

  'resolution.title': '其他服务器如何找到它',
  'resolution.help':
    '按顺序列出 Matrix 规范中“服务器名解析”（Resolving server names）的各个步骤：哪一步被采用，其他步骤为何被跳过。',
  'resolution.steps': '解析步骤',
  'resolution.noTrace': '此报告中没有服务器名解析的记录。',
  'resolution.error.invalid': '服务器名无效',
  'resolution.error.timeout': '服务器名解析超时',
  'resolution.error.noTargets': '服务器名解析没有找到可以连接的地址',
  'resolution.error.srvUnavailable': 'SRV 记录表明此处不提供该服务',
  'resolution.error.denied': (p) => `找到的每个地址（${p.addresses}）都位于被拒绝的网段中，没有进行任何连接`,
  'resolution.error.failed': (p) => `服务器名解析失败（${p.code}）`,
  'wellKnown.label': '.well-known 文件：',
  'wellKnown.status.delegated': '委托',
  'wellKnown.status.absent': '未提供',
  'wellKnown.status.invalid': '无效',
  'wellKnown.status.error': '出错',
  'wellKnown.status.blocked': '被拦截',
  'wellKnown.status.skipped': '未请求',
  'wellKnown.to': (p) => `给 ${p.target}`,
  'wellKnown.mServer': (p) => `（m.server 为 ${p.target}）`,
  'wellKnown.detail': (p) => `（${p.detail}）`,
  'wellKnown.byAddress': '各地址返回的 .well-known 文件',
  'wellKnown.addressStatus': (p) => `（${p.family}）：${p.status}`,
  'wellKnown.addressDetail': (p) => `。${p.detail}`,
  'targets.title': '连接目标',
  'targets.help': '其他服务器按以下顺序尝试连接。',
  'targets.fromStep': (p) => `，来自第 ${p.step} 步`,
  'targets.hostHeader': 'Host 头',
  'targets.certificateName': '证书必须包含的名称',
  'targets.sni': 'SNI 名称',
  'targets.noSni': '无（IP 地址）',
  'targets.none': '没有连接目标：',
  'targets.nothing': '没有可连接的地址',

  'addresses.title': (p) => `地址（${p.total} 个中 ${p.working} 个正常）`,
  'address.works': '正常',
  'address.fails': '失败',
  'address.foundBy': '来源',
  'address.step': (p) => `第 ${p.step} 步`,
  'address.viaSrv': (p) => `SRV 记录 ${p.name} → ${p.target}`,
  'address.viaHost': (p) => `${p.host} 的地址`,
  'address.hostAndCertificate': 'Host 头与证书名',
  'address.connection': '连接',
  'address.failed': '失败',
  'tls.label': 'TLS 连接',
  'tls.unknown': '未知',
  'tls.certificate': '证书',
  'tls.trusted': '受信任',
  'tls.notTrusted': '不受信任',
  'tls.certificateName': '证书名',
  'tls.matches': '匹配',
  'tls.noMatch': '不匹配',
  'tls.names': '证书中的名称',
  'tls.issuer': '签发者',
  'tls.selfSigned': '（自签名）',
  'tls.expires': '到期时间',
  'tls.expired': (p) => `（${p.ago}已过期）`,
  'tls.expiresIn': (p) => `（${p.in}到期）`,
  'version.label': '服务器软件',
  'version.noAnswer': '无响应',
  'keys.label': '签名密钥',
  'keys.valid': '有效',
  'keys.invalid': '无效',
  'keys.signatureValid': '（签名有效）',
  'keys.signatureInvalid': '（签名无效）',
  'keys.for': '密钥所属的服务器名',
  'keys.notTheName': '（不是所检查的服务器名）',
  'keys.validUntil': '密钥有效期至',
  'keys.past': '（已经过期）',
  'keys.problems': '密钥问题',

  'documents.title': '客户端与支持信息文件',
  'documents.help': '不影响联邦结论：客户端读取这些文件来查找 homeserver 以及联系人。',
  'document.ok': '正常',
  'document.missing': '缺失',
  'document.broken': '有误',
  'document.optional': '可选',
  'client.SUCCESS': '正常：客户端能找到 homeserver。',
  'client.IGNORE': '未提供（404）：客户端会直接使用输入的名称。请提供该文件，让用户可以用用户 ID 登录。',
  'client.FAIL_PROMPT': '无法使用：客户端会要求用户输入 homeserver 的 URL。',
  'client.FAIL_ERROR': '指向的地址无法使用：客户端会终止登录。',
  'client.url': 'URL 地址',
  'client.httpStatus': 'HTTP 状态码',
  'client.homeserver': 'homeserver 地址',
  'client.versions': '规范版本',
  'client.versionCount': (p) => `${p.count} 个，最高 ${p.latest}`,
  'client.identityServer': '身份服务器',
  'support.absent': '未提供（404）。这没有问题：该文件是可选的。',
  'support.valid': '已提供且有效。',
  'support.invalid': '已提供，但不是有效的支持信息文件。',
  'support.error': '无法读取。',
  'support.contacts': '联系人',
  'support.noRole': '无角色',
  'support.page': '支持页面',

  'settings.title': '客户端设置',
  'settings.help': '客户端除 homeserver 之外还会读取的设置，按当前客户端的读取方式检查。不影响客户端发现的结论。',
  'settings.none': '没有客户端设置：客户端使用各自的默认值。',
  'settings.ok': '正常',
  'settings.problem': '有问题',
  'settings.note': '信息',
  'settings.row.e2ee': '默认加密',
  'settings.row.jitsi': 'Jitsi（视频会议）',
  'settings.row.rtc': 'Element Call（MatrixRTC 通话）',
  'settings.row.authentication': '登录（OAuth 2.0 / OIDC）',
  'settings.row.tileServer': '地图（位置共享）',
  'settings.row.other': '其他键',
  'settings.e2ee.on': '新房间默认加密',
  'settings.e2ee.off': '新房间默认不加密',
  'settings.e2ee.forced': '加密已被禁用',
  'settings.e2ee.unset': '由客户端决定',
  'settings.answered': (p) => `（返回 ${p.status}）`,
  'settings.noAnswer': (p) => `（无响应：${p.code}）`,
  'settings.transports.listed': '该 homeserver 列出了它的通话服务器',
  'settings.transports.needs-sign-in': '该 homeserver 提供通话服务器（仅限已登录用户）',
  'settings.transports.not-offered': '该 homeserver 不提供通话服务器',
  'settings.transports.failed': '无法向该 homeserver 查询通话服务器',
  'settings.metadata.true': '；该 homeserver 公布了登录方式',
  'settings.metadata.false': '；该 homeserver 没有公布登录方式',
  'settings.unknown': '（本测试工具已知的客户端都不读取这些键）',

  'raw.title': '原始 JSON',
  'raw.label': '原生 JSON 报告',
  'raw.native': '原生报告',
  'raw.federationTester': 'matrix-federation-tester 格式',
  'raw.federationOk': 'GOOD 或 BAD',
  'raw.link': (p) => `${p.label}：${p.link}`,

  'check.announce': (p) => `正在检查 ${p.name}…`,
  'check.progress': (p) =>
    `正在检查 ${p.name}：DNS、.well-known 文件，以及每个地址的 TLS 和服务器密钥。这可能需要几秒钟。`,
  'error.documentTitle': (p) => `${p.name}：${p.title} · ${p.page}`,
  'error.announce': (p) => `${p.title}。${p.message}`,
  'error.timeout.title': '检查耗时过长',
  'error.timeout.message': '没有及时收到响应。请稍后重试。',
  'error.network.title': '无法连接联邦测试工具',
  'error.network.message': '请求没有送达。请检查网络连接后重试。',
  'error.cutOff.message': '响应被中断。请重试。',
  'error.unfinished.title': '检查未能完成',
  'error.unreadable.title': '无法读取的响应',
  'error.unreadable.message': '联邦测试工具返回了本页面无法读取的内容。请刷新页面后重试。',
  'error.badName.title': '这不是有效的服务器名',
  'error.badName.message': '联邦测试工具无法检查这个名称。',
  'error.badName.tip':
    '服务器名是主机名或 IP 地址，可以带端口，例如：example.com、matrix.example.com:8448、192.0.2.7。',
  'error.limited.title': '检查次数过多',
  'error.limited.message': (p) => `此联邦测试工具限制了每位访问者的检查频率。请在 ${p.wait}后重试。`,
  'error.busy.title': '联邦测试工具正忙',
  'error.busy.message': (p) => `它当前运行的检查已经达到上限。请在 ${p.wait}后重试。`,
  'error.gatewayTimeout.title': '检查耗时较长',
  'error.gatewayTimeout.message': '检查没有及时完成，但仍在联邦测试工具上继续运行：稍后再检查一次即可看到结果。',
  'error.server.title': '联邦测试工具出错',
  'error.server.message': (p) =>
    `联邦测试工具无法运行这次检查（HTTP ${p.status}${p.message === null ? '' : `：${p.message}`}）。请稍后重试；如果一直失败，请查看它的日志了解原因。`,
  'error.refused.title': '检查请求被拒绝',
  'error.refused.message': (p) => `联邦测试工具返回了 HTTP ${p.status}${p.message === null ? '' : `：${p.message}`}。`,
  'error.failed.title': '检查失败',
  'wait.aMinute': '1 分钟',
  'wait.seconds': (p) => `${p.seconds} 秒`,
  'wait.minutes': (p) => `${p.minutes} 分钟`,

  'monitor.ok': '正常',
  'monitor.failing': '异常',
  'monitor.failingCount': (p) => `异常（连续 ${p.count} 次检查失败）`,
  'monitor.alerting': '异常，已发送告警',
  'monitor.unknown': '尚未检查',
  'monitor.notChecked': '尚未检查。',
  'monitor.lastChecked': (p) => `上次检查：${p.when} UTC。`,
  'monitor.certificateEnds': (p) => `最早到期的证书：${p.date}。`,
  'monitor.showReport': (p) => `显示 ${p.name} 的最近一次报告`,
  'monitor.none': '没有监控任何服务器。',
};

/** The page's messages in every language: `PAGE_TEXTS[locale][key]`, a string or a function of named values. */
export const PAGE_TEXTS = { en, 'zh-CN': zhCN };

/**
 * Binds the messages to one language: `text(key, params)` gives the string. A key missing in that language falls
 * back to English; a key missing in English is a mistake in the page and throws.
 */
export function localize(locale) {
  const catalogue = PAGE_TEXTS[locale] ?? PAGE_TEXTS[DEFAULT_LOCALE];
  const format = formattersFor(PAGE_TEXTS[locale] ? locale : DEFAULT_LOCALE);
  return (key, params) => {
    const message = catalogue[key] ?? PAGE_TEXTS[DEFAULT_LOCALE][key];
    if (message === undefined) throw new Error(`no message ${key}`);
    return typeof message === 'string' ? message : message(params, format);
  };
}
