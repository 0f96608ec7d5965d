// A hint of a check report: what is wrong (or worth knowing), and how to fix it; the order hints are shown in.

/** How much a hint matters: `error` breaks federation (or clients), `warning` is fragile or against the spec, `info` is a fact. */
export type HintSeverity = 'error' | 'warning' | 'info';

/** Which verdict a hint is about. */
export type HintArea = 'federation' | 'client' | 'support';

/** A hint: what is wrong (or worth knowing), and how to fix it. See `src/diagnosis/`. */
export interface Hint {
  /** Stable id, e.g. `well-known-m-server-has-scheme`. */
  readonly id: string;
  readonly severity: HintSeverity;
  /** Which verdict it is about. */
  readonly area: HintArea;
  readonly title: string;
  /** What was seen, with the concrete values. */
  readonly detail: string;
  /** What to change, in plain words. */
  readonly fix: string;
}

/** Severities, most severe first: the order hints are sorted and shown in. */
export const HINT_SEVERITY_ORDER: Readonly<Record<HintSeverity, number>> = Object.freeze({
  error: 0,
  warning: 1,
  info: 2,
});

/** Areas in the order hints are grouped in: federation, then client discovery, then support contacts. */
export const HINT_AREAS: readonly HintArea[] = Object.freeze(['federation', 'client', 'support'] as const);
