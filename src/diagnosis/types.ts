// Types of the hint catalogue: definitions, findings, and the rules that produce them.

import type { CheckReport, Hint } from '../checker/types.js';
import type { Facts } from './facts.js';
import type { HintId } from './catalogue.js';

/** A check report before hints are added: what the rules read. */
export type DiagnosisInput = Omit<CheckReport, 'hints' | 'durationMs'>;

/** The fixed part of a hint: everything but the values seen. */
export interface HintDefinition {
  readonly severity: Hint['severity'];
  readonly area: Hint['area'];
  /** Short, the same for every occurrence. */
  readonly title: string;
  /** When the rule fires, in plain words (documentation; not shown with the hint). */
  readonly when: string;
}

/** What a rule found: the hint id with the concrete values seen and the concrete fix. */
export interface Finding {
  readonly id: HintId;
  /** What was seen, with the concrete values. */
  readonly detail: string;
  /** What to change, in plain words. */
  readonly fix: string;
}

/** A rule: a pure function from the facts of one check to what it finds (usually zero or one finding). */
export type Rule = (facts: Facts) => readonly Finding[];
