import assert from "node:assert/strict";
import {
  BANK_HOLIDAY_FIRST_YEAR,
  BANK_HOLIDAY_LAST_YEAR,
  CalendarRangeError,
  ENGLAND_AND_WALES_BANK_HOLIDAYS,
  InvalidDateError,
  addCalendarMonths,
  addDays,
  addPeriod,
  addWorkingDays,
  dayOfWeek,
  isBankHoliday,
  isIsoDate,
  isWorkingDay,
} from "../../../core/src/index";

describe("calendar: England and Wales bank holidays", () => {
  it("ships every year from 2020 to 2031 inclusive", () => {
    assert.equal(BANK_HOLIDAY_FIRST_YEAR, 2020);
    assert.equal(BANK_HOLIDAY_LAST_YEAR, 2031);
    for (let year = 2020; year <= 2031; year++) {
      const days = ENGLAND_AND_WALES_BANK_HOLIDAYS[year];
      assert.ok(days && days.length >= 8, `${year} has at least the eight usual holidays`);
      for (const d of days) assert.ok(d.startsWith(`${year}-`) && isIsoDate(d), `${d} is a real date in ${year}`);
    }
  });

  it("puts every holiday on a weekday (weekend holidays are replaced by substitute days)", () => {
    for (const d of Object.values(ENGLAND_AND_WALES_BANK_HOLIDAYS).flat()) {
      assert.ok(dayOfWeek(d) >= 1 && dayOfWeek(d) <= 5, `${d} is a weekday`);
    }
  });

  it("includes the one-off holidays: Platinum Jubilee, state funeral, coronation, VE Day", () => {
    for (const d of ["2022-06-02", "2022-06-03", "2022-09-19", "2023-05-08", "2020-05-08"]) assert.ok(isBankHoliday(d), d);
    assert.equal(isBankHoliday("2020-05-04"), false, "the 2020 early May holiday moved to VE Day");
    assert.equal(isBankHoliday("2022-05-30"), false, "the 2022 spring holiday moved to 2 June");
  });

  it("includes substitute days for Christmas, Boxing Day and New Year", () => {
    for (const d of ["2020-12-28", "2021-12-27", "2021-12-28", "2022-01-03", "2022-12-27", "2023-01-02", "2026-12-28", "2027-12-27", "2027-12-28", "2028-01-03"]) {
      assert.ok(isBankHoliday(d), d);
    }
    assert.equal(isBankHoliday("2026-12-26"), false, "Boxing Day 2026 is a Saturday; the holiday is the Monday");
  });

  it("knows Good Friday and Easter Monday", () => {
    for (const d of ["2024-03-29", "2024-04-01", "2025-04-18", "2025-04-21", "2026-04-03", "2026-04-06", "2031-04-11", "2031-04-14"]) {
      assert.ok(isBankHoliday(d), d);
    }
  });

  it("refuses to guess outside the shipped years", () => {
    assert.throws(() => isBankHoliday("2019-12-25"), CalendarRangeError);
    assert.throws(() => isBankHoliday("2032-01-01"), (e: unknown) => e instanceof CalendarRangeError && e.code === "DATE_OUTSIDE_CALENDAR" && /gov\.uk\/bank-holidays/.test(e.message));
  });
});

describe("calendar: dates", () => {
  it("accepts only real YYYY-MM-DD dates", () => {
    for (const good of ["2026-01-31", "2024-02-29", "2000-02-29"]) assert.ok(isIsoDate(good), good);
    for (const bad of ["2026-02-30", "2025-02-29", "1900-02-29", "2026-13-01", "2026-00-10", "2026-1-5", "26-01-05", "2026-01-05T00:00:00Z", "", 20260105, null]) {
      assert.equal(isIsoDate(bad), false, String(bad));
    }
    assert.throws(() => addDays("2026-02-30", 1), InvalidDateError);
  });

  it("adds days across month, year and leap-day boundaries", () => {
    assert.equal(addDays("2024-02-28", 1), "2024-02-29");
    assert.equal(addDays("2023-02-28", 1), "2023-03-01");
    assert.equal(addDays("2026-12-31", 1), "2027-01-01");
    assert.equal(addDays("2026-03-01", -1), "2026-02-28");
    assert.equal(addDays("2026-01-01", 42), "2026-02-12");
  });

  it("adds calendar months, clamped at month end (31 Jan + 1 month = 28/29 Feb)", () => {
    assert.equal(addCalendarMonths("2026-01-31", 1), "2026-02-28");
    assert.equal(addCalendarMonths("2028-01-31", 1), "2028-02-29", "2028 is a leap year");
    assert.equal(addCalendarMonths("2026-03-31", 1), "2026-04-30");
    assert.equal(addCalendarMonths("2026-08-31", 6), "2027-02-28");
    assert.equal(addCalendarMonths("2026-12-15", 1), "2027-01-15");
    assert.equal(addCalendarMonths("2026-03-31", -1), "2026-02-28");
    assert.equal(addCalendarMonths("2026-05-15", 0), "2026-05-15");
  });

  it("handles leap years: 29 February + 12 months = 28 February; century rule", () => {
    assert.equal(addCalendarMonths("2024-02-29", 12), "2025-02-28");
    assert.equal(addCalendarMonths("2024-02-29", 48), "2028-02-29");
    assert.equal(addPeriod("2024-02-29", { count: 1, unit: "years" }), "2025-02-28");
    assert.equal(addCalendarMonths("2100-01-31", 1), "2100-02-28", "2100 is not a leap year");
    assert.equal(addCalendarMonths("2000-01-31", 1), "2000-02-29", "2000 is a leap year");
  });

  it("knows the day of the week", () => {
    assert.equal(dayOfWeek("1970-01-01"), 4);
    assert.equal(dayOfWeek("2026-12-25"), 5);
    assert.equal(dayOfWeek("2021-12-25"), 6);
    assert.equal(dayOfWeek("1969-12-31"), 3);
  });
});

describe("calendar: working days", () => {
  it("never counts the start day, weekends or bank holidays", () => {
    assert.equal(addWorkingDays("2026-06-05", 1), "2026-06-08", "Friday + 1 working day = Monday");
    assert.equal(addWorkingDays("2026-06-06", 1), "2026-06-08", "from a Saturday");
    assert.equal(addWorkingDays("2026-06-08", 0), "2026-06-08");
    assert.equal(isWorkingDay("2026-12-28"), false);
  });

  it("crosses Christmas and a substitute Boxing Day (2026: 25 Fri, 28 Mon substitute)", () => {
    assert.equal(addWorkingDays("2026-12-23", 3), "2026-12-30");
  });

  it("crosses Christmas with both substitute days (2021: 27 and 28 December)", () => {
    assert.equal(addWorkingDays("2021-12-24", 1), "2021-12-29");
  });

  it("crosses Christmas and the New Year substitute (2027-28)", () => {
    assert.equal(addWorkingDays("2027-12-10", 28), "2028-01-24");
  });

  it("crosses Easter: Good Friday and Easter Monday (2026)", () => {
    assert.equal(addWorkingDays("2026-04-02", 1), "2026-04-07");
    assert.equal(addWorkingDays("2026-03-20", 28), "2026-05-01");
  });

  it("crosses the one-off holidays (Jubilee, state funeral, coronation)", () => {
    assert.equal(addWorkingDays("2022-06-01", 1), "2022-06-06");
    assert.equal(addWorkingDays("2022-09-16", 1), "2022-09-20");
    assert.equal(addWorkingDays("2023-05-05", 1), "2023-05-09");
  });

  it("throws a clear error when the sum runs past the shipped data", () => {
    assert.throws(() => addWorkingDays("2031-12-19", 28), CalendarRangeError);
    assert.throws(() => addWorkingDays("2019-06-03", 1), CalendarRangeError);
    assert.throws(() => addWorkingDays("2035-01-01", 0), CalendarRangeError);
    assert.throws(() => addWorkingDays("2026-01-01", -1), RangeError);
  });

  it("adds policy periods", () => {
    assert.equal(addPeriod("2026-12-18", { count: 28, unit: "working-days" }), "2027-02-01");
    assert.equal(addPeriod("2026-02-10", { count: 6, unit: "weeks" }), "2026-03-24");
    assert.equal(addPeriod("2026-01-31", { count: 4, unit: "years" }), "2030-01-31");
    assert.equal(addPeriod("2026-01-31", { count: 10, unit: "days" }), "2026-02-10");
  });
});
