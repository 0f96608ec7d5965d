// The load hook of record-loads.mjs: appends the URL of every module loaded through the ES module loader.

import { appendFileSync } from 'node:fs';

let out;

/** Receives the output file from `register`. */
export function initialize(data) {
  out = data.out;
}

/** Records, then loads as usual. */
export async function load(url, context, nextLoad) {
  if (out && !url.startsWith('node:')) appendFileSync(out, `${url}\n`);
  return nextLoad(url, context);
}
