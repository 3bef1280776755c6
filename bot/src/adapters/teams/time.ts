// Dates and times typed into a card are the council's local time (England and Wales). Turn them into instants
// and back without a time-zone library: Intl knows Europe/London's offsets (GMT/BST).
const LONDON = new Intl.DateTimeFormat("en-GB", { timeZone: "Europe/London", hourCycle: "h23", year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", second: "2-digit" });

/** Minutes Europe/London is ahead of UTC at this instant (0 or 60). */
function londonOffsetMinutes(ms: number): number {
  const parts = Object.fromEntries(LONDON.formatToParts(new Date(ms)).map((p) => [p.type, p.value]));
  const asUtc = Date.UTC(Number(parts.year), Number(parts.month) - 1, Number(parts.day), Number(parts.hour), Number(parts.minute), Number(parts.second));
  return Math.round((asUtc - Math.floor(ms / 1000) * 1000) / 60_000);
}

/** `2026-07-01` + `09:30` in London → `2026-07-01T08:30:00.000Z`. Undefined if either is not a real value. */
export function londonToInstant(date: string | undefined, time: string | undefined): string | undefined {
  if (!date || !/^\d{4}-\d{2}-\d{2}$/.test(date)) return undefined;
  const t = time && /^\d{2}:\d{2}(:\d{2})?$/.test(time) ? time.slice(0, 5) : "12:00";
  const naive = Date.parse(`${date}T${t}:00Z`);
  if (Number.isNaN(naive) || new Date(naive).toISOString().slice(0, 10) !== date) return undefined;
  // The offset at the naive instant is right except within an hour of a clock change; check once more.
  let ms = naive - londonOffsetMinutes(naive) * 60_000;
  ms = naive - londonOffsetMinutes(ms) * 60_000;
  return new Date(ms).toISOString();
}

/** The London date of an instant, `YYYY-MM-DD`. */
export function londonDate(at: Date): string {
  const parts = Object.fromEntries(LONDON.formatToParts(at).map((p) => [p.type, p.value]));
  return `${parts.year}-${parts.month}-${parts.day}`;
}

const DISPLAY = new Intl.DateTimeFormat("en-GB", { timeZone: "Europe/London", day: "numeric", month: "long", year: "numeric", hour: "2-digit", minute: "2-digit", hourCycle: "h23" });

/** An instant as people in the council read it: `23 November 2026, 09:30` (London time). */
export function londonDisplay(iso: string): string {
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? iso : DISPLAY.format(new Date(ms)).replace(" at ", ", ");
}
