/** The matching engine: pure functions from facts to ranked candidates and batch plans. */
export { type AssignOptions, type AssignStats, assignBatch, type BatchPlan } from "./assign";
export { exclusionOrder, type RankOptions, type RankResult, rankCandidates } from "./candidates";
export { greedyBaseline } from "./greedy";
export { type FlowMode, type FlowResult, MinCostFlow } from "./min-cost-flow";
export type { BatchOptions } from "./run";
export * from "./score";
export type * from "./types";
export { validatePlan } from "./validate";
export { scoreParts, scoreWeights } from "./weights";
