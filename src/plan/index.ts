// Delegation planning: decide whether and how a server name delegates, and print what to deploy where.

export { buildPlan, createPlan, PLAN_CONFIG_FILE } from './build.js';
export { decideDelegation, parseHomeserver, parsePlanServerName } from './decide.js';
export { probeDirectFederation } from './probe.js';
export { probeSummary } from './probe-summary.js';
export type { DirectProbeOptions } from './probe.js';
export { planJson, renderPlanText } from './render.js';
export type { PlanTextOptions } from './render.js';
export { DELEGATION_METHODS } from './types.js';
export type {
  DelegationMethod,
  DelegationVerdict,
  DirectProbe,
  DirectProbeAddress,
  HomeserverAddress,
  Plan,
  PlanDecision,
  PlanRequest,
} from './types.js';
