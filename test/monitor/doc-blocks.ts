// Test helper: the fenced code blocks of a Markdown page (docs/monitor.md), to run what the page shows.

import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** One fenced block: its info string's language, its text, and the line of its opening fence (1-based). */
export interface FencedBlock {
  readonly language: string;
  readonly text: string;
  readonly line: number;
}

/** The text of a page of `docs/` (`monitor.md`). */
export function readDoc(name: string): string {
  return readFileSync(fileURLToPath(new URL(`../../docs/${name}`, import.meta.url)), 'utf8');
}

/** Every fenced block (three backticks) of `markdown`, in order. */
export function fencedBlocks(markdown: string): FencedBlock[] {
  const blocks: FencedBlock[] = [];
  const lines = markdown.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const open = /^```(\S*)/.exec(lines[i]!);
    if (open === null) continue;
    const start = i;
    const body: string[] = [];
    for (i++; i < lines.length && !lines[i]!.startsWith('```'); i++) body.push(lines[i]!);
    blocks.push({ language: open[1] ?? '', text: `${body.join('\n')}\n`, line: start + 1 });
  }
  return blocks;
}
