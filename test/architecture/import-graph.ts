// The import graph of src/: every file's imports (static, `export ... from`, type-only, dynamic), its cycles and its layers.

import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import ts from 'typescript';

/** One import of a file: the specifier as written and the file it names (relative to the root), when it is ours. */
export interface ImportEdge {
  readonly from: string;
  readonly specifier: string;
  /** The imported file, relative to the root with `/` separators; null when the specifier is not relative. */
  readonly to: string | null;
  readonly kind: 'static' | 'type' | 'export' | 'dynamic';
}

/** Every `.ts` file under `dir` (recursively), relative to `root`, `/`-separated, sorted. */
export function sourceFiles(root: string, dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      const path = join(d, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.isFile() && entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts'))
        out.push(toPosix(relative(root, path)));
    }
  };
  walk(join(root, dir));
  return out.sort();
}

function toPosix(path: string): string {
  return path.split(sep).join('/');
}

/**
 * The module specifiers a source text imports, found by TypeScript's parser (not a regular expression, so that
 * comments and strings do not count): `import ... from`, `import type`, `export ... from`, side-effect imports,
 * `import()` calls and `import('...')` type references.
 */
export function importSpecifiers(fileName: string, text: string): { specifier: string; kind: ImportEdge['kind'] }[] {
  const source = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const found: { specifier: string; kind: ImportEdge['kind'] }[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
      found.push({
        specifier: node.moduleSpecifier.text,
        kind: node.importClause?.isTypeOnly === true ? 'type' : 'static',
      });
    } else if (
      ts.isExportDeclaration(node) &&
      node.moduleSpecifier !== undefined &&
      ts.isStringLiteral(node.moduleSpecifier)
    ) {
      found.push({ specifier: node.moduleSpecifier.text, kind: 'export' });
    } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
      const arg = node.arguments[0];
      if (arg !== undefined && ts.isStringLiteralLike(arg)) found.push({ specifier: arg.text, kind: 'dynamic' });
    } else if (
      ts.isImportTypeNode(node) &&
      ts.isLiteralTypeNode(node.argument) &&
      ts.isStringLiteral(node.argument.literal)
    ) {
      found.push({ specifier: node.argument.literal.text, kind: 'type' });
    } else if (
      ts.isImportEqualsDeclaration(node) &&
      ts.isExternalModuleReference(node.moduleReference) &&
      ts.isStringLiteral(node.moduleReference.expression)
    ) {
      found.push({ specifier: node.moduleReference.expression.text, kind: 'static' });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

/**
 * The file a relative specifier names, relative to `root`: `./a.js` is `a.ts` (NodeNext keeps the output's
 * extension in the source), `.mjs`/`.cjs` likewise. Null when no such file exists.
 */
export function resolveSpecifier(root: string, from: string, specifier: string): string | null {
  const base = resolve(root, dirname(from), specifier);
  const candidates = [
    base
      .replace(/\.js$/, '.ts')
      .replace(/\.mjs$/, '.mts')
      .replace(/\.cjs$/, '.cts'),
    base,
    `${base}.ts`,
    join(base, 'index.ts'),
  ];
  for (const candidate of candidates) {
    if (existsSync(candidate) && !candidate.endsWith(sep) && /\.(m|c)?ts$|\.json$/.test(candidate))
      return toPosix(relative(root, candidate));
  }
  return null;
}

/** Every import of every file under `dir`. */
export function importGraph(root: string, dir: string): ImportEdge[] {
  return sourceFiles(root, dir).flatMap((from) =>
    importSpecifiers(from, readFileSync(join(root, from), 'utf8')).map(({ specifier, kind }) => ({
      from,
      specifier,
      kind,
      to: specifier.startsWith('.') ? resolveSpecifier(root, from, specifier) : null,
    })),
  );
}

/** A set of files that import each other, directly or not, and one cycle through them. */
export interface ImportCycle {
  /** Every file of the strongly connected component, sorted. */
  readonly members: readonly string[];
  /** The shortest cycle from the first member back to it, e.g. `['a.ts', 'b.ts', 'a.ts']`. */
  readonly cycle: readonly string[];
}

/**
 * The cycles of a directed graph: one per strongly connected component with more than one file (or a file that
 * imports itself), with one shortest cycle through its first file in sort order. Sorted, so that the list is stable.
 */
export function findCycles(edges: readonly { readonly from: string; readonly to: string }[]): ImportCycle[] {
  const next = new Map<string, string[]>();
  for (const { from, to } of edges) {
    const list = next.get(from) ?? [];
    if (!list.includes(to)) list.push(to);
    next.set(from, list);
    if (!next.has(to)) next.set(to, []);
  }
  for (const list of next.values()) list.sort();
  const components = stronglyConnected([...next.keys()].sort(), next);
  const cycles: ImportCycle[] = [];
  for (const component of components) {
    const selfLoop = component.length === 1 && (next.get(component[0]!) ?? []).includes(component[0]!);
    if (component.length === 1 && !selfLoop) continue;
    const members = [...component].sort();
    cycles.push({ members, cycle: shortestCycle(members[0]!, next, new Set(members)) });
  }
  return cycles.sort((a, b) => a.members.join(' ').localeCompare(b.members.join(' ')));
}

/** Tarjan's algorithm, iterative (the graph is small, but recursion depth should not depend on it). */
function stronglyConnected(nodes: readonly string[], next: ReadonlyMap<string, readonly string[]>): string[][] {
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const out: string[][] = [];
  for (const root of nodes) {
    if (index.has(root)) continue;
    const work: { node: string; child: number }[] = [{ node: root, child: 0 }];
    index.set(root, counter);
    low.set(root, counter++);
    stack.push(root);
    onStack.add(root);
    while (work.length > 0) {
      const frame = work[work.length - 1]!;
      const children = next.get(frame.node) ?? [];
      if (frame.child < children.length) {
        const child = children[frame.child++]!;
        if (!index.has(child)) {
          index.set(child, counter);
          low.set(child, counter++);
          stack.push(child);
          onStack.add(child);
          work.push({ node: child, child: 0 });
        } else if (onStack.has(child)) {
          low.set(frame.node, Math.min(low.get(frame.node)!, index.get(child)!));
        }
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent !== undefined) low.set(parent.node, Math.min(low.get(parent.node)!, low.get(frame.node)!));
      if (low.get(frame.node) === index.get(frame.node)) {
        const component: string[] = [];
        let member: string;
        do {
          member = stack.pop()!;
          onStack.delete(member);
          component.push(member);
        } while (member !== frame.node);
        out.push(component.sort());
      }
    }
  }
  return out;
}

/** The shortest path from `start` back to itself inside a component (breadth first). */
function shortestCycle(
  start: string,
  next: ReadonlyMap<string, readonly string[]>,
  members: ReadonlySet<string>,
): string[] {
  const previous = new Map<string, string>();
  const queue = [start];
  for (let i = 0; i < queue.length; i++) {
    const node = queue[i]!;
    for (const child of next.get(node) ?? []) {
      if (!members.has(child)) continue;
      if (child === start) {
        const chain: string[] = [];
        for (let at = node; at !== start; at = previous.get(at)!) chain.push(at);
        return [start, ...chain.reverse(), start];
      }
      if (!previous.has(child)) {
        previous.set(child, node);
        queue.push(child);
      }
    }
  }
  return [start, start];
}

/**
 * The layer of a file under `src/`: its top-level directory (`src/checker/check.ts` -> `checker`), or its name
 * without the extension for a file directly in `src/` (`src/errors.ts` -> `errors.ts`).
 */
export function moduleOf(file: string): string {
  const parts = file.split('/');
  if (parts[0] !== 'src') return file;
  return parts[1]!;
}

/** An import whose target lies above its importer in `layers` (a list of groups, top first). */
export interface UpwardImport {
  readonly from: string;
  readonly to: string;
  readonly fromLayer: string;
  readonly toLayer: string;
}

/**
 * Every import from a lower layer to a higher one. `layers` lists groups of modules from the top down; modules in
 * one group may import each other. Throws for a file whose module is in no group: a new module must be placed.
 */
export function upwardImports(
  edges: readonly { readonly from: string; readonly to: string }[],
  layers: readonly (readonly string[])[],
): UpwardImport[] {
  const rank = new Map<string, number>();
  layers.forEach((group, i) => group.forEach((m) => rank.set(m, i)));
  const rankOf = (file: string): number => {
    const r = rank.get(moduleOf(file));
    if (r === undefined)
      throw new Error(`${file}: module "${moduleOf(file)}" is not in the layer list; place it there`);
    return r;
  };
  return edges
    .filter((e) => rankOf(e.from) > rankOf(e.to))
    .map((e) => ({ from: e.from, to: e.to, fromLayer: moduleOf(e.from), toLayer: moduleOf(e.to) }));
}
