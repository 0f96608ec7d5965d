// Every hint of the catalogue has a lab scenario that triggers it: the CASES tables of the lab diagnosis tests, read statically.

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { HINT_IDS } from '../../src/diagnosis/index.js';

const HERE = new URL('.', import.meta.url).pathname;

/**
 * Hints no lab can trigger, with the test that proves it. `client-problem` stands for a client document problem
 * code the catalogue does not map yet; while every code maps to a hint of its own (diagnose.test.ts, "fallback
 * hints", checked against the complete list of codes by the compiler), nothing can produce it.
 */
const UNREACHABLE: ReadonlyMap<string, string> = new Map([
  ['client-problem', 'diagnose.test.ts > fallback hints > client-problem is unreachable'],
]);

/** The `[hint id, trigger, silent]` rows of every `CASES` table of the lab diagnosis tests, by file. */
function labCases(): { file: string; id: string; trigger: string; silent: string }[] {
  const rows: { file: string; id: string; trigger: string; silent: string }[] = [];
  for (const file of readdirSync(HERE).filter((f) => f.endsWith('lab.test.ts'))) {
    const source = ts.createSourceFile(file, readFileSync(join(HERE, file), 'utf8'), ts.ScriptTarget.Latest, true);
    const visit = (node: ts.Node): void => {
      if (
        ts.isVariableDeclaration(node) &&
        ts.isIdentifier(node.name) &&
        node.name.text === 'CASES' &&
        node.initializer !== undefined &&
        ts.isArrayLiteralExpression(node.initializer)
      ) {
        for (const row of node.initializer.elements) {
          if (!ts.isArrayLiteralExpression(row)) continue;
          const [id, trigger, silent] = row.elements.map((e) => (ts.isStringLiteralLike(e) ? e.text : ''));
          rows.push({ file, id: id ?? '', trigger: trigger ?? '', silent: silent ?? '' });
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  return rows;
}

describe('the catalogue and the lab scenarios', () => {
  const rows = labCases();

  it('reads the CASES tables of the lab tests', () => {
    const files = new Set(rows.map((r) => r.file));
    expect(files).toContain('diagnose-lab.test.ts');
    expect(rows.length).toBeGreaterThan(50);
  });

  it('every hint id of the catalogue has a lab scenario that triggers it and one that stays silent', () => {
    const cased = new Set(rows.filter((r) => r.trigger !== '' && r.silent !== '').map((r) => r.id));
    const missing = HINT_IDS.filter((id) => !cased.has(id) && !UNREACHABLE.has(id));
    expect(missing).toEqual([]);
  });

  it('every case names a hint of the catalogue, and no unreachable hint has a case', () => {
    const known = new Set<string>(HINT_IDS);
    expect(rows.filter((r) => !known.has(r.id)).map((r) => `${r.file}: ${r.id}`)).toEqual([]);
    expect(rows.filter((r) => UNREACHABLE.has(r.id)).map((r) => r.id)).toEqual([]);
    for (const id of UNREACHABLE.keys()) expect(known.has(id), id).toBe(true);
  });
});
