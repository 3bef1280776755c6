// SPOC email diverts: the service the tab, the bot and the API call (createDivertService), its job runner
// and the rule shapes. See docs/graph.md.
export { createDivertService } from "./service";
export type {
  ApplyDivertInput,
  DivertErrorCode,
  DivertResult,
  DivertService,
  DivertServiceDeps,
  DivertView,
  JobFailure,
  JobProgress,
  SkippedTarget,
} from "./service";
export { DivertRunner, type RunnerOptions } from "./runner";
export { DEFAULT_FOLDER_NAME, RULE_PREFIX, desiredRule, isCalmRule, ruleDrift, ruleNameFor } from "./rules";
