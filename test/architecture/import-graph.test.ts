// The architecture's two rules, checked on every file of src/: no import cycles, and every import points down the layer list.

import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { findCycles, importGraph, importSpecifiers, upwardImports, type ImportEdge } from './import-graph.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/**
 * The layers of ../shared/docs/design.md ("Architecture"), top first: a module may import its own layer and the
 * ones below it, never one above. `index.ts` is the package's entry; `options` (the one place options are checked)
 * and `remote-text.ts` (bounds of remote strings) are shared helpers just above `errors.ts` / `version.ts`, which
 * import nothing of ours; `testing` (the lab) imports only `errors.ts`. The design lists `diagnosis` above `checker`
 * but has the checker call the diagnosis: the arrow decides, so `diagnosis` sits between the checker and the model
 * it reads (`report`, `diagnosis` and `checker` meet in `check-report`, never import each other upwards). Likewise
 * `cache` (stores, coalescing, answer ages: it imports only `net` and `errors.ts`) sits below `dns`, whose DNS cache
 * is built from it, where the design lists it above. `monitor` (issue 20: the scheduler, its state, change detection,
 * the notifiers) sits under `server` and `cli`, which both run it, and over the checker and the config it reads.
 */
const LAYERS: readonly (readonly string[])[] = [
  ['index.ts'],
  ['cli'],
  ['server'],
  ['monitor'],
  ['plan'],
  ['proxy-config'],
  ['config'],
  ['report'],
  ['checker'],
  ['diagnosis'],
  ['check-report'],
  ['client'],
  ['resolver'],
  ['well-known'],
  ['dns'],
  ['cache'],
  ['keys'],
  ['net'],
  ['server-name'],
  ['testing'],
  ['options', 'remote-text.ts', 'i18n'],
  ['errors.ts', 'version.ts'],
];

/**
 * Violations that other parts of issue 15 are removing while this test is written: each entry must disappear (the
 * test fails on an entry that no longer occurs, so the list only shrinks), and the list ends empty.
 * Cycles are named by their files, sorted and joined with spaces; upward imports as `from -> to`.
 */
const KNOWN_CYCLES: readonly string[] = [];
const KNOWN_UPWARD_IMPORTS: readonly string[] = [];

/**
 * The package's entry points (package.json `exports`, as source files). An entry is the package's face: its
 * `export ... from` may gather modules from any layer (`/checker` publishes the report renderers with the checker).
 * Its imports, and imports of it, follow the layers like any other file's.
 */
function entryFiles(): Set<string> {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
    exports: Record<string, string | { import?: string }>;
  };
  const files = new Set<string>();
  for (const target of Object.values(pkg.exports)) {
    const path = typeof target === 'string' ? target : target.import;
    if (path !== undefined && path.startsWith('./dist/') && path.endsWith('.js'))
      files.add(`src/${path.slice('./dist/'.length, -'.js'.length)}.ts`);
  }
  return files;
}

function internalEdges(edges: readonly ImportEdge[]): { from: string; to: string; kind: ImportEdge['kind'] }[] {
  return edges.flatMap((e) =>
    e.to !== null && e.to.startsWith('src/') ? [{ from: e.from, to: e.to, kind: e.kind }] : [],
  );
}

describe('import graph of src/', () => {
  const edges = importGraph(ROOT, 'src');
  const internal = internalEdges(edges);

  it('reads imports of every kind from every file (the parser finds what the build follows)', () => {
    // Files known to use each kind: a dynamic import (the CLI's commands), `export ... from` (entries), `import type`.
    expect(edges.some((e) => e.kind === 'dynamic' && e.from.startsWith('src/cli/'))).toBe(true);
    expect(edges.some((e) => e.kind === 'export' && e.from === 'src/index.ts')).toBe(true);
    expect(edges.some((e) => e.kind === 'type')).toBe(true);
    expect(new Set(internal.map((e) => e.from)).size).toBeGreaterThan(100);
  });

  it('every relative import names a file that exists', () => {
    const unresolved = edges
      .filter((e) => e.specifier.startsWith('.') && e.to === null)
      .map((e) => `${e.from}: ${e.specifier}`);
    expect(unresolved).toEqual([]);
  });

  it('has no import cycle between files (besides the known ones being removed)', () => {
    const cycles = findCycles(internal);
    const found = new Map(cycles.map((c) => [c.members.join(' '), c.cycle.join(' -> ')]));
    const unexpected = [...found]
      .filter(([members]) => !KNOWN_CYCLES.includes(members))
      .map(([members, cycle]) => `${cycle}   (files: ${members})`);
    const gone = KNOWN_CYCLES.filter((k) => !found.has(k));
    expect(unexpected, 'import cycles: break each by moving what both sides need into a module below them').toEqual([]);
    expect(gone, 'these known cycles are gone: remove them from KNOWN_CYCLES').toEqual([]);
  });

  it('every import points down the layer list (besides the known ones being removed)', () => {
    const entries = entryFiles();
    const judged = internal.filter((e) => !(e.kind === 'export' && entries.has(e.from)));
    const found = new Set(upwardImports(judged, LAYERS).map((u) => `${u.from} -> ${u.to}`));
    const unexpected = [...found].filter((u) => !KNOWN_UPWARD_IMPORTS.includes(u)).sort();
    const gone = KNOWN_UPWARD_IMPORTS.filter((k) => !found.has(k));
    expect(unexpected, 'imports pointing up the layer list of design.md ("Architecture")').toEqual([]);
    expect(gone, 'these known upward imports are gone: remove them from KNOWN_UPWARD_IMPORTS').toEqual([]);
  });

  it('the report model, diagnosis and renderers never import the checker', () => {
    const offending = internal.filter(
      (e) => /^src\/(check-report|diagnosis|report)\//.test(e.from) && e.to.startsWith('src/checker/'),
    );
    expect(offending.map((e) => `${e.from} -> ${e.to}`)).toEqual([]);
  });
});

describe('the graph functions (small graphs written by hand)', () => {
  it('finds every kind of import, and none in comments or strings', () => {
    const text = [
      "import { a } from './a.js';",
      "import type { B } from './b.js';",
      "export { c } from './c.js';",
      "export type * from './d.js';",
      "import './e.js';",
      "const f = await import('./f.js');",
      "type G = import('./g.js').G;",
      "// import { h } from './h.js';",
      'const s = "import { i } from \'./i.js\'";',
    ].join('\n');
    expect(importSpecifiers('x.ts', text)).toEqual([
      { specifier: './a.js', kind: 'static' },
      { specifier: './b.js', kind: 'type' },
      { specifier: './c.js', kind: 'export' },
      { specifier: './d.js', kind: 'export' },
      { specifier: './e.js', kind: 'static' },
      { specifier: './f.js', kind: 'dynamic' },
      { specifier: './g.js', kind: 'type' },
    ]);
  });

  it('finds a cycle through three files, a file importing itself, and none in a tree', () => {
    const edges = [
      { from: 'a.ts', to: 'b.ts' },
      { from: 'b.ts', to: 'c.ts' },
      { from: 'c.ts', to: 'a.ts' },
      { from: 'c.ts', to: 'd.ts' },
      { from: 'e.ts', to: 'e.ts' },
      { from: 'f.ts', to: 'd.ts' },
    ];
    expect(findCycles(edges)).toEqual([
      { members: ['a.ts', 'b.ts', 'c.ts'], cycle: ['a.ts', 'b.ts', 'c.ts', 'a.ts'] },
      { members: ['e.ts'], cycle: ['e.ts', 'e.ts'] },
    ]);
    expect(
      findCycles([
        { from: 'a.ts', to: 'b.ts' },
        { from: 'a.ts', to: 'c.ts' },
        { from: 'b.ts', to: 'c.ts' },
      ]),
    ).toEqual([]);
  });

  it('flags an import from a lower layer to a higher one, and refuses a module outside the list', () => {
    const layers = [['cli'], ['checker', 'report'], ['errors.ts']];
    const edges = [
      { from: 'src/cli/main.ts', to: 'src/checker/check.ts' },
      { from: 'src/checker/check.ts', to: 'src/report/text.ts' },
      { from: 'src/checker/check.ts', to: 'src/errors.ts' },
      { from: 'src/errors.ts', to: 'src/cli/main.ts' },
    ];
    expect(upwardImports(edges, layers)).toEqual([
      { from: 'src/errors.ts', to: 'src/cli/main.ts', fromLayer: 'errors.ts', toLayer: 'cli' },
    ]);
    expect(() => upwardImports([{ from: 'src/new-thing/a.ts', to: 'src/errors.ts' }], layers)).toThrow(/new-thing/);
  });
});
