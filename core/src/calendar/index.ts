export * from "./bankHolidays";
export * from "./dates";
