export * from "./schema";
export * from "./validate";
export * from "./sources";
export { valueAtPath, pathExists } from "./paths";
export * from "./presets";
export * from "./describe";
export * from "./fields";
