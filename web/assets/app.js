// The federation tester page: reads a server name from the form or the URL, asks /api/check, and draws the report.
//
// Plain ES module, no framework and no build step. Every piece of the report is remote data (a server name, a
// certificate name, a well-known body): it is only ever put into the page as text nodes, never as HTML.

/* global document, window, location, history, fetch, setTimeout, clearTimeout, AbortController, DOMException, URLSearchParams, Element */

/** How long the page waits for a check before giving up (the server has its own, shorter budget). */
const CHECK_TIMEOUT_MS = 120_000;

/** The resolution steps of the spec (server-server API, "Resolving server names"), in order, with what each does. */
const STEPS = [
  { step: '1', title: 'IP address', what: 'The server name is an IP address: connect to it directly.' },
  {
    step: '2',
    title: 'Explicit port',
    what: 'The server name has a port: connect to that host and port, no delegation.',
  },
  {
    step: '3',
    title: 'Well-known delegation',
    what: 'Ask the web server of the name (/.well-known/matrix/server) which host serves federation: m.server.',
    children: [
      { step: '3.1', title: 'Delegated to an IP address', what: 'm.server is an IP address: connect to it.' },
      { step: '3.2', title: 'Delegated host with a port', what: 'm.server has a port: connect to that host and port.' },
      {
        step: '3.3',
        title: 'SRV _matrix-fed._tcp of the delegated host',
        what: 'Look up SRV records of the delegated host.',
      },
      {
        step: '3.4',
        title: 'SRV _matrix._tcp of the delegated host',
        what: 'The deprecated SRV name, asked only when 3.3 found no records.',
      },
      {
        step: '3.5',
        title: 'Delegated host on port 8448',
        what: 'No SRV records: connect to the delegated host on port 8448.',
      },
    ],
  },
  { step: '4', title: 'SRV _matrix-fed._tcp', what: 'No delegation: look up SRV records of the server name.' },
  { step: '5', title: 'SRV _matrix._tcp', what: 'The deprecated SRV name, asked only when step 4 found no records.' },
  { step: '6', title: 'Port 8448', what: 'No SRV records: connect to the server name on port 8448.' },
];

/** What each trace status means, in the words the page shows (never colour alone). */
const STATUS = {
  taken: { word: 'matched', mark: '✓' },
  failed: { word: 'failed', mark: '✕' },
  empty: { word: 'no records', mark: '∅' },
  skipped: { word: 'skipped', mark: '–' },
  missing: { word: 'not reached', mark: '·' },
};

const VERDICTS = {
  ok: { word: 'works', title: 'Federation works', mark: '✓' },
  partial: { word: 'works partly', title: 'Federation works partly', mark: '!' },
  bad: { word: 'does not work', title: 'Federation does not work', mark: '✕' },
};

const SEVERITY_WORDS = { error: 'Error', warning: 'Warning', info: 'Note' };
const AREA_WORDS = { federation: 'Federation', client: 'Client discovery', support: 'Support contacts' };

const CLIENT_STATUS = {
  SUCCESS: 'Works: clients find the homeserver.',
  IGNORE: 'Not served (404): clients use the name as typed. Serve one so people can log in with their user ID.',
  FAIL_PROMPT: 'Unusable: clients ask people for the homeserver URL.',
  FAIL_ERROR: 'Points nowhere usable: clients stop the login.',
};

/** The client settings of /.well-known/matrix/client (issue 21): every word the page shows about them. */
const CLIENT_SETTING_WORDS = {
  title: 'Client settings',
  help: 'What clients read besides the homeserver, checked as current clients read it. Not part of the discovery verdict.',
  none: 'No client settings: clients use their own defaults.',
  ok: 'OK',
  problem: 'problem',
  note: 'note',
  rows: {
    e2ee: 'Encryption by default',
    jitsi: 'Jitsi (conferences)',
    rtc: 'Element Call (MatrixRTC)',
    authentication: 'Sign-in (OAuth 2.0 / OIDC)',
    tileServer: 'Maps (location sharing)',
    other: 'Other keys',
  },
  e2ee: {
    on: 'new rooms encrypted',
    off: 'new rooms not encrypted',
    forced: 'encryption turned off',
    unset: 'clients decide',
  },
  answered: (status) => `answered ${status}`,
  noAnswer: 'no answer',
  transports: {
    listed: 'the homeserver lists its call servers',
    'needs-sign-in': 'the homeserver offers its call servers (to signed-in users)',
    'not-offered': 'the homeserver does not offer its call servers',
    failed: 'the homeserver could not be asked for its call servers',
  },
  metadata: { true: 'the homeserver announces sign-in', false: 'the homeserver does not announce sign-in' },
  unknown: 'not read by any client this tester knows',
  fix: 'How to fix: ',
};

const SUPPORT_STATUS = {
  absent: 'Not served (404). That is fine: it is optional.',
  valid: 'Served and valid.',
  invalid: 'Served, but not a valid support document.',
  error: 'Could not be read.',
};

const WELL_KNOWN_STATUS = {
  delegated: 'delegates',
  absent: 'not served',
  invalid: 'invalid',
  error: 'error',
  blocked: 'blocked',
  skipped: 'not asked',
};

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

/** A word plus a mark for sighted readers; the mark is hidden from screen readers, which read the word. */
function badge(kind, word, mark) {
  return h(
    'span',
    { class: `badge badge--${kind}` },
    mark ? h('span', { class: 'mark', 'aria-hidden': 'true' }, mark) : null,
    word,
  );
}

function code(text) {
  return h('code', null, String(text));
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
  return ms >= 1000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms)} ms`;
}

function formatDate(iso) {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? String(iso) : date.toISOString().slice(0, 10);
}

function pluralDays(n) {
  return `${n} day${n === 1 ? '' : 's'}`;
}

function ok(flag, yes, no) {
  return flag ? badge('ok', yes, '✓') : badge('bad', no, '✕');
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
  const v = VERDICTS[kind];
  const checked = report.checkedAt ? `Checked ${new Date(report.checkedAt).toLocaleString()}` : null;
  return h(
    'section',
    { class: `verdict verdict--${kind}`, 'aria-labelledby': 'verdict-title', 'data-verdict': kind },
    h('p', { class: 'verdict-mark', 'aria-hidden': 'true' }, v.mark),
    h(
      'div',
      { class: 'verdict-body' },
      h(
        'h2',
        { id: 'verdict-title' },
        h('span', { class: 'server-name' }, String(report.serverName)),
        ': ',
        v.title.toLowerCase(),
      ),
      h('p', { class: 'summary' }, String(report.summary ?? '')),
      h(
        'p',
        { class: 'meta' },
        [checked, report.durationMs !== undefined ? `took ${formatMs(report.durationMs)}` : null]
          .filter(Boolean)
          .join(', '),
      ),
    ),
  );
}

function renderHints(report) {
  const hints = list(report.hints);
  if (hints.length === 0) return null;
  return section(
    'hints-title',
    hints.length === 1 ? 'What to fix' : `What to fix (${hints.length})`,
    h(
      'ul',
      { class: 'hints', role: 'list' },
      hints.map((hint) =>
        h(
          'li',
          { class: `hint hint--${hint.severity}`, 'data-hint-id': hint.id },
          h(
            'h3',
            null,
            badge(
              hint.severity,
              SEVERITY_WORDS[hint.severity] ?? String(hint.severity),
              hint.severity === 'error' ? '✕' : hint.severity === 'warning' ? '!' : 'i',
            ),
            ' ',
            String(hint.title),
          ),
          hint.area ? h('p', { class: 'meta' }, `About: ${AREA_WORDS[hint.area] ?? hint.area}`) : null,
          h('p', { class: 'detail' }, String(hint.detail)),
          h('p', { class: 'fix' }, h('strong', null, 'How to fix: '), String(hint.fix)),
        ),
      ),
    ),
  );
}

/** Facts a trace step saw, in short words (the raw JSON has the rest). */
function traceData(entry) {
  const data = isObject(entry.data) ? entry.data : {};
  const out = [];
  if (entry.query) out.push(h('li', null, 'Asked ', code(entry.query)));
  if (typeof data.httpStatus === 'number') out.push(h('li', null, `HTTP status ${data.httpStatus}`));
  const records = list(data.records);
  if (records.length > 0) {
    out.push(
      h(
        'li',
        null,
        'SRV records: ',
        records.map((r, i) => [i > 0 ? ', ' : null, code(`${r.priority} ${r.weight} ${r.port} ${r.target}`)]),
      ),
    );
  }
  const addresses = list(data.addresses);
  if (addresses.length > 0)
    out.push(
      h(
        'li',
        null,
        'Addresses: ',
        addresses.map((a, i) => [i > 0 ? ', ' : null, code(a)]),
      ),
    );
  const cnames = list(data.cnameChain);
  if (cnames.length > 0) out.push(h('li', null, 'CNAME chain: ', code(cnames.join(' → '))));
  const hops = list(data.hops);
  if (hops.length > 1) out.push(h('li', null, `Redirects: ${hops.length - 1}`));
  if (entry.code) out.push(h('li', null, 'Code ', code(entry.code)));
  if (entry.durationMs >= 1) out.push(h('li', null, `Took ${formatMs(entry.durationMs)}`));
  return out.length > 0 ? h('ul', { class: 'step-data' }, out) : null;
}

/** The status a step shows: matched if any of its entries matched, else the most telling of the others. */
function stepStatus(entries) {
  if (entries.length === 0) return 'missing';
  for (const status of ['taken', 'failed', 'empty', 'skipped'])
    if (entries.some((e) => e.status === status)) return status;
  return 'skipped';
}

function renderStep(def, entries, children) {
  const status = stepStatus(entries);
  const s = STATUS[status];
  const word = entries.find((e) => e.status === status && e.word)?.word ?? s.word;
  return h(
    'li',
    { class: `step step--${status}`, 'data-step': def.step, 'data-status': status },
    h(
      'div',
      { class: 'step-head' },
      h('span', { class: 'step-number' }, def.step),
      h('span', { class: 'step-title' }, def.title),
      h(
        'span',
        { class: `status status--${status}` },
        h('span', { class: 'mark', 'aria-hidden': 'true' }, s.mark),
        word,
      ),
    ),
    h('p', { class: 'step-what' }, def.what),
    entries.length === 0
      ? h('p', { class: 'reason' }, 'The resolution stopped before this step.')
      : entries.map((e) => [
          h(
            'p',
            { class: 'reason' },
            entries.length > 1 && e.status !== status ? `${STATUS[e.status]?.word ?? e.status}: ` : null,
            String(e.reason),
          ),
          e.status === 'skipped' ? null : traceData(e),
        ]),
    children
      ? h(
          'ol',
          {
            class: 'steps steps--nested',
            role: 'list',
            'aria-label': `Steps ${def.step}.1 to ${def.step}.${children.length}`,
          },
          children,
        )
      : null,
  );
}

function renderOtherEntry(label, entry) {
  const s = STATUS[entry.status] ?? STATUS.failed;
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
        h('span', { class: 'mark', 'aria-hidden': 'true' }, s.mark),
        s.word,
      ),
    ),
    h('p', { class: 'reason' }, String(entry.reason)),
    traceData(entry),
  );
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
      return entries.map((e) => (e.status === 'failed' ? { ...e, status: 'empty', word: 'not served' } : e));
    }
    if (entries) return entries;
    if (order.indexOf(step) > last) return [];
    const reason =
      step.startsWith('3.') && !delegated
        ? 'No delegation (step 3), so the delegated steps do not apply.'
        : 'Not needed: an earlier step decided.';
    return [{ step, status: 'skipped', reason }];
  };
  const items = [];
  for (const entry of byStep.get('parse') ?? []) items.push(renderOtherEntry('Reading the server name', entry));
  if (last >= 0) {
    for (const def of STEPS) {
      const children = def.children?.map((c) => renderStep(c, entriesOf(c.step)));
      items.push(renderStep(def, entriesOf(def.step), children));
    }
  }
  for (const entry of byStep.get('policy') ?? []) items.push(renderOtherEntry('Address policy', entry));

  const targets = list(resolution.targets);
  return section(
    'resolution-title',
    'How other servers find it',
    h(
      'p',
      { class: 'help' },
      'The steps of the Matrix specification ("Resolving server names"), in order: which one matched, and why the others were skipped.',
    ),
    items.length > 0
      ? h('ol', { class: 'steps', role: 'list', 'aria-label': 'Resolution steps' }, items)
      : h('p', null, 'No resolution trace in this report.'),
    wk
      ? h(
          'p',
          { class: 'well-known' },
          h('strong', null, 'Well-known: '),
          `${WELL_KNOWN_STATUS[wk.status] ?? wk.status}`,
          wk.mServer ? [' to ', code(wk.mServer)] : null,
          wk.detail ? ` (${wk.detail})` : null,
        )
      : null,
    renderWellKnownByAddress(report),
    h('h3', null, 'Targets'),
    targets.length > 0
      ? [
          h('p', { class: 'help' }, 'Where other servers connect, in the order they try.'),
          h(
            'ol',
            { class: 'targets', role: 'list' },
            targets.map((t) =>
              h(
                'li',
                { class: 'target' },
                h('p', { class: 'target-address' }, code(formatAddress(t.ip, t.port)), ` from step ${t.step}`),
                facts([
                  ['Host header', code(t.hostHeader)],
                  ['Certificate must name', code(t.tlsServerName)],
                  ['SNI', t.sni === null ? 'none (IP address)' : code(t.sni)],
                ]),
              ),
            ),
          ),
        ]
      : h(
          'p',
          { class: 'problem' },
          h('strong', null, 'No targets: '),
          String(resolution.error?.message ?? 'nothing to connect to'),
          resolution.error?.code ? [' ', code(resolution.error.code)] : null,
        ),
  );
}

function renderWellKnownByAddress(report) {
  const rows = list(report.wellKnownByAddress);
  if (rows.length === 0) return null;
  return [
    h('h3', null, 'The well-known document from each address'),
    h(
      'ul',
      { class: 'plain' },
      rows.map((w) =>
        h(
          'li',
          null,
          code(w.ip),
          ` (${w.family === 6 ? 'IPv6' : 'IPv4'}): ${WELL_KNOWN_STATUS[w.status] ?? w.status}`,
          w.mServer ? [' to ', code(w.mServer)] : null,
          w.detail ? `. ${w.detail}` : null,
        ),
      ),
    ),
  ];
}

function formatAddress(ip, port) {
  const host = String(ip).includes(':') ? `[${ip}]` : String(ip);
  return port === undefined || port === null ? host : `${host}:${port}`;
}

function problemText(p) {
  if (!isObject(p)) return null;
  return [String(p.message ?? ''), p.code ? [' ', code(p.code)] : null];
}

function renderTls(tls) {
  if (!isObject(tls)) return [];
  const leaf = list(tls.chain)[0];
  const names = leaf ? [...list(leaf.dnsNames), ...list(leaf.ipAddresses)] : [];
  let expiry = null;
  if (leaf?.validTo) {
    const days = tls.expiresInDays;
    const when =
      typeof days !== 'number' ? '' : days < 0 ? ` (expired ${pluralDays(-days)} ago)` : ` (in ${pluralDays(days)})`;
    expiry = `${formatDate(leaf.validTo)}${when}`;
  }
  return [
    ['TLS', [tls.protocol, tls.cipher].filter(Boolean).join(', ') || 'unknown'],
    [
      'Certificate',
      ok(tls.trusted, 'trusted', 'not trusted'),
      tls.trustError ? [' ', problemText(tls.trustError)] : null,
    ],
    [
      'Certificate name',
      ok(tls.nameMatches, 'matches', 'does not match'),
      tls.nameError ? [' ', problemText(tls.nameError)] : null,
    ],
    ['Names in the certificate', names.length > 0 ? names.map((n, i) => [i > 0 ? ', ' : null, code(n)]) : null],
    ['Issued by', leaf ? `${leaf.issuerCommonName || 'unknown'}${leaf.selfSigned ? ' (self-signed)' : ''}` : null],
    ['Expires', expiry],
  ];
}

function renderVersion(version) {
  if (!isObject(version)) return [];
  if (version.ok) return [['Server software', `${version.name ?? 'unknown'} ${version.version ?? ''}`.trim()]];
  return [
    [
      'Server software',
      badge('bad', 'no answer', '✕'),
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
      'Signing keys',
      ok(keys.ok, 'valid', 'invalid'),
      checks.length > 0
        ? [
            ' ',
            checks.map(([id, c], i) => [
              i > 0 ? ', ' : null,
              code(id),
              c.ValidEd25519 && c.MatchingSignature ? ' (signature valid)' : ' (signature invalid)',
            ]),
          ]
        : null,
    ],
    [
      'Keys are for',
      keys.serverName
        ? [code(keys.serverName), keys.matchingServerName ? null : ' (not the server name checked)']
        : null,
    ],
    [
      'Keys valid until',
      typeof keys.validUntilTs === 'number'
        ? `${formatDate(new Date(keys.validUntilTs).toISOString())}${keys.futureValidUntilTs ? '' : ' (already past)'}`
        : null,
    ],
    [
      'Key problems',
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
    `Addresses (${working} of ${addresses.length} working)`,
    h(
      'ul',
      { class: 'cards', role: 'list' },
      addresses.map((a) => {
        const t = isObject(a.target) ? a.target : {};
        const via = t.srv
          ? ['SRV ', code(t.srv.name), ' → ', code(t.srv.target)]
          : t.addressOf
            ? ['address of ', code(t.addressOf)]
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
            a.ok ? badge('ok', 'works', '✓') : badge('bad', 'fails', '✕'),
          ),
          facts([
            ['Found by', t.step ? `step ${t.step}` : null, via ? [': ', via] : null],
            ['Host and certificate name', t.tlsServerName ? code(t.tlsServerName) : null],
            [
              'Connection',
              a.connectionError ? [badge('bad', 'failed', '✕'), ' ', problemText(a.connectionError)] : null,
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
          SEVERITY_WORDS[p.severity] ?? 'Error',
          p.severity === 'warning' ? '!' : p.severity === 'info' ? 'i' : '✕',
        ),
        ' ',
        String(p.message),
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
        ? badge('ok', 'OK', '✓')
        : client.status === 'IGNORE'
          ? badge('warning', 'missing', '!')
          : badge('bad', 'broken', '✕'),
      ' ',
      CLIENT_STATUS[client.status] ?? String(client.status),
    ),
    facts([
      ['URL', client.url ? code(client.url) : null],
      ['HTTP status', client.httpStatus ?? null],
      ['Homeserver', hs?.baseUrl ? code(hs.baseUrl) : null, hs?.error ? [' ', problemText(hs.error)] : null],
      ['Spec versions', versions.length > 0 ? `${versions.length}, up to ${versions[versions.length - 1]}` : null],
      ['Identity server', is?.baseUrl ? code(is.baseUrl) : null, is?.error ? [' ', problemText(is.error)] : null],
    ]),
    renderProblems(client.problems),
    renderClientSettings(client.settings, hints),
  );
}

/** A row's badge: the worst problem of its part of the settings (codes starting with `prefix`). */
function settingBadge(problems, prefix) {
  const mine = problems.filter((p) => String(p.code).startsWith(prefix));
  const W = CLIENT_SETTING_WORDS;
  if (mine.some((p) => p.severity === 'error')) return badge('bad', W.problem, '✕');
  if (mine.some((p) => p.severity === 'warning')) return badge('warning', W.problem, '!');
  if (mine.length > 0) return badge('neutral', W.note, 'i');
  return badge('ok', W.ok, '✓');
}

/** What one request of a setting got: its status, or why no answer came. */
function settingAnswer(request) {
  if (!isObject(request)) return null;
  const W = CLIENT_SETTING_WORDS;
  if (isObject(request.error)) return [' (', W.noAnswer, ': ', code(request.error.code), ')'];
  return typeof request.httpStatus === 'number' ? [' (', W.answered(request.httpStatus), ')'] : null;
}

/** The E2EE row's words. */
function e2eeWords(e2ee) {
  const W = CLIENT_SETTING_WORDS.e2ee;
  if (e2ee.forceDisable === true) return W.forced;
  if (e2ee.default === true) return W.on;
  return e2ee.default === false ? W.off : W.unset;
}

/** The client settings of the document, one row each, with the hints about them (their ids come from the problems). */
function renderClientSettings(settings, hints) {
  const W = CLIENT_SETTING_WORDS;
  if (!isObject(settings)) return null;
  const problems = list(settings.problems);
  const ids = new Set(problems.map((p) => String(p.code).toLowerCase().replaceAll('_', '-')));
  const part = (name) => (isObject(settings[name]) ? settings[name] : null);
  const [e2ee, jitsi, rtc, auth, tile] = ['e2ee', 'jitsi', 'rtc', 'authentication', 'tileServer'].map(part);
  const other = list(settings.keys).filter((k) => isObject(k) && k.known === false);
  const row = (name, prefix, key, ...description) =>
    h(
      'div',
      { 'data-setting': name },
      h('dt', null, W.rows[name]),
      h('dd', null, settingBadge(problems, prefix), ' ', key ? [code(key), ' '] : null, description),
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
            settingAnswer(list(f.preflights)[0]),
          ),
        ),
        isObject(rtc.homeserver)
          ? h('li', null, W.transports[rtc.homeserver.status] ?? String(rtc.homeserver.status))
          : null,
      )
    : null;
  const metadata = isObject(auth?.authMetadata) ? auth.authMetadata.offered : null;
  const rows = [
    e2ee ? row('e2ee', 'CLIENT_E2EE_', e2ee.key, e2eeWords(e2ee)) : null,
    jitsi
      ? row(
          'jitsi',
          'CLIENT_JITSI_',
          jitsi.key,
          jitsi.preferredDomain ? code(jitsi.preferredDomain) : null,
          settingAnswer(jitsi.request),
        )
      : null,
    rtc ? row('rtc', 'CLIENT_RTC_', rtc.key, foci) : null,
    auth
      ? row(
          'authentication',
          'CLIENT_AUTH_',
          auth.key,
          auth.issuer ? code(auth.issuer) : null,
          settingAnswer(auth.openidConfiguration),
          typeof metadata === 'boolean' ? ['; ', W.metadata[String(metadata)]] : null,
        )
      : null,
    tile
      ? row(
          'tileServer',
          'CLIENT_TILE_SERVER_',
          tile.key,
          tile.mapStyleUrl ? code(tile.mapStyleUrl) : null,
          settingAnswer(tile.style),
        )
      : null,
    other.length > 0
      ? row(
          'other',
          'CLIENT_SETTING_',
          null,
          other.map((k, i) => [i > 0 ? ', ' : null, code(k.name)]),
          ` (${W.unknown})`,
        )
      : null,
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
              badge(
                hint.severity,
                SEVERITY_WORDS[hint.severity] ?? String(hint.severity),
                hint.severity === 'error' ? '✕' : hint.severity === 'warning' ? '!' : 'i',
              ),
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
        ? badge('ok', 'OK', '✓')
        : support.status === 'absent'
          ? badge('neutral', 'optional', null)
          : badge('bad', 'broken', '✕'),
      ' ',
      SUPPORT_STATUS[support.status] ?? String(support.status),
    ),
    facts([
      [
        'Contacts',
        contacts.length > 0
          ? h(
              'ul',
              { class: 'plain' },
              contacts.map((c) =>
                h('li', null, [
                  c.role ? code(c.role) : 'no role',
                  c.matrixId ? [' ', code(c.matrixId)] : null,
                  c.emailAddress ? [' ', code(c.emailAddress)] : null,
                ]),
              ),
            )
          : null,
      ],
      ['Support page', support.supportPage ? code(support.supportPage) : null],
    ]),
    renderProblems(support.problems),
  );
}

function renderDocuments(report) {
  const parts = [];
  if (isObject(report.client)) parts.push(renderClient(report.client, list(report.hints)));
  if (isObject(report.support)) parts.push(renderSupport(report.support));
  if (parts.length === 0) return null;
  return section(
    'documents-title',
    'Client and support documents',
    h(
      'p',
      { class: 'help' },
      'Not part of the federation verdict: clients read these to find the homeserver and whom to contact.',
    ),
    parts,
  );
}

function apiLink(path, name, label) {
  const href = `${path}?server_name=${encodeURIComponent(name)}`;
  return h('li', null, `${label}: `, h('a', { href }, code(href)));
}

function renderRaw(report) {
  const name = String(report.serverName ?? '');
  const pre = h('pre', { class: 'raw', tabindex: '0', 'aria-label': 'Native JSON report' });
  pre.textContent = JSON.stringify(report, null, 2);
  return h(
    'details',
    { class: 'raw-json' },
    h('summary', null, 'Raw JSON'),
    h(
      'ul',
      { class: 'plain' },
      apiLink('api/check', name, 'Native report'),
      apiLink('api/report', name, 'matrix-federation-tester format'),
      apiLink('api/federation-ok', name, 'GOOD or BAD'),
    ),
    pre,
  );
}

/** Draws a whole report. */
function renderReport(report) {
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
  if (seconds < 90) return `${seconds} second${seconds === 1 ? '' : 's'}`;
  const minutes = Math.ceil(seconds / 60);
  return `${minutes} minutes`;
}

/** Asks the API; resolves to `{ report }` or `{ error: { title, message, tip } }`, never rejects except on abort. */
async function fetchReport(name, signal) {
  let response;
  try {
    response = await fetch(`api/check?server_name=${encodeURIComponent(name)}`, {
      signal,
      headers: { accept: 'application/json' },
    });
  } catch (error) {
    if (signal.aborted && signal.reason?.name !== 'TimeoutError') throw error;
    if (signal.aborted)
      return { error: { title: 'The check took too long', message: 'No answer came in time. Try again in a moment.' } };
    return {
      error: {
        title: 'Could not reach the tester',
        message: 'The request did not get through. Check your connection and try again.',
      },
    };
  }
  let text = null;
  try {
    text = await response.text();
  } catch (error) {
    if (signal.aborted && signal.reason?.name !== 'TimeoutError') throw error;
    return { error: { title: 'Could not reach the tester', message: 'The answer was cut off. Try again.' } };
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
      return { error: { title: 'The check could not finish', message: apiMessage(body, text) } };
    return {
      error: {
        title: 'Unreadable answer',
        message: 'The tester answered with something this page cannot read. Reload the page and try again.',
      },
    };
  }
  const message = apiMessage(body, text);
  if (status === 400) {
    return {
      error: {
        title: 'That is not a server name',
        message: message ?? 'The tester cannot check this name.',
        tip: 'A server name is a host name or an IP address, with an optional port: example.com, matrix.example.com:8448, 192.0.2.7.',
      },
    };
  }
  if (status === 429) {
    const seconds = retryAfterSeconds(response.headers.get('retry-after'));
    return {
      error: {
        title: 'Too many checks',
        message: `This tester limits how often one visitor can check. Try again in ${seconds === null ? 'a minute' : formatWait(seconds)}.`,
      },
    };
  }
  if (status === 503) {
    const seconds = retryAfterSeconds(response.headers.get('retry-after'));
    return {
      error: {
        title: 'The tester is busy',
        message: `It is running as many checks as it allows right now. Try again in ${seconds === null ? 'a minute' : formatWait(seconds)}.`,
      },
    };
  }
  if (status === 504) {
    return {
      error: {
        title: 'The check is taking long',
        message:
          'The check did not finish in time. It goes on at the tester: check again in a moment to see its result.',
      },
    };
  }
  if (status >= 500) {
    return {
      error: {
        title: 'The tester failed',
        message: `The tester could not run the check (HTTP ${status}${message ? `: ${message}` : ''}). Try again later; if it keeps failing, its log says why.`,
      },
    };
  }
  return {
    error: {
      title: 'The check was refused',
      message: `The tester answered HTTP ${status}${message ? `: ${message}` : ''}.`,
    },
  };
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
  ok: { kind: 'ok', word: 'works', mark: '✓' },
  failing: { kind: 'warning', word: 'failing', mark: '!' },
  alerting: { kind: 'bad', word: 'failing, alert sent', mark: '✕' },
  unknown: { kind: 'neutral', word: 'not checked yet', mark: '·' },
};

/** The list of watched servers; `show(name, report)` draws a report below the form. */
function renderMonitor(body, show) {
  // The ones in trouble first, then those not checked yet, then those that work; in config order within each.
  const rank = { alerting: 0, failing: 1, unknown: 2, ok: 3 };
  const servers = list(body.servers)
    .filter(isObject)
    .map((entry, index) => ({ entry, index }))
    .sort((a, b) => (rank[a.entry.state] ?? 2) - (rank[b.entry.state] ?? 2) || a.index - b.index)
    .map(({ entry }) => entry);
  const items = servers.map((entry) => {
    const name = String(entry.server_name ?? '');
    const state = MONITOR_STATES[entry.state] ?? MONITOR_STATES.unknown;
    const failures = Number(entry.consecutive_failures);
    const word =
      entry.state === 'failing' && Number.isInteger(failures)
        ? `failing (${failures} check${failures === 1 ? '' : 's'} in a row)`
        : state.word;
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
        badge(state.kind, word, state.mark),
      ),
      typeof entry.summary === 'string' ? h('p', { class: 'watched-summary' }, entry.summary) : null,
      h(
        'p',
        { class: 'meta' },
        when === null ? 'Not checked yet.' : `Last checked ${when} UTC.`,
        typeof entry.certificate_expires_at === 'string'
          ? ` Earliest certificate ends ${formatDate(entry.certificate_expires_at)}.`
          : null,
      ),
      report === null
        ? null
        : h(
            'button',
            { type: 'button', class: 'secondary', 'data-show-report': name },
            `Show the last report of ${name}`,
          ),
    );
  });
  const node = h(
    'div',
    null,
    servers.length === 0
      ? h('p', null, 'No server is watched.')
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

function start() {
  const form = document.getElementById('check-form');
  const input = document.getElementById('server-name');
  const statusLine = document.getElementById('status');
  const results = document.getElementById('results');
  const baseTitle = document.title;
  const cache = new Map();
  let running = null;

  function announce(text) {
    statusLine.textContent = text;
  }

  function setBusy(busy) {
    results.setAttribute('aria-busy', busy ? 'true' : 'false');
    form.setAttribute('aria-busy', busy ? 'true' : 'false');
    document.body.classList.toggle('is-busy', busy);
  }

  function showReport(name, report) {
    const v = VERDICTS[verdictOf(report)];
    results.replaceChildren(renderReport(report));
    document.title = `${report.serverName}: federation ${v.word} · ${baseTitle}`;
    // The verdict in words, then the summary when it says more than the verdict, then how much there is to fix.
    const summary =
      typeof report.summary === 'string' && report.summary !== `Federation ${v.word}.` ? ` ${report.summary}` : '';
    const hints = list(report.hints).length;
    const fix = hints === 0 ? '' : hints === 1 ? ' 1 thing to fix.' : ` ${hints} things to fix.`;
    announce(`${report.serverName}: federation ${v.word}.${summary}${fix}`);
  }

  function showError(name, error) {
    results.replaceChildren(
      h(
        'section',
        { class: 'error-box', 'aria-labelledby': 'error-title', 'data-error': 'true' },
        h('h2', { id: 'error-title' }, error.title),
        h('p', null, String(error.message ?? '')),
        error.tip ? h('p', { class: 'help' }, error.tip) : null,
      ),
    );
    document.title = `${name}: ${error.title} · ${baseTitle}`;
    announce(`${error.title}. ${error.message ?? ''}`.trim());
  }

  function cancelRunning() {
    running?.abort(new DOMException('superseded', 'AbortError'));
    running = null;
    setBusy(false);
  }

  async function runCheck(name) {
    cancelRunning();
    const controller = new AbortController();
    running = controller;
    const timer = setTimeout(() => controller.abort(new DOMException('timed out', 'TimeoutError')), CHECK_TIMEOUT_MS);
    setBusy(true);
    announce(`Checking ${name}…`);
    results.replaceChildren(
      h(
        'p',
        { class: 'progress' },
        h('span', { class: 'spinner', 'aria-hidden': 'true' }),
        `Checking ${name}: DNS, the well-known documents, TLS and keys on every address. This can take a few seconds.`,
      ),
    );
    try {
      const outcome = await fetchReport(name, controller.signal);
      if (running !== controller) return;
      if (outcome.report) {
        cache.set(name, outcome.report);
        showReport(name, outcome.report);
      } else {
        showError(name, outcome.error);
      }
    } catch (error) {
      if (running === controller)
        showError(name, { title: 'The check failed', message: String(error?.message ?? error) });
    } finally {
      clearTimeout(timer);
      if (running === controller) {
        running = null;
        setBusy(false);
      }
    }
  }

  function nameInUrl() {
    return new URLSearchParams(location.search).get('server_name');
  }

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const name = serverNameFrom(input.value);
    if (name === '') {
      input.focus();
      return;
    }
    input.value = name;
    const url = `${location.pathname}?server_name=${encodeURIComponent(name)}`;
    if (nameInUrl() === name) history.replaceState(null, '', url);
    else history.pushState(null, '', url);
    void runCheck(name);
  });

  function fromUrl() {
    const name = nameInUrl();
    if (name === null || name.trim() === '') {
      cancelRunning();
      input.value = '';
      results.replaceChildren();
      announce('');
      document.title = baseTitle;
      return;
    }
    input.value = name;
    const cached = cache.get(name);
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
  async function loadMonitor() {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(new DOMException('timed out', 'TimeoutError')), 10_000);
    try {
      const response = await fetch('api/monitor', {
        signal: controller.signal,
        headers: { accept: 'application/json' },
      });
      // An older server without the route, or one without a monitor: nothing to show, and nothing to refresh.
      if (response.status === 404) return;
      if (response.ok) {
        const body = await response.json();
        if (isObject(body) && body.monitor === false) return;
        if (isObject(body)) {
          monitorList.replaceChildren(
            renderMonitor(body, (name, report) => {
              cancelRunning();
              showReport(name, report);
              results.scrollIntoView?.({ block: 'start' });
            }),
          );
          monitorSection.hidden = false;
          // Without the tester (only the monitor is configured) there is nothing to check on demand.
          if (body.tester === false) form.hidden = true;
        }
      }
    } catch {
      // The list stays as it was; the next refresh tries again.
    } finally {
      clearTimeout(timer);
    }
    setTimeout(() => void loadMonitor(), MONITOR_REFRESH_MS);
  }
  void loadMonitor();

  window.addEventListener('popstate', fromUrl);
  fromUrl();
}

start();
