// The hint catalogue: rules over a check's results that say what is wrong and how to fix it.

import type { CheckReport, Hint } from '../checker/types.js';

/** A check report before hints are added: what the rules read. */
export type DiagnosisInput = Omit<CheckReport, 'hints' | 'durationMs'>;

/** Every hint whose rule fires for this report, most severe first. */
export function diagnose(_input: DiagnosisInput): Hint[] {
  return [];
}
