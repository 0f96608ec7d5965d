// A rule of the hint catalogue and what it finds: a hint id of the catalogue with the concrete values seen.

import type { HintId } from './catalogue.js';
import type { Facts } from './facts.js';

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
