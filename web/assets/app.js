// The federation tester page: reads a server name from the form or the URL, asks /api/check, and draws the report.
//
// Plain ES module, no framework and no build step. Every piece of the report is remote data (a server name, a
// certificate name, a well-known body): it is only ever put into the page as text nodes, never as HTML.
// Every word the page itself says comes from the catalogues of texts.js, in English or Simplified Chinese (web/README.md).

/* global document, window, location, history, fetch, setTimeout, clearTimeout, AbortController, DOMException, URLSearchParams, Element, navigator, localStorage */

import { LANGUAGE_STORAGE_KEY, LINKS, LOCALES, chooseLocale, localize, parseLocale } from './texts.js';
import { describeResolutionError, describeTraceEntry, describeWellKnownDetail } from './trace.js';

/** How long the page waits for a check before giving up (the server has its own, shorter budget). */
const CHECK_TIMEOUT_MS = 120_000;

/** The resolution steps of the spec (server-server API, "Resolving server names"), in order; words in texts.js. */
const STEPS = [
  { step: '1' },
  { step: '2' },
  { step: '3', children: [{ step: '3.1' }, { step: '3.2' }, { step: '3.3' }, { step: '3.4' }, { step: '3.5' }] },
  { step: '4' },
  { step: '5' },
  { step: '6' },
];

/** The mark of each trace status, next to its word (never colour alone). */
const STATUS_MARKS = { taken: '✓', failed: '✕', empty: '∅', skipped: '–', missing: '·' };

const VERDICT_MARKS = { ok: '✓', partial: '!', bad: '✕' };

const SEVERITIES = ['error', 'warning', 'info'];
const AREAS = ['federation', 'client', 'support'];
const CLIENT_STATUSES = ['SUCCESS', 'IGNORE', 'FAIL_PROMPT', 'FAIL_ERROR'];
const SUPPORT_STATUSES = ['absent', 'valid', 'invalid', 'error'];
const WELL_KNOWN_STATUSES = ['delegated', 'absent', 'invalid', 'error', 'blocked', 'skipped'];
const TRANSPORT_STATUSES = ['listed', 'needs-sign-in', 'not-offered', 'failed'];

// ---------------------------------------------------------------------------------------------------------------
// The language: chosen at start (texts.js, chooseLocale), switched by the visitor.

/** The page's language: `en` or `zh-CN`. */
let locale = 'en';
/** The messages of that language: `t(key, params)`. */
let t = localize(locale);
/** Dates and times: the browser's own variant of the page's language (en-GB dates for en-GB), else the language. */
let dateLocale = locale;

function setLanguage(next) {
  locale = next;
  t = localize(next);
  const languages = Array.isArray(navigator.languages) ? navigator.languages : [navigator.language];
  dateLocale = languages.find((tag) => typeof tag === 'string' && parseLocale(tag) === next) ?? next;
}

function storedLanguage() {
  try {
    return localStorage.getItem(LANGUAGE_STORAGE_KEY);
  } catch {
    return null; // storage turned off: the choice lasts as long as the page
  }
}

function storeLanguage(value) {
  try {
    localStorage.setItem(LANGUAGE_STORAGE_KEY, value);
  } catch {
    // storage turned off: nothing to keep it in
  }
}

/** A label and its name of a fixed word list, or the value itself when the report has one the page does not know. */
function word(prefix, value, known) {
  return known.includes(value) ? t(`${prefix}.${value}`) : String(value);
}

// ---------------------------------------------------------------------------------------------------------------
// DOM helpers: text only. Lists whose bullets the CSS removes get role="list": Safari's VoiceOver otherwise stops
// announcing them as lists.

/**
 * Builds an element. `attrs` values are set as attributes (skipped when null, undefined or false); children are
 * nodes or strings, and strings always become text nodes.
 */
function h(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs ?? {})) {
    if (value === null || value === undefined || value === false) continue;
    node.setAttribute(name, value === true ? '' : String(value));
  }
  append(node, children);
  return node;
}

function append(node, children) {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(node, child);
    else if (typeof child === 'string' || typeof child === 'number')
      node.append(document.createTextNode(String(child)));
    else node.append(child);
  }
}

/** Marks of {@link tn}: private-use characters that no message contains. */
const OPEN = '\uE000';
const CLOSE = '\uE001';

/**
 * A message with elements in it: `tn('trace.asked', { query: code(q) })` gives `['Asked ', <code>]`. Values that
 * are nodes (or arrays of nodes and strings) go in where the message puts them; the other values are formatted by
 * the message as usual, with the marks taken out of them first.
 */
function tn(key, params) {
  const nodes = [];
  const values = {};
  for (const [name, value] of Object.entries(params)) {
    if (value === null || value === undefined || typeof value === 'number' || typeof value === 'boolean')
      values[name] = value;
    else if (typeof value === 'string') values[name] = value.replaceAll(OPEN, '\uFFFD').replaceAll(CLOSE, '\uFFFD');
    else {
      values[name] = `${OPEN}${nodes.length}${CLOSE}`;
      nodes.push(value);
    }
  }
  const parts = t(key, values).split(new RegExp(`${OPEN}(\\d+)${CLOSE}`));
  return parts.map((part, i) => (i % 2 === 0 ? part || null : (nodes[Number(part)] ?? null)));
}

/** A fixed text of the catalogue with its marks drawn: `code` as code, [words](name) as a link to LINKS[name]. */
function rich(text) {
  const out = [];
  const pattern = /`([^`]+)`|\[([^\]]+)\]\((\w+)\)/g;
  let at = 0;
  for (let m = pattern.exec(text); m !== null; m = pattern.exec(text)) {
    if (m.index > at) out.push(text.slice(at, m.index));
    if (m[1] !== undefined) out.push(code(m[1]));
    else out.push(Object.hasOwn(LINKS, m[3]) ? h('a', { href: LINKS[m[3]] }, m[2]) : m[2]);
    at = m.index + m[0].length;
  }
  if (at < text.length) out.push(text.slice(at));
  return out;
}

/** A word plus a mark for sighted readers; the mark is hidden from screen readers, which read the word. */
function badge(kind, text, mark) {
  return h(
    'span',
    { class: `badge badge--${kind}` },
    mark ? h('span', { class: 'mark', 'aria-hidden': 'true' }, mark) : null,
    text,
  );
}

function code(text) {
  return h('code', null, String(text));
}

/** Nodes joined by the language's list separator (`, ` / `、`). */
function joined(items) {
  const separator = t('format.listSeparator');
  return items.map((item, i) => [i > 0 ? separator : null, item]);
}

/** A description list from [term, description] pairs; pairs whose description is null are left out. */
function facts(pairs) {
  const dl = h('dl', { class: 'facts' });
  for (const [term, ...description] of pairs) {
    if (description.length === 0 || description.every((d) => d === null || d === undefined || d === false)) continue;
    dl.append(h('div', null, h('dt', null, term), h('dd', null, description)));
  }
  return dl;
}

function section(id, title, ...children) {
  return h('section', { class: 'card-section', 'aria-labelledby': id }, h('h2', { id }, title), children);
}

function isObject(value) {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function list(value) {
  return Array.isArray(value) ? value : [];
}

function formatMs(ms) {
  if (typeof ms !== 'number' || !Number.isFinite(ms)) return '';
  return ms >= 1000 ? t('format.seconds', { seconds: (ms / 1000).toFixed(1) }) : t('format.ms', { ms: Math.round(ms) });
}

/** A day: `2026-03-03` in English (as before), the language's long date otherwise (`2026年3月3日`). */
function formatDate(iso) {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return String(iso);
  if (locale === 'en') return date.toISOString().slice(0, 10);
  return new Intl.DateTimeFormat(dateLocale, { dateStyle: 'long', timeZone: 'UTC' }).format(date);
}

/** `in 61 days` / `13 days ago` (`61天后` / `13天前`), through Intl. */
function relativeDays(days) {
  return new Intl.RelativeTimeFormat(locale, { numeric: 'always' }).format(days, 'day');
}

function ok(flag, yes, no) {
  return flag ? badge('ok', yes, '✓') : badge('bad', no, '✕');
}

function severityBadge(severity) {
  return badge(
    severity,
    word('severity', severity, SEVERITIES),
    severity === 'error' ? '✕' : severity === 'warning' ? '!' : 'i',
  );
}

// ---------------------------------------------------------------------------------------------------------------
// The report.

/** `ok`, `partial` or `bad`: the tester's strict verdict, softened when some address works. */
function verdictOf(report) {
  if (report.federationOk === true) return 'ok';
  return report.reachable === true ? 'partial' : 'bad';
}

function renderVerdict(report) {
  const kind = verdictOf(report);
  const checked = report.checkedAt
    ? t('verdict.checked', { when: new Date(report.checkedAt).toLocaleString(dateLocale) })
    : null;
  return h(
    'section',
    { class: `verdict verdict--${kind}`, 'aria-labelledby': 'verdict-title', 'data-verdict': kind },
    h('p', { class: 'verdict-mark', 'aria-hidden': 'true' }, VERDICT_MARKS[kind]),
    h(
      'div',
      { class: 'verdict-body' },
      h(
        'h2',
        { id: 'verdict-title' },
        tn('verdict.heading', {
          name: h('span', { class: 'server-name' }, String(report.serverName)),
          verdict: t(`verdict.${kind}`),
        }),
      ),
      h('p', { class: 'summary' }, String(report.summary ?? '')),
      h(
        'p',
        { class: 'meta' },
        [checked, report.durationMs !== undefined ? t('verdict.took', { duration: formatMs(report.durationMs) }) : null]
          .filter(Boolean)
          .join(t('verdict.metaSeparator')),
      ),
    ),
  );
}

function renderHints(report) {
  const hints = list(report.hints);
  if (hints.length === 0) return null;
  return section(
    'hints-title',
    t('hints.title', { count: hints.length }),
    h(
      'ul',
      { class: 'hints', role: 'list' },
      hints.map((hint) =>
        h(
          'li',
          { class: `hint hint--${hint.severity}`, 'data-hint-id': hint.id },
          h('h3', null, severityBadge(hint.severity), ' ', String(hint.title)),
          hint.area ? h('p', { class: 'meta' }, t('hint.about', { area: word('area', hint.area, AREAS) })) : null,
          h('p', { class: 'detail' }, String(hint.detail)),
          h('p', { class: 'fix' }, h('strong', null, t('hint.fix')), String(hint.fix)),
        ),
      ),
    ),
  );
}

/** Facts a trace step saw, in short words (the raw JSON has the rest). */
function traceData(entry) {
  const data = isObject(entry.data) ? entry.data : {};
  const out = [];
  if (entry.query) out.push(h('li', null, tn('trace.asked', { query: code(entry.query) })));
  if (typeof data.httpStatus === 'number') out.push(h('li', null, t('trace.httpStatus', { status: data.httpStatus })));
  const records = list(data.records);
  if (records.length > 0) {
    out.push(
      h(
        'li',
        null,
        tn('trace.srvRecords', {
          records: joined(records.map((r) => code(`${r.priority} ${r.weight} ${r.port} ${r.target}`))),
        }),
      ),
    );
  }
  const addresses = list(data.addresses);
  if (addresses.length > 0)
    out.push(h('li', null, tn('trace.addresses', { addresses: joined(addresses.map((a) => code(a))) })));
  const cnames = list(data.cnameChain);
  if (cnames.length > 0) out.push(h('li', null, tn('trace.cnameChain', { chain: code(cnames.join(' → ')) })));
  const hops = list(data.hops);
  if (hops.length > 1) out.push(h('li', null, t('trace.redirects', { count: hops.length - 1 })));
  if (entry.code) out.push(h('li', null, tn('trace.code', { code: code(entry.code) })));
  if (entry.durationMs >= 1) out.push(h('li', null, t('trace.took', { duration: formatMs(entry.durationMs) })));
  return out.length > 0 ? h('ul', { class: 'step-data' }, out) : null;
}

/**
 * A step's reason: the resolver's own words in English; in another language told from the entry's facts (trace.js),
 * the English words only for an entry of a kind it does not know.
 */
function reasonOf(entry, resolution) {
  if (entry.own || locale === 'en') return String(entry.reason);
  // A step the page shows otherwise (a 404 as "not served") is told as the resolver recorded it.
  return describeTraceEntry(entry.asResolved ?? entry, resolution, t) ?? String(entry.reason);
}

/** The status a step shows: matched if any of its entries matched, else the most telling of the others. */
function stepStatus(entries) {
  if (entries.length === 0) return 'missing';
  for (const status of ['taken', 'failed', 'empty', 'skipped'])
    if (entries.some((e) => e.status === status)) return status;
  return 'skipped';
}

function statusWord(status) {
  return Object.hasOwn(STATUS_MARKS, status) ? t(`status.${status}`) : String(status);
}

function renderStep(def, entries, resolution, children) {
  const status = stepStatus(entries);
  const shown = entries.find((e) => e.status === status && e.word)?.word ?? statusWord(status);
  return h(
    'li',
    { class: `step step--${status}`, 'data-step': def.step, 'data-status': status },
    h(
      'div',
      { class: 'step-head' },
      h('span', { class: 'step-number' }, def.step),
      h('span', { class: 'step-title' }, t(`step.${def.step}.title`)),
      h(
        'span',
        { class: `status status--${status}` },
        h('span', { class: 'mark', 'aria-hidden': 'true' }, STATUS_MARKS[status]),
        shown,
      ),
    ),
    h('p', { class: 'step-what' }, t(`step.${def.step}.what`)),
    entries.length === 0
      ? h('p', { class: 'reason' }, t('step.stopped'))
      : entries.map((e) => [
          h(
            'p',
            { class: 'reason' },
            entries.length > 1 && e.status !== status ? t('step.otherStatus', { status: statusWord(e.status) }) : null,
            reasonOf(e, resolution),
          ),
          e.status === 'skipped' ? null : traceData(e),
        ]),
    children
      ? h(
          'ol',
          {
            class: 'steps steps--nested',
            role: 'list',
            'aria-label': t('step.nested', { first: `${def.step}.1`, last: `${def.step}.${children.length}` }),
          },
          children,
        )
      : null,
  );
}

function renderOtherEntry(label, entry, resolution) {
  const mark = STATUS_MARKS[entry.status] ?? STATUS_MARKS.failed;
  return h(
    'li',
    { class: `step step--${entry.status}`, 'data-step': entry.step, 'data-status': entry.status },
    h(
      'div',
      { class: 'step-head' },
      h('span', { class: 'step-title' }, label),
      h(
        'span',
        { class: `status status--${entry.status}` },
        h('span', { class: 'mark', 'aria-hidden': 'true' }, mark),
        Object.hasOwn(STATUS_MARKS, entry.status) ? t(`status.${entry.status}`) : t('status.failed'),
      ),
    ),
    h('p', { class: 'reason' }, reasonOf(entry, resolution)),
    traceData(entry),
  );
}

/**
 * The report's sentences in the page's language, by their English words: the answer's `messages` (an answer in
 * another language than English has it; the report's own `message` values stay English, for scripts).
 */
let reportSentences = {};

/** A sentence of the report (a problem's message, an error's): in the page's language when the answer gives it. */
function sentence(english) {
  const text = String(english ?? '');
  return Object.hasOwn(reportSentences, text) && typeof reportSentences[text] === 'string'
    ? reportSentences[text]
    : text;
}

/** A well-known outcome's detail: the checker's English words in English, told from its facts otherwise. */
function wellKnownDetail(outcome, resolution) {
  const english = outcome.detail ? String(outcome.detail) : null;
  if (locale === 'en') return english;
  if (outcome.status === 'delegated') return null; // "delegates to X" is what the status and m.server already say
  return describeWellKnownDetail(outcome, resolution, t) ?? (english === null ? null : sentence(english));
}

function renderResolution(report) {
  const resolution = isObject(report.resolution) ? report.resolution : {};
  const trace = list(resolution.trace);
  const byStep = new Map();
  for (const entry of trace) {
    if (!byStep.has(entry.step)) byStep.set(entry.step, []);
    byStep.get(entry.step).push(entry);
  }
  // The resolver notes every step it decides on, but a step can be absent: 3.1 to 3.5 when there was no delegation,
  // or the steps after a timeout. Before the last step seen, an absent step was passed over; after it, never reached.
  const order = STEPS.flatMap((d) => [d.step, ...(d.children ?? []).map((c) => c.step)]);
  const last = order.reduce((at, step, i) => (byStep.has(step) ? i : at), -1);
  const delegated = (byStep.get('3') ?? []).some((e) => e.status === 'taken');
  const wk = isObject(resolution.wellKnown) ? resolution.wellKnown : null;
  const entriesOf = (step) => {
    const entries = byStep.get(step);
    // No document at all (404) is the normal case of a server that does not delegate, not a fault: the resolver
    // records it as a failed step 3, the page says "not served", styled like "no records".
    if (step === '3' && entries && wk?.status === 'absent') {
      return entries.map((e) =>
        e.status === 'failed' ? { ...e, status: 'empty', word: t('status.notServed'), asResolved: e } : e,
      );
    }
    if (entries) return entries;
    if (order.indexOf(step) > last) return [];
    const reason = step.startsWith('3.') && !delegated ? t('step.noDelegation') : t('step.notNeeded');
    return [{ step, status: 'skipped', reason, own: true }];
  };
  const items = [];
  for (const entry of byStep.get('parse') ?? []) items.push(renderOtherEntry(t('step.parse'), entry, resolution));
  if (last >= 0) {
    for (const def of STEPS) {
      const children = def.children?.map((c) => renderStep(c, entriesOf(c.step), resolution));
      items.push(renderStep(def, entriesOf(def.step), resolution, children));
    }
  }
  for (const entry of byStep.get('policy') ?? []) items.push(renderOtherEntry(t('step.policy'), entry, resolution));

  const wkDetail = wk ? wellKnownDetail(wk, resolution) : null;
  const noTargets = locale === 'en' ? null : describeResolutionError(resolution.error, resolution, t);
  const targets = list(resolution.targets);
  return section(
    'resolution-title',
    t('resolution.title'),
    h('p', { class: 'help' }, t('resolution.help')),
    items.length > 0
      ? h('ol', { class: 'steps', role: 'list', 'aria-label': t('resolution.steps') }, items)
      : h('p', null, t('resolution.noTrace')),
    wk
      ? h(
          'p',
          { class: 'well-known' },
          h('strong', null, t('wellKnown.label')),
          word('wellKnown.status', wk.status, WELL_KNOWN_STATUSES),
          wk.mServer
            ? tn(wk.status === 'delegated' ? 'wellKnown.to' : 'wellKnown.mServer', { target: code(wk.mServer) })
            : null,
          wkDetail ? t('wellKnown.detail', { detail: wkDetail }) : null,
        )
      : null,
    renderWellKnownByAddress(report, resolution),
    h('h3', null, t('targets.title')),
    targets.length > 0
      ? [
          h('p', { class: 'help' }, t('targets.help')),
          h(
            'ol',
            { class: 'targets', role: 'list' },
            targets.map((target) =>
              h(
                'li',
                { class: 'target' },
                h(
                  'p',
                  { class: 'target-address' },
                  code(formatAddress(target.ip, target.port)),
                  t('targets.fromStep', { step: String(target.step) }),
                ),
                facts([
                  [t('targets.hostHeader'), code(target.hostHeader)],
                  [t('targets.certificateName'), code(target.tlsServerName)],
                  [t('targets.sni'), target.sni === null ? t('targets.noSni') : code(target.sni)],
                ]),
              ),
            ),
          ),
        ]
      : h(
          'p',
          { class: 'problem' },
          h('strong', null, t('targets.none')),
          noTargets ?? sentence(resolution.error?.message ?? t('targets.nothing')),
          resolution.error?.code ? [' ', code(resolution.error.code)] : null,
        ),
  );
}

function renderWellKnownByAddress(report, resolution) {
  const rows = list(report.wellKnownByAddress);
  if (rows.length === 0) return null;
  return [
    h('h3', null, t('wellKnown.byAddress')),
    h(
      'ul',
      { class: 'plain' },
      rows.map((w) => {
        const detail = wellKnownDetail(w, resolution);
        return h(
          'li',
          null,
          code(w.ip),
          t('wellKnown.addressStatus', {
            family: w.family === 6 ? 'IPv6' : 'IPv4',
            status: word('wellKnown.status', w.status, WELL_KNOWN_STATUSES),
          }),
          w.mServer
            ? tn(w.status === 'delegated' ? 'wellKnown.to' : 'wellKnown.mServer', { target: code(w.mServer) })
            : null,
          detail ? t('wellKnown.addressDetail', { detail }) : null,
        );
      }),
    ),
  ];
}

function formatAddress(ip, port) {
  const host = String(ip).includes(':') ? `[${ip}]` : String(ip);
  return port === undefined || port === null ? host : `${host}:${port}`;
}

/** A problem of the report: its message (in the page's language when the answer says it) and its code. */
function problemText(p) {
  if (!isObject(p)) return null;
  return [sentence(p.message), p.code ? [' ', code(p.code)] : null];
}

function renderTls(tls) {
  if (!isObject(tls)) return [];
  const leaf = list(tls.chain)[0];
  const names = leaf ? [...list(leaf.dnsNames), ...list(leaf.ipAddresses)] : [];
  let expiry = null;
  if (leaf?.validTo) {
    const days = tls.expiresInDays;
    const when =
      typeof days !== 'number'
        ? ''
        : days < 0
          ? t('tls.expired', { ago: relativeDays(days) })
          : t('tls.expiresIn', { in: relativeDays(days) });
    expiry = `${formatDate(leaf.validTo)}${when}`;
  }
  return [
    [t('tls.label'), [tls.protocol, tls.cipher].filter(Boolean).join(', ') || t('tls.unknown')],
    [
      t('tls.certificate'),
      ok(tls.trusted, t('tls.trusted'), t('tls.notTrusted')),
      tls.trustError ? [' ', problemText(tls.trustError)] : null,
    ],
    [
      t('tls.certificateName'),
      ok(tls.nameMatches, t('tls.matches'), t('tls.noMatch')),
      tls.nameError ? [' ', problemText(tls.nameError)] : null,
    ],
    [t('tls.names'), names.length > 0 ? joined(names.map((n) => code(n))) : null],
    [
      t('tls.issuer'),
      leaf ? `${leaf.issuerCommonName || t('tls.unknown')}${leaf.selfSigned ? t('tls.selfSigned') : ''}` : null,
    ],
    [t('tls.expires'), expiry],
  ];
}

function renderVersion(version) {
  if (!isObject(version)) return [];
  if (version.ok) return [[t('version.label'), `${version.name ?? t('tls.unknown')} ${version.version ?? ''}`.trim()]];
  return [
    [
      t('version.label'),
      badge('bad', t('version.noAnswer'), '✕'),
      ' ',
      problemText(version.error) ?? `HTTP ${version.httpStatus ?? '?'}`,
    ],
  ];
}

function renderKeys(keys) {
  if (!isObject(keys)) return [];
  const checks = Object.entries(isObject(keys.ed25519Checks) ? keys.ed25519Checks : {});
  return [
    [
      t('keys.label'),
      ok(keys.ok, t('keys.valid'), t('keys.invalid')),
      checks.length > 0
        ? [
            ' ',
            joined(
              checks.map(([id, c]) => [
                code(id),
                c.ValidEd25519 && c.MatchingSignature ? t('keys.signatureValid') : t('keys.signatureInvalid'),
              ]),
            ),
          ]
        : null,
    ],
    [
      t('keys.for'),
      keys.serverName ? [code(keys.serverName), keys.matchingServerName ? null : t('keys.notTheName')] : null,
    ],
    [
      t('keys.validUntil'),
      typeof keys.validUntilTs === 'number'
        ? `${formatDate(new Date(keys.validUntilTs).toISOString())}${keys.futureValidUntilTs ? '' : t('keys.past')}`
        : null,
    ],
    [
      t('keys.problems'),
      list(keys.problems).length > 0
        ? h(
            'ul',
            { class: 'plain' },
            list(keys.problems).map((p) => h('li', null, problemText(p))),
          )
        : null,
    ],
  ];
}

function renderAddresses(report) {
  const addresses = list(report.addresses);
  if (addresses.length === 0) return null;
  const working = addresses.filter((a) => a.ok).length;
  return section(
    'addresses-title',
    t('addresses.title', { working, total: addresses.length }),
    h(
      'ul',
      { class: 'cards', role: 'list' },
      addresses.map((a) => {
        const target = isObject(a.target) ? a.target : {};
        const via = target.srv
          ? tn('address.viaSrv', { name: code(target.srv.name), target: code(target.srv.target) })
          : target.addressOf
            ? tn('address.viaHost', { host: code(target.addressOf) })
            : null;
        return h(
          'li',
          { class: `card card--${a.ok ? 'ok' : 'bad'}`, 'data-address': a.address },
          h(
            'h3',
            { class: 'card-title' },
            code(a.address),
            ' ',
            h('span', { class: 'badge badge--neutral' }, a.family === 6 ? 'IPv6' : 'IPv4'),
            ' ',
            a.ok ? badge('ok', t('address.works'), '✓') : badge('bad', t('address.fails'), '✕'),
          ),
          facts([
            [
              t('address.foundBy'),
              target.step ? t('address.step', { step: String(target.step) }) : null,
              via ? [t('format.labelSeparator'), via] : null,
            ],
            [t('address.hostAndCertificate'), target.tlsServerName ? code(target.tlsServerName) : null],
            [
              t('address.connection'),
              a.connectionError ? [badge('bad', t('address.failed'), '✕'), ' ', problemText(a.connectionError)] : null,
            ],
            ...renderTls(a.tls),
            ...renderVersion(a.version),
            ...renderKeys(a.keys),
          ]),
        );
      }),
    ),
  );
}

function renderProblems(problems) {
  const items = list(problems);
  if (items.length === 0) return null;
  return h(
    'ul',
    { class: 'problems' },
    items.map((p) =>
      h(
        'li',
        null,
        badge(
          p.severity ?? 'error',
          SEVERITIES.includes(p.severity) ? t(`severity.${p.severity}`) : t('severity.error'),
          p.severity === 'warning' ? '!' : p.severity === 'info' ? 'i' : '✕',
        ),
        ' ',
        sentence(p.message),
        ' ',
        code(p.code),
      ),
    ),
  );
}

function renderClient(client, hints = []) {
  const hs = isObject(client.homeserver) ? client.homeserver : null;
  const is = isObject(client.identityServer) ? client.identityServer : null;
  const versions = list(hs?.versions);
  return h(
    'div',
    { class: 'document', 'data-document': 'client' },
    h('h3', null, code('/.well-known/matrix/client')),
    h(
      'p',
      null,
      client.status === 'SUCCESS'
        ? badge('ok', t('document.ok'), '✓')
        : client.status === 'IGNORE'
          ? badge('warning', t('document.missing'), '!')
          : badge('bad', t('document.broken'), '✕'),
      ' ',
      word('client', client.status, CLIENT_STATUSES),
    ),
    facts([
      [t('client.url'), client.url ? code(client.url) : null],
      [t('client.httpStatus'), client.httpStatus ?? null],
      [t('client.homeserver'), hs?.baseUrl ? code(hs.baseUrl) : null, hs?.error ? [' ', problemText(hs.error)] : null],
      [
        t('client.versions'),
        versions.length > 0
          ? t('client.versionCount', { count: versions.length, latest: String(versions[versions.length - 1]) })
          : null,
      ],
      [
        t('client.identityServer'),
        is?.baseUrl ? code(is.baseUrl) : null,
        is?.error ? [' ', problemText(is.error)] : null,
      ],
    ]),
    renderProblems(client.problems),
    renderClientSettings(client.settings, hints),
  );
}

/**
 * The client settings of /.well-known/matrix/client (issue 21): every word the page shows about them, in the page's
 * language (the `settings.*` messages of texts.js).
 */
function clientSettingWords() {
  return {
    title: t('settings.title'),
    help: t('settings.help'),
    none: t('settings.none'),
    ok: t('settings.ok'),
    problem: t('settings.problem'),
    note: t('settings.note'),
    row: (name) => t(`settings.row.${name}`),
    e2ee: (state) => t(`settings.e2ee.${state}`),
    answered: (status) => t('settings.answered', { status }),
    noAnswer: (errorCode) => tn('settings.noAnswer', { code: code(errorCode) }),
    transport: (status) => word('settings.transports', status, TRANSPORT_STATUSES),
    metadata: (offered) => t(`settings.metadata.${offered}`),
    unknown: t('settings.unknown'),
    fix: t('hint.fix'),
  };
}

/** A row's badge: the worst problem of its part of the settings (codes starting with `prefix`). */
function settingBadge(problems, prefix, W) {
  const mine = problems.filter((p) => String(p.code).startsWith(prefix));
  if (mine.some((p) => p.severity === 'error')) return badge('bad', W.problem, '✕');
  if (mine.some((p) => p.severity === 'warning')) return badge('warning', W.problem, '!');
  if (mine.length > 0) return badge('neutral', W.note, 'i');
  return badge('ok', W.ok, '✓');
}

/** What one request of a setting got: its status, or why no answer came. */
function settingAnswer(request, W) {
  if (!isObject(request)) return null;
  if (isObject(request.error)) return W.noAnswer(request.error.code);
  return typeof request.httpStatus === 'number' ? W.answered(request.httpStatus) : null;
}

/** The E2EE row's words. */
function e2eeWords(e2ee, W) {
  if (e2ee.forceDisable === true) return W.e2ee('forced');
  if (e2ee.default === true) return W.e2ee('on');
  return e2ee.default === false ? W.e2ee('off') : W.e2ee('unset');
}

/** The client settings of the document, one row each, with the hints about them (their ids come from the problems). */
function renderClientSettings(settings, hints) {
  if (!isObject(settings)) return null;
  const W = clientSettingWords();
  const problems = list(settings.problems);
  const ids = new Set(problems.map((p) => String(p.code).toLowerCase().replaceAll('_', '-')));
  const part = (name) => (isObject(settings[name]) ? settings[name] : null);
  const [e2ee, jitsi, rtc, auth, tile] = ['e2ee', 'jitsi', 'rtc', 'authentication', 'tileServer'].map(part);
  const other = list(settings.keys).filter((k) => isObject(k) && k.known === false);
  const row = (name, prefix, key, ...description) =>
    h(
      'div',
      { 'data-setting': name },
      h('dt', null, W.row(name)),
      h('dd', null, settingBadge(problems, prefix, W), ' ', key ? [code(key), ' '] : null, description),
    );
  const foci = rtc
    ? h(
        'ul',
        { class: 'plain' },
        list(rtc.foci).map((f) =>
          h(
            'li',
            null,
            f.type ? code(f.type) : null,
            f.livekitServiceUrl ? [' ', code(f.livekitServiceUrl)] : null,
            settingAnswer(list(f.preflights)[0], W),
          ),
        ),
        isObject(rtc.homeserver) ? h('li', null, W.transport(rtc.homeserver.status)) : null,
      )
    : null;
  const metadata = isObject(auth?.authMetadata) ? auth.authMetadata.offered : null;
  const rows = [
    e2ee ? row('e2ee', 'CLIENT_E2EE_', e2ee.key, e2eeWords(e2ee, W)) : null,
    jitsi
      ? row(
          'jitsi',
          'CLIENT_JITSI_',
          jitsi.key,
          jitsi.preferredDomain ? code(jitsi.preferredDomain) : null,
          settingAnswer(jitsi.request, W),
        )
      : null,
    rtc ? row('rtc', 'CLIENT_RTC_', rtc.key, foci) : null,
    auth
      ? row(
          'authentication',
          'CLIENT_AUTH_',
          auth.key,
          auth.issuer ? code(auth.issuer) : null,
          settingAnswer(auth.openidConfiguration, W),
          typeof metadata === 'boolean' ? W.metadata(String(metadata)) : null,
        )
      : null,
    tile
      ? row(
          'tileServer',
          'CLIENT_TILE_SERVER_',
          tile.key,
          tile.mapStyleUrl ? code(tile.mapStyleUrl) : null,
          settingAnswer(tile.style, W),
        )
      : null,
    other.length > 0 ? row('other', 'CLIENT_SETTING_', null, joined(other.map((k) => code(k.name))), W.unknown) : null,
  ].filter(Boolean);
  const related = hints.filter((hint) => isObject(hint) && ids.has(hint.id));
  return h(
    'div',
    { class: 'client-settings', 'data-client-settings': '' },
    h('h4', null, W.title),
    h('p', { class: 'help' }, W.help),
    rows.length > 0 ? h('dl', { class: 'facts' }, rows) : h('p', null, W.none),
    related.length > 0
      ? h(
          'ul',
          { class: 'problems' },
          related.map((hint) =>
            h(
              'li',
              { 'data-hint-id': hint.id },
              severityBadge(hint.severity),
              ' ',
              h('strong', null, String(hint.title)),
              h('p', { class: 'detail' }, String(hint.detail)),
              h('p', { class: 'fix' }, h('strong', null, W.fix), String(hint.fix)),
            ),
          ),
        )
      : null,
  );
}

function renderSupport(support) {
  const contacts = list(support.contacts);
  return h(
    'div',
    { class: 'document', 'data-document': 'support' },
    h('h3', null, code('/.well-known/matrix/support')),
    h(
      'p',
      null,
      support.status === 'valid'
        ? badge('ok', t('document.ok'), '✓')
        : support.status === 'absent'
          ? badge('neutral', t('document.optional'), null)
          : badge('bad', t('document.broken'), '✕'),
      ' ',
      word('support', support.status, SUPPORT_STATUSES),
    ),
    facts([
      [
        t('support.contacts'),
        contacts.length > 0
          ? h(
              'ul',
              { class: 'plain' },
              contacts.map((c) =>
                h('li', null, [
                  c.role ? code(c.role) : t('support.noRole'),
                  c.matrixId ? [' ', code(c.matrixId)] : null,
                  c.emailAddress ? [' ', code(c.emailAddress)] : null,
                ]),
              ),
            )
          : null,
      ],
      [t('support.page'), support.supportPage ? code(support.supportPage) : null],
    ]),
    renderProblems(support.problems),
  );
}

function renderDocuments(report) {
  const parts = [];
  if (isObject(report.client)) parts.push(renderClient(report.client, list(report.hints)));
  if (isObject(report.support)) parts.push(renderSupport(report.support));
  if (parts.length === 0) return null;
  return section('documents-title', t('documents.title'), h('p', { class: 'help' }, t('documents.help')), parts);
}

function apiLink(path, name, label) {
  const href = `${path}?server_name=${encodeURIComponent(name)}`;
  return h('li', null, tn('raw.link', { label, link: h('a', { href }, code(href)) }));
}

function renderRaw(report) {
  const name = String(report.serverName ?? '');
  const pre = h('pre', { class: 'raw', tabindex: '0', 'aria-label': t('raw.label') });
  pre.textContent = JSON.stringify(report, null, 2);
  return h(
    'details',
    { class: 'raw-json' },
    h('summary', null, t('raw.title')),
    h(
      'ul',
      { class: 'plain' },
      apiLink('api/check', name, t('raw.native')),
      apiLink('api/report', name, t('raw.federationTester')),
      apiLink('api/federation-ok', name, t('raw.federationOk')),
    ),
    pre,
  );
}

/** Draws a whole report. */
function renderReport(report) {
  reportSentences = isObject(report.messages) ? report.messages : {};
  const fragment = document.createDocumentFragment();
  append(fragment, [
    renderVerdict(report),
    renderHints(report),
    renderResolution(report),
    renderAddresses(report),
    renderDocuments(report),
    renderRaw(report),
  ]);
  return fragment;
}

// ---------------------------------------------------------------------------------------------------------------
// Talking to the API.

/**
 * The message of an API error body: the server sends Matrix-style `{errcode, error: "..."}`; `{error: {message}}`,
 * `{message}` and short plain text (from a proxy in front of it) are read too.
 */
function apiMessage(body, text) {
  if (isObject(body)) {
    if (typeof body.error === 'string') return body.error;
    if (isObject(body.error) && typeof body.error.message === 'string') return body.error.message;
    if (typeof body.message === 'string') return body.message;
  }
  if (typeof text === 'string' && text.trim() !== '' && !text.trimStart().startsWith('<') && text.length <= 500)
    return text.trim();
  return null;
}

/** Seconds to wait from a Retry-After header (seconds or an HTTP date), or null. */
function retryAfterSeconds(header) {
  if (!header) return null;
  if (/^\d+$/.test(header.trim())) return Number(header.trim());
  const when = Date.parse(header);
  return Number.isNaN(when) ? null : Math.max(0, Math.ceil((when - Date.now()) / 1000));
}

function formatWait(seconds) {
  if (seconds === null) return t('wait.aMinute');
  if (seconds < 90) return t('wait.seconds', { seconds });
  return t('wait.minutes', { minutes: Math.ceil(seconds / 60) });
}

/**
 * What went wrong, kept as message keys and values (not words), so that it can be drawn again in another language:
 * `{ title, message, tip }`, each `{ key, params }`, or `{ text }` for the server's own words.
 */
function problem(title, message, tip) {
  return { title: { key: title }, message, tip: tip ? { key: tip } : null };
}

function said(part) {
  if (part === null || part === undefined) return '';
  return 'text' in part ? String(part.text ?? '') : t(part.key, part.params);
}

/** `api/check?server_name=X&lang=L`: the hints come in the page's language. */
function checkUrl(name, lang) {
  return `api/check?server_name=${encodeURIComponent(name)}&lang=${encodeURIComponent(lang)}`;
}

/** Asks the API; resolves to `{ report }` or `{ error }` (see {@link problem}), never rejects except on abort. */
async function fetchReport(name, lang, signal) {
  let response;
  try {
    response = await fetch(checkUrl(name, lang), { signal, headers: { accept: 'application/json' } });
  } catch (error) {
    if (signal.aborted && signal.reason?.name !== 'TimeoutError') throw error;
    if (signal.aborted) return { error: problem('error.timeout.title', { key: 'error.timeout.message' }) };
    return { error: problem('error.network.title', { key: 'error.network.message' }) };
  }
  let text = null;
  try {
    text = await response.text();
  } catch (error) {
    if (signal.aborted && signal.reason?.name !== 'TimeoutError') throw error;
    return { error: problem('error.network.title', { key: 'error.cutOff.message' }) };
  }
  let body = null;
  try {
    body = JSON.parse(text);
  } catch {
    body = null;
  }
  const status = response.status;
  if (response.ok) {
    if (isObject(body) && typeof body.serverName === 'string' && isObject(body.resolution)) return { report: body };
    if (isObject(body) && isObject(body.error))
      return { error: problem('error.unfinished.title', { text: apiMessage(body, text) }) };
    return { error: problem('error.unreadable.title', { key: 'error.unreadable.message' }) };
  }
  const message = apiMessage(body, text);
  if (status === 400) {
    return {
      error: problem(
        'error.badName.title',
        message === null ? { key: 'error.badName.message' } : { text: message },
        'error.badName.tip',
      ),
    };
  }
  if (status === 429 || status === 503) {
    const seconds = retryAfterSeconds(response.headers.get('retry-after'));
    const kind = status === 429 ? 'limited' : 'busy';
    return { error: problem(`error.${kind}.title`, { key: `error.${kind}.message`, seconds }) };
  }
  if (status === 504) return { error: problem('error.gatewayTimeout.title', { key: 'error.gatewayTimeout.message' }) };
  if (status >= 500)
    return { error: problem('error.server.title', { key: 'error.server.message', params: { status, message } }) };
  return { error: problem('error.refused.title', { key: 'error.refused.message', params: { status, message } }) };
}

// ---------------------------------------------------------------------------------------------------------------
// The page.

/** What people paste: `@alice:example.com`, `https://example.com/`: the server name in it, or the text as is. */
function serverNameFrom(text) {
  const value = String(text).trim();
  const userId = /^@[^:]+:(.+)$/.exec(value);
  if (userId) return userId[1];
  const url = /^https?:\/\/([^/?#]+)/i.exec(value);
  if (url) return url[1];
  return value;
}

// ---------------------------------------------------------------------------------------------------------------
// The watched servers (the monitor of `serve`, GET api/monitor): each name's state and its last report.

/** How often the list of watched servers is read again. */
const MONITOR_REFRESH_MS = 30_000;

/** What each monitor state means, in words (never colour alone). */
const MONITOR_STATES = {
  ok: { kind: 'ok', mark: '✓' },
  failing: { kind: 'warning', mark: '!' },
  alerting: { kind: 'bad', mark: '✕' },
  unknown: { kind: 'neutral', mark: '·' },
};

/** The watched names, those in trouble first, then those not checked yet, then those that work; config order within. */
function watchedInOrder(body) {
  const rank = { alerting: 0, failing: 1, unknown: 2, ok: 3 };
  return list(body.servers)
    .filter(isObject)
    .map((entry, index) => ({ entry, index }))
    .sort((a, b) => (rank[a.entry.state] ?? 2) - (rank[b.entry.state] ?? 2) || a.index - b.index)
    .map(({ entry }) => entry);
}

/** The list of watched servers; `show(name, report)` draws a report below the form. */
function renderMonitor(body, show) {
  const servers = watchedInOrder(body);
  const items = servers.map((entry) => {
    const name = String(entry.server_name ?? '');
    const known = Object.hasOwn(MONITOR_STATES, entry.state) ? entry.state : 'unknown';
    const state = MONITOR_STATES[known];
    const failures = Number(entry.consecutive_failures);
    const stateWord =
      entry.state === 'failing' && Number.isInteger(failures)
        ? t('monitor.failingCount', { count: failures })
        : t(`monitor.${known}`);
    const report = isObject(entry.report) ? entry.report : null;
    const when =
      typeof entry.last_checked_at === 'string' ? entry.last_checked_at.replace('T', ' ').slice(0, 19) : null;
    return h(
      'li',
      { class: 'watched', 'data-server-name': name, 'data-state': String(entry.state ?? 'unknown') },
      h(
        'div',
        { class: 'watched-head' },
        h('span', { class: 'watched-name' }, name),
        ' ',
        badge(state.kind, stateWord, state.mark),
      ),
      typeof entry.summary === 'string' ? h('p', { class: 'watched-summary' }, entry.summary) : null,
      h(
        'p',
        { class: 'meta' },
        when === null ? t('monitor.notChecked') : t('monitor.lastChecked', { when }),
        typeof entry.certificate_expires_at === 'string'
          ? t('monitor.certificateEnds', { date: formatDate(entry.certificate_expires_at) })
          : null,
      ),
      report === null
        ? null
        : h(
            'button',
            { type: 'button', class: 'secondary', 'data-show-report': name },
            t('monitor.showReport', { name }),
          ),
    );
  });
  const node = h(
    'div',
    null,
    servers.length === 0
      ? h('p', null, t('monitor.none'))
      : h('ul', { class: 'watched-list plain', role: 'list' }, items),
  );
  node.addEventListener('click', (event) => {
    const button = event.target instanceof Element ? event.target.closest('button[data-show-report]') : null;
    if (button === null) return;
    const name = button.getAttribute('data-show-report');
    const entry = servers.find((e) => String(e.server_name ?? '') === name);
    if (entry && isObject(entry.report)) show(name, entry.report);
  });
  return node;
}

// ---------------------------------------------------------------------------------------------------------------
// The page's own texts (index.html): `data-i18n` (text), `data-i18n-rich` (text with code and links),
// `data-i18n-aria-label`, `data-i18n-content` (a meta tag).

function drawPageTexts() {
  document.documentElement.lang = locale;
  for (const node of document.querySelectorAll('[data-i18n]')) node.textContent = t(node.getAttribute('data-i18n'));
  for (const node of document.querySelectorAll('[data-i18n-rich]'))
    node.replaceChildren(...rich(t(node.getAttribute('data-i18n-rich'))));
  for (const node of document.querySelectorAll('[data-i18n-aria-label]'))
    node.setAttribute('aria-label', t(node.getAttribute('data-i18n-aria-label')));
  for (const node of document.querySelectorAll('[data-i18n-content]'))
    node.setAttribute('content', t(node.getAttribute('data-i18n-content')));
  for (const button of document.querySelectorAll('button[data-lang]'))
    button.setAttribute('aria-pressed', button.getAttribute('data-lang') === locale ? 'true' : 'false');
}

function start() {
  const form = document.getElementById('check-form');
  const input = document.getElementById('server-name');
  const statusLine = document.getElementById('status');
  const results = document.getElementById('results');
  /** Reports by language and name (the hints are in the language they were asked in). */
  const cache = new Map();
  const cacheKey = (name) => `${locale}\n${name}`;
  let running = null;
  let refreshing = null;
  /** What the results show: a report (from a check or the monitor), an error, a check under way, or nothing. */
  let current = { kind: 'none' };

  function announce(text) {
    statusLine.textContent = text;
  }

  function setBusy(busy) {
    results.setAttribute('aria-busy', busy ? 'true' : 'false');
    form.setAttribute('aria-busy', busy ? 'true' : 'false');
    document.body.classList.toggle('is-busy', busy);
  }

  function showReport(name, report, source = 'check') {
    current = { kind: 'report', name, report, source };
    const kind = verdictOf(report);
    const verdict = t(`verdict.${kind}`);
    results.replaceChildren(renderReport(report));
    document.title = t('verdict.documentTitle', { name: report.serverName, verdict, page: t('page.title') });
    // The verdict in words, then the summary when it says more than the verdict, then how much there is to fix.
    const summary =
      typeof report.summary === 'string' && report.summary !== t('verdict.sentence', { verdict })
        ? report.summary
        : null;
    announce(t('verdict.announce', { name: report.serverName, verdict, summary, fixes: list(report.hints).length }));
  }

  function showError(name, error) {
    current = { kind: 'error', name, error };
    const title = said(error.title);
    const message = error.message
      ? 'text' in error.message
        ? said(error.message)
        : 'seconds' in error.message
          ? t(error.message.key, { wait: formatWait(error.message.seconds) })
          : t(error.message.key, error.message.params)
      : '';
    results.replaceChildren(
      h(
        'section',
        { class: 'error-box', 'aria-labelledby': 'error-title', 'data-error': 'true' },
        h('h2', { id: 'error-title' }, title),
        h('p', null, message),
        error.tip ? h('p', { class: 'help' }, said(error.tip)) : null,
      ),
    );
    document.title = t('error.documentTitle', { name, title, page: t('page.title') });
    announce(t('error.announce', { title, message }));
  }

  function showProgress(name) {
    current = { kind: 'running', name };
    announce(t('check.announce', { name }));
    results.replaceChildren(
      h(
        'p',
        { class: 'progress' },
        h('span', { class: 'spinner', 'aria-hidden': 'true' }),
        t('check.progress', { name }),
      ),
    );
  }

  function cancelRunning() {
    running?.abort(new DOMException('superseded', 'AbortError'));
    running = null;
    refreshing?.abort(new DOMException('superseded', 'AbortError'));
    refreshing = null;
    setBusy(false);
  }

  async function runCheck(name) {
    cancelRunning();
    const controller = new AbortController();
    running = controller;
    const timer = setTimeout(() => controller.abort(new DOMException('timed out', 'TimeoutError')), CHECK_TIMEOUT_MS);
    const lang = locale;
    setBusy(true);
    showProgress(name);
    try {
      const outcome = await fetchReport(name, lang, controller.signal);
      if (running !== controller) return;
      if (outcome.report) {
        cache.set(`${lang}\n${name}`, outcome.report);
        showReport(name, outcome.report);
      } else {
        showError(name, outcome.error);
      }
    } catch (error) {
      if (running === controller)
        showError(name, { title: { key: 'error.failed.title' }, message: { text: String(error?.message ?? error) } });
    } finally {
      clearTimeout(timer);
      if (running === controller) {
        running = null;
        setBusy(false);
      }
    }
  }

  /**
   * After a switch of language: the report is already drawn again in the new words; this asks the API for its hints
   * in the new language (the server's result cache answers: no new check) and draws it once more. A failure leaves
   * the report as it is.
   */
  async function refreshHints(name) {
    const controller = new AbortController();
    refreshing?.abort(new DOMException('superseded', 'AbortError'));
    refreshing = controller;
    const timer = setTimeout(() => controller.abort(new DOMException('timed out', 'TimeoutError')), CHECK_TIMEOUT_MS);
    const lang = locale;
    try {
      const outcome = await fetchReport(name, lang, controller.signal);
      if (refreshing !== controller || !outcome.report) return;
      cache.set(`${lang}\n${name}`, outcome.report);
      if (current.kind === 'report' && current.name === name && locale === lang) showReport(name, outcome.report);
    } catch {
      // Aborted by a newer check or switch: nothing to do.
    } finally {
      clearTimeout(timer);
      if (refreshing === controller) refreshing = null;
    }
  }

  function nameInUrl() {
    return new URLSearchParams(location.search).get('server_name');
  }

  /** The page's URL for a name; a `lang` in the URL stays in it (it is what decides the language on load). */
  function urlFor(name) {
    const lang = new URLSearchParams(location.search).get('lang');
    const tail = lang === null ? '' : `&lang=${encodeURIComponent(lang)}`;
    return `${location.pathname}?server_name=${encodeURIComponent(name)}${tail}`;
  }

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const name = serverNameFrom(input.value);
    if (name === '') {
      input.focus();
      return;
    }
    input.value = name;
    const url = urlFor(name);
    if (nameInUrl() === name) history.replaceState(null, '', url);
    else history.pushState(null, '', url);
    void runCheck(name);
  });

  function fromUrl() {
    const name = nameInUrl();
    if (name === null || name.trim() === '') {
      cancelRunning();
      current = { kind: 'none' };
      input.value = '';
      results.replaceChildren();
      announce('');
      document.title = t('page.title');
      return;
    }
    input.value = name;
    const cached = cache.get(cacheKey(name));
    if (cached) {
      cancelRunning();
      showReport(name, cached);
    } else {
      void runCheck(name);
    }
  }

  // The watched servers, when this server runs a monitor (api/monitor says `monitor: false` otherwise: nothing shown).
  const monitorSection = document.getElementById('monitor');
  const monitorList = document.getElementById('monitor-list');
  let monitorBody = null;

  function showWatchedReport(name, report) {
    cancelRunning();
    showReport(name, report, 'monitor');
    results.scrollIntoView?.({ block: 'start' });
  }

  /** Draws the watched servers; after a switch of language, also the watched report on show (in the new words). */
  function drawMonitor(afterSwitch = false) {
    if (monitorBody === null) return;
    monitorList.replaceChildren(renderMonitor(monitorBody, showWatchedReport));
    monitorSection.hidden = false;
    // Without the tester (only the monitor is configured) there is nothing to check on demand.
    if (monitorBody.tester === false) form.hidden = true;
    // The monitor's report of that name, with its hints in the new language.
    if (afterSwitch && current.kind === 'report' && current.source === 'monitor') {
      const entry = list(monitorBody.servers).find(
        (e) => isObject(e) && String(e.server_name ?? '') === current.name && isObject(e.report),
      );
      if (entry && entry.report !== current.report) showReport(current.name, entry.report, 'monitor');
    }
  }

  /** Reads api/monitor once: true when this server has a monitor (the list is worth reading again). */
  async function readMonitor(afterSwitch = false) {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(new DOMException('timed out', 'TimeoutError')), 10_000);
    const lang = locale;
    try {
      const response = await fetch(`api/monitor?lang=${encodeURIComponent(lang)}`, {
        signal: controller.signal,
        headers: { accept: 'application/json' },
      });
      // An older server without the route, or one without a monitor: nothing to show, and nothing to refresh.
      if (response.status === 404) return false;
      if (response.ok) {
        const body = await response.json();
        if (isObject(body) && body.monitor === false) return false;
        if (isObject(body) && lang === locale) {
          monitorBody = body;
          drawMonitor(afterSwitch);
        }
      }
    } catch {
      // The list stays as it was; the next refresh tries again.
    } finally {
      clearTimeout(timer);
    }
    return true;
  }

  async function monitorLoop() {
    if (await readMonitor()) setTimeout(() => void monitorLoop(), MONITOR_REFRESH_MS);
  }

  /** Switches the page to another language at once: its texts, the report on show, the watched servers. */
  function switchLanguage(next) {
    if (!LOCALES.includes(next)) return;
    storeLanguage(next);
    // A `lang` in the URL decides on load: it follows the choice, so that a reload keeps it.
    const params = new URLSearchParams(location.search);
    if (params.has('lang')) {
      params.set('lang', next);
      history.replaceState(history.state, '', `${location.pathname}?${params}`);
    }
    if (next === locale) return;
    setLanguage(next);
    drawPageTexts();
    document.title = t('page.title');
    if (monitorBody !== null) {
      drawMonitor();
      void readMonitor(true);
    }
    if (current.kind === 'report') {
      const { name, report, source } = current;
      const cached = source === 'check' ? cache.get(cacheKey(name)) : undefined;
      showReport(name, cached ?? report, source);
      if (source === 'check' && cached === undefined) void refreshHints(name);
    } else if (current.kind === 'error') {
      showError(current.name, current.error);
    } else if (current.kind === 'running') {
      void runCheck(current.name);
    }
  }

  for (const button of document.querySelectorAll('button[data-lang]'))
    button.addEventListener('click', () => switchLanguage(button.getAttribute('data-lang')));

  drawPageTexts();
  document.title = t('page.title');
  void monitorLoop();
  window.addEventListener('popstate', fromUrl);
  fromUrl();
}

setLanguage(
  chooseLocale({
    query: new URLSearchParams(location.search).get('lang'),
    stored: storedLanguage(),
    languages: Array.isArray(navigator.languages) ? navigator.languages : [navigator.language],
  }),
);
start();
