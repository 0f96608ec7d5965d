// Preloaded with `node --import` by the package tests: writes every module file the process loads (ES modules through a
// load hook, CommonJS ones from require.cache at exit, Node's public built-ins as `node:<name>`) to the file named by
// MD_RECORD_LOADS, one URL, path or built-in a line.

import { appendFileSync } from 'node:fs';
import { createRequire, register } from 'node:module';
import process from 'node:process';

const out = process.env.MD_RECORD_LOADS;
if (out) {
  // The hook runs on the loader's own thread and appends there: nothing to hand back to this thread.
  register('./record-loads-hook.mjs', import.meta.url, { data: { out } });
  process.on('exit', () => {
    const cjs = Object.keys(createRequire(import.meta.url).cache);
    // Node's own public modules that were loaded (`node:crypto`, ...), whichever way: an import, a require, a built-in.
    const builtins = process.moduleLoadList
      .filter((entry) => entry.startsWith('NativeModule ') && !entry.includes('internal/'))
      .map((entry) => `node:${entry.slice('NativeModule '.length)}`);
    appendFileSync(out, [...cjs, ...builtins].map((file) => `${file}\n`).join(''));
  });
}
