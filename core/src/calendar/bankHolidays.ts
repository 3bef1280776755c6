// Bank holidays in England and Wales, as data. Working-day deadlines (Dorset 6.1: an appeal within 28 working
// days) skip these and weekends. The list is shipped, not computed at run time, because the one-off holidays
// (the 2022 Platinum Jubilee, the 2022 state funeral, the 2023 coronation) and moved holidays (VE Day 2020)
// cannot be derived from a rule. Source: https://www.gov.uk/bank-holidays. Years gov.uk had not yet published
// when this was written follow the standing rules (substitute days on the next weekday); check them against
// gov.uk each year and extend the range before 2031 runs out.

import type { IsoDate } from "../domain";

export const BANK_HOLIDAY_FIRST_YEAR = 2020;
export const BANK_HOLIDAY_LAST_YEAR = 2031;

/** Every England and Wales bank holiday from 2020 to 2031 inclusive, by year. */
export const ENGLAND_AND_WALES_BANK_HOLIDAYS: Readonly<Record<number, readonly IsoDate[]>> = {
  // Early May moved to Friday 8 May for the 75th anniversary of VE Day; Boxing Day on a Saturday: substitute Monday 28th.
  2020: ["2020-01-01", "2020-04-10", "2020-04-13", "2020-05-08", "2020-05-25", "2020-08-31", "2020-12-25", "2020-12-28"],
  // Christmas Day and Boxing Day on a weekend: substitutes Monday 27th and Tuesday 28th.
  2021: ["2021-01-01", "2021-04-02", "2021-04-05", "2021-05-03", "2021-05-31", "2021-08-30", "2021-12-27", "2021-12-28"],
  // New Year's Day on a Saturday: substitute 3 January. Spring bank holiday moved to Thursday 2 June, with
  // Friday 3 June for the Platinum Jubilee; Monday 19 September for the state funeral of Queen Elizabeth II;
  // Christmas Day on a Sunday: substitute Tuesday 27th.
  2022: [
    "2022-01-03", "2022-04-15", "2022-04-18", "2022-05-02", "2022-06-02", "2022-06-03", "2022-08-29",
    "2022-09-19", "2022-12-26", "2022-12-27",
  ],
  // New Year's Day on a Sunday: substitute 2 January. Monday 8 May for the coronation of King Charles III.
  2023: [
    "2023-01-02", "2023-04-07", "2023-04-10", "2023-05-01", "2023-05-08", "2023-05-29", "2023-08-28",
    "2023-12-25", "2023-12-26",
  ],
  2024: ["2024-01-01", "2024-03-29", "2024-04-01", "2024-05-06", "2024-05-27", "2024-08-26", "2024-12-25", "2024-12-26"],
  2025: ["2025-01-01", "2025-04-18", "2025-04-21", "2025-05-05", "2025-05-26", "2025-08-25", "2025-12-25", "2025-12-26"],
  // Boxing Day on a Saturday: substitute Monday 28th.
  2026: ["2026-01-01", "2026-04-03", "2026-04-06", "2026-05-04", "2026-05-25", "2026-08-31", "2026-12-25", "2026-12-28"],
  // Christmas Day and Boxing Day on a weekend: substitutes Monday 27th and Tuesday 28th.
  2027: ["2027-01-01", "2027-03-26", "2027-03-29", "2027-05-03", "2027-05-31", "2027-08-30", "2027-12-27", "2027-12-28"],
  // New Year's Day on a Saturday: substitute 3 January.
  2028: ["2028-01-03", "2028-04-14", "2028-04-17", "2028-05-01", "2028-05-29", "2028-08-28", "2028-12-25", "2028-12-26"],
  2029: ["2029-01-01", "2029-03-30", "2029-04-02", "2029-05-07", "2029-05-28", "2029-08-27", "2029-12-25", "2029-12-26"],
  2030: ["2030-01-01", "2030-04-19", "2030-04-22", "2030-05-06", "2030-05-27", "2030-08-26", "2030-12-25", "2030-12-26"],
  2031: ["2031-01-01", "2031-04-11", "2031-04-14", "2031-05-05", "2031-05-26", "2031-08-25", "2031-12-25", "2031-12-26"],
};

const HOLIDAY_SET: ReadonlySet<IsoDate> = new Set(Object.values(ENGLAND_AND_WALES_BANK_HOLIDAYS).flat());

/** Whether a date (already checked to be inside the shipped range) is a bank holiday. */
export function isListedBankHoliday(date: IsoDate): boolean {
  return HOLIDAY_SET.has(date);
}
