// Every note the code cites is in the repository: "ground-truth §N" names a section of docs/ground-truth.md.

import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

function filesUnder(dir: string): string[] {
  return readdirSync(join(ROOT, dir)).flatMap((name) => {
    const path = join(dir, name);
    return statSync(join(ROOT, path)).isDirectory() ? filesUnder(path) : /\.(ts|js|mjs)$/.test(name) ? [path] : [];
  });
}

const SOURCES = ['src', 'test', 'bench', 'soak', 'support'].flatMap(filesUnder);

describe('citations of notes', () => {
  const sections = new Set(
    [...readFileSync(join(ROOT, 'docs/ground-truth.md'), 'utf8').matchAll(/^## (\d+)\. /gm)].map((m) => m[1]),
  );

  it('docs/ground-truth.md has its numbered sections', () => {
    expect([...sections]).toEqual(['1', '2', '3', '4', '5']);
  });

  it('every "ground-truth §N" in the code names one of them', () => {
    const dangling: string[] = [];
    for (const file of SOURCES) {
      const text = readFileSync(join(ROOT, file), 'utf8');
      for (const match of text.matchAll(/ground-truth §(\d+)/g)) {
        if (!sections.has(match[1]!)) dangling.push(`${file}: §${match[1]}`);
      }
    }
    expect(dangling).toEqual([]);
  });

  it('nothing cites notes that are not in the repository', () => {
    const outside = SOURCES.filter((file) => /spec-notes/.test(readFileSync(join(ROOT, file), 'utf8')));
    // This file names them in its own pattern only.
    expect(outside.filter((file) => !file.endsWith('citations.test.ts'))).toEqual([]);
  });
});
