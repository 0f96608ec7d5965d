// Types of the hint catalogue: what the rules read, and a hint's fixed definition.

import type { CheckReport, HintArea, HintSeverity } from '../check-report/index.js';

/** A check report before hints are added: what the rules read. */
export type DiagnosisInput = Omit<CheckReport, 'hints' | 'durationMs'>;

/** The fixed part of a hint: everything but the values seen. */
export interface HintDefinition {
  readonly severity: HintSeverity;
  readonly area: HintArea;
  /** Short, the same for every occurrence. */
  readonly title: string;
  /** When the rule fires, in plain words (documentation; not shown with the hint). */
  readonly when: string;
}
