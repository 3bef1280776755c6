// The policy core: domain types, identifier normalising, the calendar, policy profiles and their presets,
// and the rules. Pure: imported by bot/, tab/ and addin/ alike.
export * from "./domain";
export * from "./normalise";
export * from "./calendar";
export * from "./policy";
export * from "./rules";
