// Shared by the language tests: the built command line (dist/cli/main.js) run as a child, in a chosen environment.

import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** The executable under test, built by `npm run build`. */
export const BUILT_MAIN = join(ROOT, 'dist', 'cli', 'main.js');

/** What one run printed and its exit code. */
export interface BuiltRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * The environment of a child: this process's, without any language variable (so that the test, not the machine,
 * decides the language), then `env`.
 */
export function childEnv(env: Record<string, string> = {}): Record<string, string> {
  const base: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (value === undefined || key === 'LANG' || key === 'LANGUAGE' || key.startsWith('LC_')) continue;
    base[key] = value;
  }
  return { ...base, NO_COLOR: '1', ...env };
}

/** Runs `node dist/cli/main.js ...args` with {@link childEnv}`(env)`; resolves with the exit code whatever it is. */
export function runBuilt(args: readonly string[], env: Record<string, string> = {}): Promise<BuiltRun> {
  if (!existsSync(BUILT_MAIN)) throw new Error(`${BUILT_MAIN} is missing: run npm run build first`);
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [BUILT_MAIN, ...args],
      { cwd: ROOT, timeout: 60_000, env: childEnv(env), maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        if (error && typeof error.code !== 'number') {
          reject(new Error(`spawn failed (${String(error.code ?? error.signal)}): ${stderr}`));
          return;
        }
        resolve({ code: error ? (error.code as number) : 0, stdout, stderr });
      },
    );
  });
}
