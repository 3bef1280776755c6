// One template per letter type (warning, restriction, legal letter with cease and desist, review outcome, appeal
// outcome, divert notice), worded from the policy in force: the council, its register and decision body, who
// decides appeals and within what window, who reviews and how often. Each part the policies can require
// (core LETTER_PARTS) has a composer that writes it from the record, or gives nothing when the record cannot
// support it — so the letter service can refuse a letter that lacks a part its policy requires. Staff's own words
// for a part replace a part CALM cannot write, or follow the part it wrote.
//
// Plain English, GOV.UK style (EXPERIENCE.md): short sentences, say what to do, describe behaviour not character.
import type { IncidentCategory, IsoDate, LetterType, Restriction, RestrictionKind } from "../../../../core/src/domain";
import type { LetterContext, LetterDraft, LetterSection } from "../../ports/lifecycle";

const MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];

/** `2027-03-03` → `3 March 2027`. */
export function longDate(date: IsoDate): string {
  const [y, m, d] = date.slice(0, 10).split("-").map(Number) as [number, number, number];
  return `${d} ${MONTHS[m - 1] ?? ""} ${y}`;
}

function timeOf(instant: string): string {
  return new Intl.DateTimeFormat("en-GB", { timeZone: "Europe/London", hour: "2-digit", minute: "2-digit" }).format(new Date(instant));
}

function dateOf(instant: string): IsoDate {
  return new Intl.DateTimeFormat("en-CA", { timeZone: "Europe/London", year: "numeric", month: "2-digit", day: "2-digit" }).format(new Date(instant));
}

const cap = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

function listWords(items: string[], joiner = "and"): string {
  if (items.length <= 1) return items.join("");
  return `${items.slice(0, -1).join(", ")} ${joiner} ${items[items.length - 1]}`;
}

/** The behaviour, described as behaviour (EXPERIENCE.md "Voice"). */
const BEHAVIOUR: Record<IncidentCategory, string> = {
  "warning-letter": "behaviour we have already written to you about",
  "unreasonably-persistent-contact": "contacting us so often, or about the same matter, that it takes staff away from other customers",
  "ongoing-personal-circumstances": "behaviour linked to your circumstances that has put staff at risk",
  "verbal-abuse": "abusive or offensive language towards staff",
  "verbal-threat": "threats towards staff",
  "physical-violence-no-injury": "physical violence towards staff",
  "physical-assault": "assault on a member of staff",
  "hate-incident": "abuse of staff because of who they are",
  "staff-details-published": "publishing staff members' details online",
  "recording-misuse": "recording staff and using the recordings to harass them",
  "premises-risk": "risks to staff visiting the property",
};

const CHANNEL: Record<string, string> = {
  phone: "by phone",
  email: "by email",
  "face-to-face": "in person",
  letter: "by letter",
  "online-form": "through an online form",
  "social-media": "on social media",
  "home-visit": "during a home visit",
};

const SERVICE_KINDS: readonly RestrictionKind[] = ["discretionary-services-restricted", "mandatory-service-withdrawn"];

const paramList = (v: Restriction["params"][string] | undefined) => (Array.isArray(v) ? listWords(v.map(String)) : String(v ?? ""));

/** A restriction as the customer reads it (staff get the one-sentence instruction instead). */
export function customerWording(r: Restriction): string {
  const p = r.params;
  let text: string;
  switch (r.kind) {
    case "contact-limit": {
      const n = Number(p.contacts ?? 1);
      const minutes = p.maxMinutes === undefined ? "" : `, each of no more than ${String(p.maxMinutes)} minutes`;
      text = `You may contact us no more than ${n === 1 ? "once" : `${n} times`} a ${String(p.per ?? "week")}${p.channel ? ` ${CHANNEL[String(p.channel)] ?? ""}` : ""}${minutes}.`;
      break;
    }
    case "fixed-time-slot":
      text = `You may phone us only on ${paramList(p.days).replace(/\b\w/g, (c) => c.toUpperCase())} between ${String(p.from)} and ${String(p.to)}.`;
      break;
    case "single-channel":
      text = `Please contact us only ${CHANNEL[String(p.channel)] ?? `by ${String(p.channel)}`}.`;
      break;
    case "single-point-of-contact":
      text = `Please contact only ${String(p.displayName)} (${String(p.mailbox)}). Other staff will pass your contact to them.`;
      break;
    case "home-visits-in-pairs":
      text = "Staff will visit your home only in pairs.";
      break;
    case "contact-via-support-worker":
      text = `Please contact us through your support worker${p.supportWorker ? `, ${String(p.supportWorker)}` : ""}.`;
      break;
    case "meetings-with-witness":
      text = `We will meet you only with a witness present${p.location ? `, at ${String(p.location)}` : ", in a suitable place"}.`;
      break;
    case "building-ban":
      text = `You must not visit ${paramList(p.buildings)}${p.permanent === true ? "" : " while this restriction lasts"}.`;
      break;
    case "social-media-blocked":
      text = "Your social media accounts are blocked from tagging or commenting on the council's posts.";
      break;
    case "no-further-correspondence-on-matter":
      text = `We will not register or answer further correspondence about ${String(p.matter)}, because that matter is closed. We will still read it in case it raises something new.`;
      break;
    case "correspondence-filed-without-acknowledgement":
      text = "We will read your correspondence and keep it on file, but we will not acknowledge or reply to it unless it raises something new.";
      break;
    case "discretionary-services-restricted":
      text = `We will not provide ${paramList(p.services)} to you.`;
      break;
    case "mandatory-service-withdrawn":
      text = `As a last resort, we have withdrawn ${String(p.service)}. Contact the manager named in this letter about how the service will now be provided.`;
      break;
    case "email-divert":
      text = `Emails you send to council staff are redirected to ${String(p.spocMailbox)}.`;
      break;
  }
  const scope = r.serviceAreas.length > 0 ? ` This applies to ${listWords(r.serviceAreas)} only.` : "";
  const until = r.endsOn ? ` This lasts until ${longDate(r.endsOn)}.` : "";
  return `${text}${scope}${until}`;
}

type Composer = (ctx: LetterContext) => LetterSection | undefined;

function section(part: string, heading: string, paragraphs: string[], bullets?: string[]): LetterSection {
  return bullets && bullets.length > 0 ? { part, heading, paragraphs, bullets } : { part, heading, paragraphs };
}

function categoriesOf(ctx: LetterContext): IncidentCategory[] {
  const list = ctx.entry?.categories.length ? ctx.entry.categories : ctx.incidents.map((i) => i.category);
  return [...new Set(list)];
}

const COMPOSERS: Record<string, Composer> = {
  "incident-details": (ctx) => {
    if (ctx.incidents.length === 0) return undefined;
    return section(
      "incident-details",
      "What happened",
      [ctx.incidents.length === 1 ? "This letter is about the following incident." : "This letter is about the following incidents."],
      ctx.incidents.map((i) => `${longDate(dateOf(i.occurredAt))} at ${timeOf(i.occurredAt)}, ${CHANNEL[i.channel] ?? i.channel}, at ${i.location}: ${BEHAVIOUR[i.category]}. ${truncate(i.description, 280)}`),
    );
  },
  "why-unreasonable": (ctx) => {
    const cats = categoriesOf(ctx);
    if (cats.length === 0) return undefined;
    const paragraphs = [
      "Our staff have the right to do their work without being abused, threatened or harassed, and other customers have the right to our time.",
      `We consider your behaviour unreasonable because it involved ${listWords(cats.map((c) => BEHAVIOUR[c]))}.`,
    ];
    if (ctx.entry?.riskDefinition) paragraphs.push(`${cap(ctx.decisionBodyName)} assessed this as ${ctx.entry.riskLabel.toLowerCase()}: "${ctx.entry.riskDefinition}"`);
    return section("why-unreasonable", "Why we consider this behaviour unreasonable", paragraphs);
  },
  "examples-of-behaviour": (ctx) => {
    if (ctx.incidents.length === 0) return undefined;
    return section(
      "examples-of-behaviour",
      "Examples of the behaviour",
      ["These are examples of the behaviour we consider unreasonable:"],
      ctx.incidents.slice(-5).map((i) => `On ${longDate(dateOf(i.occurredAt))}: ${truncate(i.description, 280)}`),
    );
  },
  "expected-behaviour": () =>
    section("expected-behaviour", "What we expect", ["When you contact the council, we expect you to:"], [
      "treat staff with courtesy and respect",
      "not use abusive, offensive or threatening language or behaviour",
      "contact us through the ways we agree with you",
      "accept that staff may end a call or meeting if this does not happen",
    ]),
  "cease-request": () => section("cease-request", "What we are asking you to do", ["We ask you to stop this behaviour now."]),
  "cease-and-desist": (ctx) =>
    section("cease-and-desist", "You must stop this behaviour", [
      `${ctx.council} requires you to cease and desist from the behaviour described in this letter, now and in future.`,
      "If you do not, the council may take legal action against you without further warning, which may include applying to the court for an injunction. The council may ask the court to order you to pay its costs.",
    ]),
  "single-point-of-contact": (ctx) => {
    const spoc = ctx.entry?.spoc ?? spocFromRestrictions(ctx);
    if (!spoc) return undefined;
    return section("single-point-of-contact", "Who to contact", [
      `From now on, please contact ${spoc.displayName}${spoc.serviceArea ? ` (${spoc.serviceArea})` : ""} about any council matter, at ${spoc.mailbox}${spoc.phone ? ` or ${spoc.phone}` : ""}. This is your single point of contact. Other staff will pass anything you send them to this contact.`,
    ]);
  },
  "contact-restrictions": (ctx) => {
    const list = (ctx.entry?.restrictions ?? []).filter((r) => !SERVICE_KINDS.includes(r.kind));
    if (list.length === 0) return undefined;
    return section("contact-restrictions", "How you may contact us", ["From the date of this letter:"], list.map(customerWording));
  },
  "service-restrictions": (ctx) => {
    const list = (ctx.entry?.restrictions ?? []).filter((r) => SERVICE_KINDS.includes(r.kind));
    if (list.length === 0) return undefined;
    return section("service-restrictions", "Services", ["These changes to the services we provide to you apply:"], list.map(customerWording));
  },
  "proposed-duration": (ctx) => {
    const e = ctx.entry;
    if (!e) return undefined;
    if (e.indefinite) return section("proposed-duration", "How long this lasts", [`These arrangements stay in place until we are satisfied the risk has ended.${ctx.reviewOn ? ` We will next review them on ${longDate(ctx.reviewOn)}.` : ""}`]);
    const ends = e.expiresOn ?? e.restrictions.map((r) => r.endsOn).filter((d): d is string => d !== undefined).sort().at(-1);
    if (!ends) return undefined;
    return section("proposed-duration", "How long this lasts", [`These arrangements will last until ${longDate(ends)}, unless we review them sooner.`]);
  },
  "monitoring-period": (ctx) => {
    if (!ctx.monitoring.intervalText || !ctx.monitoring.by) return undefined;
    return section("monitoring-period", "How we will monitor your contact", [
      `For the next ${ctx.monitoring.intervalText} staff will record your contact with the council, both any further incidents and contact that goes well. ${cap(ctx.monitoring.by)} will look at those records${ctx.reviewOn ? ` on or before ${longDate(ctx.reviewOn)}` : ""} and decide what happens next.`,
    ]);
  },
  "breach-consequences": (ctx) =>
    section("breach-consequences", "If this does not work", [
      ctx.warning?.nextStepText
        ? `If the behaviour continues, the next step is ${ctx.warning.nextStepText.toLowerCase()}.`
        : "If you do not keep to these arrangements, we may extend them or restrict your contact with the council further.",
      `If you threaten or assault a member of staff, we will report it to the police${ctx.type === "legal-cease-and-desist" ? " and may take legal action" : ""}.`,
    ]),
  "register-entry-and-removal": (ctx) => {
    const e = ctx.entry;
    if (!e) return undefined;
    const intro = `Your details have been added to the council's ${ctx.registerName}, which tells staff how to deal with your contact safely.`;
    if (e.indefinite) return section("register-entry-and-removal", "Our records", [`${intro} The record stays while the risk remains and is reviewed regularly.`]);
    if (!e.expiresOn) return undefined;
    return section("register-entry-and-removal", "Our records", [`${intro} The record will be removed on ${longDate(e.expiresOn)} as long as the behaviour is not repeated.`]);
  },
  "review-date": (ctx) => {
    if (!ctx.reviewOn) return undefined;
    return section("review-date", "When we will review this", [`We will review this on or before ${longDate(ctx.reviewOn)}.`]);
  },
  "review-outcome": (ctx) => {
    const r = ctx.review;
    if (!r) return undefined;
    const paragraphs =
      r.outcome === "remove"
        ? [`${cap(r.approverName)} reviewed the arrangements on ${longDate(r.decidedOn)} and decided to end them. The restrictions no longer apply.`]
        : r.outcome === "extend"
          ? [`${cap(r.approverName)} reviewed the arrangements on ${longDate(r.decidedOn)} and decided to keep them in place${r.expiresOn ? ` until ${longDate(r.expiresOn)}` : ""}.${r.nextReviewOn ? ` We will review them again on or before ${longDate(r.nextReviewOn)}.` : ""}`]
          : [`${cap(r.approverName)} reviewed the arrangements on ${longDate(r.decidedOn)} and decided to change them. The arrangements that now apply are set out in this letter.${r.nextReviewOn ? ` We will review them again on or before ${longDate(r.nextReviewOn)}.` : ""}`];
    if (r.reasons) paragraphs.push(`The reasons: ${r.reasons}`);
    return section("review-outcome", "The outcome of the review", paragraphs);
  },
  "appeal-rights": (ctx) => {
    const a = ctx.appealRights;
    if (!a || a.route !== "appeal") return undefined;
    const to = a.to.length > 0 ? listWords(a.to, "or") : ctx.decisionBodyName;
    const when = a.byDate ? ` by ${longDate(a.byDate)}${a.windowText ? ` (within ${a.windowText})` : ""}` : a.windowText ? ` within ${a.windowText}` : "";
    const paragraphs = [
      `If you disagree with this decision, you can appeal. Write to ${to}${when}, saying why you disagree. The arrangements in this letter stay in place while your appeal is considered.`,
    ];
    if (a.grounds.length > 0) paragraphs.push("You can appeal on these grounds:");
    return section("appeal-rights", "If you disagree", paragraphs, a.grounds.map((g) => `${cap(g)}.`));
  },
  "reasonable-adjustments-check": () =>
    section("reasonable-adjustments-check", "If you need support", [
      "If you have a disability or a health condition that makes it hard for you to keep to these arrangements, or you need this letter in another format, please tell us. We will consider reasonable adjustments under the Equality Act 2010.",
    ]),
  "complaints-and-ombudsman": (ctx) =>
    section("complaints-and-ombudsman", "If you are unhappy", [
      `If you are unhappy with how we have dealt with this, you can use ${ctx.council}'s complaints process.`,
      "If you are still unhappy once the complaints process is finished, you can ask the Local Government and Social Care Ombudsman to look at it (www.lgo.org.uk).",
    ]),
  "divert-in-place": (ctx) => {
    if (!ctx.divertInPlace) return undefined;
    return section("divert-in-place", "Your emails to council staff", [
      `Emails you send to council staff are now redirected automatically to ${ctx.divertInPlace.spocMailbox}. Please write to that address directly: it is the quickest way to get a reply.`,
    ]);
  },
  "appeal-outcome": (ctx) => {
    const a = ctx.appeal;
    if (!a) return undefined;
    const outcome =
      a.outcome === "upheld"
        ? "We have decided that the original decision stands. The arrangements stay as they are."
        : a.outcome === "varied"
          ? "We have decided to change the original decision. The arrangements that now apply are set out in this letter."
          : "We have decided to overturn the original decision. The arrangements no longer apply, and your details have been removed from our records of them.";
    const paragraphs = [`We received your appeal on ${longDate(a.receivedOn)} and decided it on ${longDate(a.decidedOn)}.`, outcome];
    if (a.reasons) paragraphs.push(`The reasons: ${a.reasons}`);
    if (a.ombudsman && a.outcome !== "overturned") {
      paragraphs.push("If you are still unhappy, you can ask the Local Government and Social Care Ombudsman to look at it (www.lgo.org.uk).");
    }
    return section("appeal-outcome", "The outcome of your appeal", paragraphs);
  },
};

function spocFromRestrictions(ctx: LetterContext): { displayName: string; mailbox: string; phone?: string; serviceArea?: string } | undefined {
  const r = ctx.entry?.restrictions.find((x) => x.kind === "single-point-of-contact");
  if (!r) return undefined;
  return { displayName: String(r.params.displayName), mailbox: String(r.params.mailbox) };
}

function truncate(text: string, max: number): string {
  const t = text.replace(/\s+/g, " ").trim();
  return t.length <= max ? t : `${t.slice(0, max - 1).trimEnd()}…`;
}

/** The order parts appear in, whichever letter they are in. */
const ORDER = [
  "review-outcome",
  "appeal-outcome",
  "divert-in-place",
  "incident-details",
  "why-unreasonable",
  "examples-of-behaviour",
  "expected-behaviour",
  "cease-request",
  "cease-and-desist",
  "register-entry-and-removal",
  "single-point-of-contact",
  "contact-restrictions",
  "service-restrictions",
  "proposed-duration",
  "monitoring-period",
  "review-date",
  "breach-consequences",
  "reasonable-adjustments-check",
  "appeal-rights",
  "complaints-and-ombudsman",
];

interface Template {
  title(ctx: LetterContext): string;
  opening(ctx: LetterContext): string[];
  /** Parts the template includes whenever it can write them, beyond what the policy lists. */
  defaults(ctx: LetterContext): string[];
  /** Parts this letter cannot do without. */
  essential: string[];
}

const challengeParts = (ctx: LetterContext) => (ctx.appealRights?.route === "appeal" ? ["appeal-rights"] : ["complaints-and-ombudsman"]);

const TEMPLATES: Record<LetterType, Template> = {
  warning: {
    title: (ctx) => (ctx.warning ? `${cap(ctx.warning.label)}` : "Warning about your behaviour"),
    opening: (ctx) => [`We are writing to you about your recent contact with ${ctx.council}.`],
    defaults: () => ["incident-details", "expected-behaviour", "breach-consequences", "reasonable-adjustments-check"],
    essential: [],
  },
  restriction: {
    title: () => "Restrictions on your contact with the council",
    opening: (ctx) => [`We are writing to tell you that ${ctx.decisionBodyName} has decided to put arrangements in place for your contact with ${ctx.council}.`],
    defaults: (ctx) => ["incident-details", "why-unreasonable", "single-point-of-contact", "contact-restrictions", "service-restrictions", "proposed-duration", "review-date", "breach-consequences", ...challengeParts(ctx)],
    essential: ["contact-restrictions"],
  },
  "legal-cease-and-desist": {
    title: () => "Formal notice: you must stop this behaviour",
    opening: (ctx) => [`We are writing on behalf of ${ctx.council} about your behaviour towards its staff. ${cap(ctx.decisionBodyName)} has assessed it as high risk.`],
    defaults: (ctx) => ["incident-details", "why-unreasonable", "cease-and-desist", "single-point-of-contact", "contact-restrictions", "service-restrictions", "proposed-duration", "breach-consequences", ...challengeParts(ctx)],
    essential: ["cease-and-desist"],
  },
  "review-outcome": {
    title: () => "The review of your contact arrangements",
    opening: (ctx) => [`We have reviewed the arrangements for your contact with ${ctx.council}.`],
    defaults: (ctx) => (ctx.review && ctx.review.outcome !== "remove" ? ["contact-restrictions", "review-date"] : []),
    essential: ["review-outcome"],
  },
  "appeal-outcome": {
    title: () => "The outcome of your appeal",
    opening: (ctx) => [`Thank you for your appeal against the decision about your contact with ${ctx.council}.`],
    defaults: (ctx) => (ctx.appeal && ctx.appeal.outcome !== "overturned" ? ["contact-restrictions"] : []),
    essential: ["appeal-outcome"],
  },
  "divert-notice": {
    title: () => "Your emails to council staff",
    opening: (ctx) => [`We are writing to tell you about a change to how ${ctx.council} deals with your emails.`],
    defaults: () => ["single-point-of-contact"],
    essential: ["divert-in-place", "single-point-of-contact"],
  },
};

function staffText(ctx: LetterContext, part: string): string[] {
  const text = ctx.texts[part];
  return text ? text.split(/\n\s*\n/).map((p) => p.trim()).filter((p) => p.length > 0) : [];
}

const PART_HEADINGS: Record<string, string> = {
  "incident-details": "What happened",
  "why-unreasonable": "Why we consider this behaviour unreasonable",
  "examples-of-behaviour": "Examples of the behaviour",
  "expected-behaviour": "What we expect",
  "cease-request": "What we are asking you to do",
  "cease-and-desist": "You must stop this behaviour",
  "single-point-of-contact": "Who to contact",
  "contact-restrictions": "How you may contact us",
  "service-restrictions": "Services",
  "proposed-duration": "How long this lasts",
  "monitoring-period": "How we will monitor your contact",
  "breach-consequences": "If this does not work",
  "register-entry-and-removal": "Our records",
  "review-date": "When we will review this",
  "review-outcome": "The outcome of the review",
  "appeal-rights": "If you disagree",
  "reasonable-adjustments-check": "If you need support",
  "complaints-and-ombudsman": "If you are unhappy",
  "divert-in-place": "Your emails to council staff",
  "appeal-outcome": "The outcome of your appeal",
};

export function composeLetter(ctx: LetterContext): LetterDraft {
  const template = TEMPLATES[ctx.type];
  const wanted = new Set([...ctx.policyParts.required, ...ctx.policyParts.ifRelevant, ...template.defaults(ctx), ...template.essential, ...Object.keys(ctx.texts)]);
  const sections: LetterSection[] = [{ part: "opening", paragraphs: template.opening(ctx) }];
  const present: string[] = [];
  for (const part of ORDER.filter((p) => wanted.has(p))) {
    const composed = COMPOSERS[part]?.(ctx);
    const own = staffText(ctx, part);
    if (composed) {
      composed.paragraphs.push(...own);
      sections.push(composed);
      present.push(part);
    } else if (own.length > 0) {
      sections.push({ part, heading: PART_HEADINGS[part] ?? cap(part.replace(/-/g, " ")), paragraphs: own });
      present.push(part);
    }
  }
  if (ctx.equalityQuestionnaire) {
    sections.push({ part: "closing", paragraphs: ["With this letter is an equality and diversity monitoring form. Filling it in is optional and does not affect how we deal with you."] });
  }
  const heldAtReception = ctx.holdAtReception;
  const addressLines = heldAtReception
    ? [ctx.recipient.name, "To be collected from the council's reception", "(no postal address: held until the customer next visits)"]
    : ctx.recipient.addressLines.length > 0
      ? [ctx.recipient.isPremises ? "The owner or occupier" : ctx.recipient.name, ...ctx.recipient.addressLines]
      : [ctx.recipient.name, "No postal address held: hand this letter over or send it by email"];
  return {
    type: ctx.type,
    title: template.title(ctx),
    dateText: longDate(ctx.today),
    reference: ctx.reference,
    addressLines,
    heldAtReception,
    salutation: ctx.recipient.isPremises ? "Dear owner or occupier," : `Dear ${ctx.recipient.name},`,
    sections,
    signOff: ["Yours sincerely,", "", ctx.sender.name, ...(ctx.sender.role ? [`For ${ctx.sender.role}`] : []), ctx.council],
    equalityQuestionnaire: ctx.equalityQuestionnaire,
    presentParts: present,
    essentialParts: template.essential,
  };
}

/** The Equality and Diversity monitoring form sent with letters where the policy says so (Dorset 4.13.1). */
export const EQUALITY_QUESTIONNAIRE: { heading: string; intro: string[]; questions: { question: string; options: string[] }[] } = {
  heading: "Equality and diversity monitoring form",
  intro: [
    "We ask these questions to check that we treat everyone fairly. Filling in this form is optional. Your answers are kept separately from your records and do not affect how we deal with you.",
  ],
  questions: [
    { question: "What is your age?", options: ["Under 18", "18 to 24", "25 to 34", "35 to 44", "45 to 54", "55 to 64", "65 or over", "Prefer not to say"] },
    { question: "What is your sex?", options: ["Female", "Male", "Prefer not to say"] },
    { question: "Is the gender you identify with the same as your sex registered at birth?", options: ["Yes", "No", "Prefer not to say"] },
    { question: "Do you consider yourself to have a disability or a long-term health condition?", options: ["Yes", "No", "Prefer not to say"] },
    { question: "What is your ethnic group?", options: ["Asian or Asian British", "Black, Black British, Caribbean or African", "Mixed or multiple ethnic groups", "White", "Other ethnic group", "Prefer not to say"] },
    { question: "What is your religion or belief?", options: ["No religion", "Buddhist", "Christian", "Hindu", "Jewish", "Muslim", "Sikh", "Any other religion or belief", "Prefer not to say"] },
    { question: "What is your sexual orientation?", options: ["Bisexual", "Gay or lesbian", "Heterosexual or straight", "Other", "Prefer not to say"] },
  ],
};
