// Calendar arithmetic on `YYYY-MM-DD` dates, done on whole day numbers so no clock, time zone or daylight
// saving change can move a deadline. Every policy deadline (expiry, review, appeal window, appeal decision)
// is computed here.

import type { IsoDate } from "../domain";
import { BANK_HOLIDAY_FIRST_YEAR, BANK_HOLIDAY_LAST_YEAR, isListedBankHoliday } from "./bankHolidays";

/** A date that is not a real `YYYY-MM-DD` calendar date (e.g. `2026-02-30`, `26-1-5`). */
export class InvalidDateError extends Error {
  readonly code = "INVALID_DATE";
  constructor(readonly input: unknown) {
    super(`${JSON.stringify(input)} is not a real date. Write it as YYYY-MM-DD, for example 2026-03-31.`);
    this.name = "InvalidDateError";
  }
}

/** A working-day sum needed a bank holiday list CALM does not ship. Guessing would risk a wrong deadline. */
export class CalendarRangeError extends Error {
  readonly code = "DATE_OUTSIDE_CALENDAR";
  constructor(readonly date: IsoDate) {
    super(
      `${date} is outside the bank holiday data CALM ships (${BANK_HOLIDAY_FIRST_YEAR}-01-01 to ${BANK_HOLIDAY_LAST_YEAR}-12-31), ` +
        "so a working-day deadline cannot be worked out. Add the missing years to core/src/calendar/bankHolidays.ts " +
        "from https://www.gov.uk/bank-holidays and try again.",
    );
    this.name = "CalendarRangeError";
  }
}

export const PERIOD_UNITS = ["days", "working-days", "weeks", "months", "years"] as const;
export type PeriodUnit = (typeof PERIOD_UNITS)[number];

/** A length of time as a policy states it: "28 working days", "one calendar month", "6 weeks", "4 years". */
export interface Period {
  count: number;
  unit: PeriodUnit;
}

interface Ymd {
  year: number;
  month: number;
  day: number;
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

export function daysInMonth(year: number, month: number): number {
  const lengths = [31, isLeapYear(year) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
  return lengths[month - 1] ?? 0;
}

function tryParse(input: unknown): Ymd | undefined {
  if (typeof input !== "string") return undefined;
  const match = ISO_DATE.exec(input);
  if (!match) return undefined;
  const year = Number(match[1]);
  const month = Number(match[2]);
  const day = Number(match[3]);
  if (year < 1 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  return { year, month, day };
}

/** Whether the input is a real calendar date written `YYYY-MM-DD`. `2026-02-30` is not. */
export function isIsoDate(input: unknown): boolean {
  return tryParse(input) !== undefined;
}

/** Checks a date and returns it unchanged; throws InvalidDateError for anything else. */
export function assertIsoDate(input: unknown): IsoDate {
  if (!isIsoDate(input)) throw new InvalidDateError(input);
  return input as IsoDate;
}

function parse(input: IsoDate): Ymd {
  const ymd = tryParse(input);
  if (!ymd) throw new InvalidDateError(input);
  return ymd;
}

function format({ year, month, day }: Ymd): IsoDate {
  return `${String(year).padStart(4, "0")}-${String(month).padStart(2, "0")}-${String(day).padStart(2, "0")}`;
}

// Days since 1970-01-01 and back, for the proleptic Gregorian calendar (H. Hinnant's civil-date algorithm).
function toDayNumber({ year, month, day }: Ymd): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146097 + dayOfEra - 719468;
}

function fromDayNumber(dayNumber: number): Ymd {
  const z = dayNumber + 719468;
  const era = Math.floor(z / 146097);
  const dayOfEra = z - era * 146097;
  const yearOfEra = Math.floor((dayOfEra - Math.floor(dayOfEra / 1460) + Math.floor(dayOfEra / 36524) - Math.floor(dayOfEra / 146096)) / 365);
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const mp = Math.floor((5 * dayOfYear + 2) / 153);
  const day = dayOfYear - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  return { year: yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day };
}

function assertWholeNumber(n: number, what: string): void {
  if (!Number.isInteger(n)) throw new RangeError(`${what} must be a whole number (got ${n}).`);
}

/** `2026-01-30` + 3 days = `2026-02-02`. Negative `days` go back. */
export function addDays(date: IsoDate, days: number): IsoDate {
  assertWholeNumber(days, "The number of days");
  return format(fromDayNumber(toDayNumber(parse(date)) + days));
}

/** Calendar months, clamped at the end of a shorter month: 31 January + 1 month = 28 February (29 in a leap
 * year); 31 March + 1 month = 30 April. */
export function addCalendarMonths(date: IsoDate, months: number): IsoDate {
  assertWholeNumber(months, "The number of months");
  const { year, month, day } = parse(date);
  const zeroBased = year * 12 + (month - 1) + months;
  const newYear = Math.floor(zeroBased / 12);
  const newMonth = zeroBased - newYear * 12 + 1;
  return format({ year: newYear, month: newMonth, day: Math.min(day, daysInMonth(newYear, newMonth)) });
}

/** 0 = Sunday … 6 = Saturday. */
export function dayOfWeek(date: IsoDate): number {
  return (((toDayNumber(parse(date)) + 4) % 7) + 7) % 7; // 1970-01-01 was a Thursday.
}

export function isWeekend(date: IsoDate): boolean {
  const d = dayOfWeek(date);
  return d === 0 || d === 6;
}

/** Whether the date is an England and Wales bank holiday. Throws CalendarRangeError outside the shipped years. */
export function isBankHoliday(date: IsoDate): boolean {
  const { year } = parse(date);
  if (year < BANK_HOLIDAY_FIRST_YEAR || year > BANK_HOLIDAY_LAST_YEAR) throw new CalendarRangeError(date);
  return isListedBankHoliday(date);
}

/** Monday to Friday and not a bank holiday in England and Wales. */
export function isWorkingDay(date: IsoDate): boolean {
  return !isWeekend(date) && !isBankHoliday(date);
}

/** The `n`th working day after `date` (the start day itself never counts): "within 28 working days of the
 * notification" (Dorset 6.1) ends on `addWorkingDays(notified, 28)`. */
export function addWorkingDays(date: IsoDate, workingDays: number): IsoDate {
  assertWholeNumber(workingDays, "The number of working days");
  if (workingDays < 0) throw new RangeError(`The number of working days must not be negative (got ${workingDays}).`);
  let current = assertIsoDate(date);
  if (workingDays === 0) {
    isBankHoliday(current); // still refuse a date outside the shipped data
    return current;
  }
  let counted = 0;
  while (counted < workingDays) {
    current = addDays(current, 1);
    if (isWorkingDay(current)) counted++;
  }
  return current;
}

/** Adds a policy period to a date. Months and years are calendar months, clamped at month end. */
export function addPeriod(date: IsoDate, period: Period): IsoDate {
  switch (period.unit) {
    case "days":
      return addDays(date, period.count);
    case "working-days":
      return addWorkingDays(date, period.count);
    case "weeks":
      return addDays(date, period.count * 7);
    case "months":
      return addCalendarMonths(date, period.count);
    case "years":
      return addCalendarMonths(date, period.count * 12);
  }
}

/** Negative if `a` is before `b`, 0 if equal, positive if after. Both must be real dates. */
export function compareIsoDates(a: IsoDate, b: IsoDate): number {
  return toDayNumber(parse(a)) - toDayNumber(parse(b));
}

export function earlierOf(a: IsoDate, b: IsoDate): IsoDate {
  return compareIsoDates(a, b) <= 0 ? a : b;
}

export function laterOf(a: IsoDate, b: IsoDate): IsoDate {
  return compareIsoDates(a, b) >= 0 ? a : b;
}

/** "28 working days", "1 month", "6 weeks": for messages and the plain-language description. */
export function describePeriod(period: Period): string {
  const unit = period.unit === "working-days" ? "working day" : period.unit.slice(0, -1);
  return `${period.count} ${unit}${period.count === 1 ? "" : "s"}`;
}
