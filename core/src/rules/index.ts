export * from "./dates";
export * from "./voting";
export * from "./emergency";
export * from "./warnings";
export * from "./access";
export * from "./letters";
export * from "./restrictions";
export * from "./appeals";
