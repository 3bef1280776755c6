// Dates and times in GOV.UK style, in the council's time (England and Wales), whatever the machine's zone.
const MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];

function londonParts(iso: string): { year: number; month: number; day: number; hour: number; minute: number } | undefined {
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) return undefined;
  const parts = new Intl.DateTimeFormat("en-GB", { timeZone: "Europe/London", year: "numeric", month: "numeric", day: "numeric", hour: "numeric", minute: "numeric", hourCycle: "h23" })
    .formatToParts(at)
    .reduce<Record<string, number>>((acc, p) => (p.type === "literal" ? acc : { ...acc, [p.type]: Number(p.value) }), {});
  return { year: parts.year!, month: parts.month!, day: parts.day!, hour: parts.hour!, minute: parts.minute! };
}

/** `2026-11-23T09:30:00Z` → `23 November 2026 at 9:30am`. */
export function formatDateTime(iso: string): string {
  const p = londonParts(iso);
  if (!p) return iso;
  const h12 = p.hour % 12 === 0 ? 12 : p.hour % 12;
  const time = `${h12}${p.minute ? `:${String(p.minute).padStart(2, "0")}` : ""}${p.hour < 12 ? "am" : "pm"}`;
  return `${p.day} ${MONTHS[p.month - 1]} ${p.year} at ${time}`;
}
