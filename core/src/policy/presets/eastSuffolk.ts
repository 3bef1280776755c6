// East Suffolk Council — Unreasonable Behaviour Policy (Customer Alert List - CAL), version 2.0.
// Source: /work/shared/policies/001_eb850ffa0ed5a221.txt. Section numbers below are the policy's.

import type { PolicyProfile } from "../schema";
import { NO_LOOKUP, TAKE_CARE_ONLY, offer, sees, undefinedRiskLevels } from "./common";

export const eastSuffolk: PolicyProfile = {
  id: "east-suffolk",
  council: "East Suffolk Council",
  citeAs: "East Suffolk",
  policy: { title: "Unreasonable Behaviour Policy (Customer Alert List - CAL)", version: "2.0" },

  register: { name: "Customer Alert List", shortName: "CAL" }, // 3

  decisionBody: {
    // 3.2: the Customer Experience Team manages entries on service managers' recommendations; the Customer
    // Experience Manager approves complex or sensitive cases. Nobody votes.
    name: "the Customer Experience Team",
    mode: "single-decider",
    members: [
      { id: "customer-experience-team", title: "Customer Experience Team", role: "panel-member", chair: false },
      { id: "customer-experience-manager", title: "Customer Experience Manager", role: "panel-member", chair: false },
    ],
    membersMaySendDeputy: null,
    meetsEvery: null,
    quorum: null,
    majority: null,
    tieBreak: null,
    conflicts: null,
    emergency: null,
    // 3.2 footnote: the Head of Customer Services acts when the Customer Experience Manager is absent or is
    // the target of the behaviour.
    complexCasesApprovedBy:
      "the Customer Experience Manager (the Head of Customer Services when the Customer Experience Manager is absent or is the target of the behaviour)",
    recordHealthConsidered: null,
  },

  riskLevels: { levels: undefinedRiskLevels(), guidanceDefinitions: null },

  // 4.5.1 "Restriction periods": expiry by the incident that led to the entry.
  expiry: {
    default: null,
    byCategory: {
      "warning-letter": { count: 6, unit: "months" },
      "unreasonably-persistent-contact": { count: 1, unit: "years" },
      "ongoing-personal-circumstances": { count: 1, unit: "years" },
      "verbal-abuse": { count: 1, unit: "years" },
      "verbal-threat": { count: 1, unit: "years" },
      "physical-violence-no-injury": { count: 2, unit: "years" },
      "physical-assault": { count: 4, unit: "years" },
    },
  },

  review: {
    interval: { count: 6, unit: "months" }, // 3, 4.5.1, 4.7: every entry reviewed 6-monthly
    approver: "the Health and Safety Committee", // 3.2, 4.7
    extension: null,
    afterNewIncident: null,
    removeWhenNoNewIncidents: true, // 4.2, 4.7: without further incidents, removed at the review date
    considerPositiveContact: true, // 4.7
    ongoingCircumstancesNeedJustification: true, // 4.7: the raising service justifies keeping the entry
    tellCustomerOfRemoval: "where-possible", // 3: "informed, where possible, of any extension ... or removal"
    tellCustomerOfExtension: "where-possible", // 3
  },

  // 4.4: informal first; then a warning letter without restrictions; warnings bypassed for violence or
  // serious threats.
  warnings: {
    steps: [
      { step: "verbal", label: "Informal: ask the customer to change their language or behaviour", withRestrictions: false },
      { step: "formal-written", label: "Warning letter, without restrictions", withRestrictions: false },
    ],
    bypassCategories: ["verbal-threat", "physical-violence-no-injury", "physical-assault"],
    bypassTo: "restriction",
  },
  immediateRestriction: null,

  appeal: {
    route: "appeal",
    window: null,
    windowStartsFrom: null,
    decisionDeadline: null,
    decidedBy: [
      "the Head of Customer Services, Marketing and Communications",
      "the Chief Executive, when the Head of Customer Services has acted as Customer Experience Manager",
    ], // 3.2 and its footnote
    investigatedBy: null,
    deciderMustNotHaveBeenInvolved: null,
    grounds: null,
    entryStaysInForce: true, // 4.6
    noteOnEntry: true, // 4.6: "A note is added to the CAL entry to denote that the appeal is in progress"
    ombudsman: true, // 4.6: including an external review by the LGSCO
  },

  retention: { afterRemoval: { count: 6, unit: "months" } }, // 4.7: kept 6 months after removal, then deleted

  access: {
    roles: {
      officer: sees("summary"), // 3.1: the single CAL is available via the intranet
      manager: sees("full"), // 3.2: service managers investigate and recommend
      "panel-member": sees("full"),
      chair: sees("full"),
      "register-admin": sees("full"), // 3.2: the Customer Experience Team manages entries
      councillor: TAKE_CARE_ONLY, // 3.3: councillors may not have intranet access
      contractor: TAKE_CARE_ONLY, // 3.3: partners and contractors have no CAL access
      "appeal-officer": sees("full"),
      auditor: NO_LOOKUP,
    },
    grantView: "summary",
    sensitiveDataRoles: ["panel-member", "chair"],
    grantedBy: null,
    grantRecordKept: null,
    gatekeeper: "the Democratic Services team (for councillors)", // 3.3.1
  },

  restrictions: {
    // 4.5.2 "Actions that can be taken".
    catalogue: [
      offer("contact-limit", "Limits on the number and duration of contacts per week or month"),
      offer("fixed-time-slot", "A restricted time slot for necessary calls"),
      offer("single-channel", "One form of contact only"),
      offer("home-visits-in-pairs", "Officers only visit the customer's home in pairs"),
      offer("single-point-of-contact", "Communicate only with one named member of staff or email address"),
      offer("contact-via-support-worker", "Contact the council via their support worker"),
      offer("meetings-with-witness", "Personal contact only with a witness present, in a suitable location"),
      offer("building-ban", "Banned from visiting council offices and Customer Service points"),
      offer("social-media-blocked", "Social media account blocked from tagging or commenting on council posts"),
      offer("no-further-correspondence-on-matter", "Further correspondence about the same matter not registered or processed"),
      offer(
        "correspondence-filed-without-acknowledgement",
        "Correspondence read and filed without acknowledgement unless new and material and via the agreed channel",
      ),
    ],
    mayApplyToOneServiceArea: true, // 4.5
  },

  letters: {
    types: {
      warning: null,
      // 4.5: "The Council writes to the customer clearly explaining ..."; 3.2: signed by the Customer
      // Experience Manager, drafted and sent by the Customer Experience Team on behalf of the HoCS.
      restriction: {
        required: ["incident-details", "contact-restrictions", "why-unreasonable", "breach-consequences", "appeal-rights", "review-date"],
        ifRelevant: [],
        equalityQuestionnaire: null,
        sender: "the Customer Experience Team on behalf of the Head of Customer Services, signed by the Customer Experience Manager",
      },
      "legal-cease-and-desist": null,
      "review-outcome": null,
      "appeal-outcome": null,
      "divert-notice": null,
    },
    holdAtReceptionWhenNoFixedAddress: null,
    legalLetterForRisk: null,
  },

  premises: { enabled: false, indefinite: null, ownerNotified: null },
  // 3.1: teams with a marker on their own systems are notified when a customer is added to or removed from the
  // CAL; the marker must be removable with no record of it having been added.
  markerNotifications: { events: ["added", "removed"], markersMustBeRemovable: true },
  emailDivert: null,
  reporting: { cadence: null, to: "the Health and Safety Committee" }, // 3.2
  // 4.2: "a single report can be completed covering multiple individual contacts" for persistent contact.
  incidentReports: { multiContactCategories: ["unreasonably-persistent-contact"] },

  sources: {
    "incidentReports.multiContactCategories": "East Suffolk 4.2",
    "register.name": "East Suffolk 3",
    "register.shortName": "East Suffolk 3",
    decisionBody: "East Suffolk 3.2",
    "decisionBody.complexCasesApprovedBy": "East Suffolk 3.2",
    expiry: "East Suffolk 4.5.1",
    "review.interval": "East Suffolk 4.7",
    "review.approver": "East Suffolk 4.7",
    "review.removeWhenNoNewIncidents": "East Suffolk 4.2",
    "review.considerPositiveContact": "East Suffolk 4.7",
    "review.ongoingCircumstancesNeedJustification": "East Suffolk 4.7",
    "review.tellCustomerOfRemoval": "East Suffolk 3",
    "review.tellCustomerOfExtension": "East Suffolk 3",
    warnings: "East Suffolk 4.4",
    appeal: "East Suffolk 4.6",
    "appeal.decidedBy": "East Suffolk 3.2",
    "retention.afterRemoval": "East Suffolk 4.7",
    access: "East Suffolk 3.3",
    "access.roles.officer": "East Suffolk 3.1",
    "access.gatekeeper": "East Suffolk 3.3.1",
    restrictions: "East Suffolk 4.5.2",
    "restrictions.mayApplyToOneServiceArea": "East Suffolk 4.5",
    "letters.types.restriction": "East Suffolk 4.5",
    markerNotifications: "East Suffolk 3.1",
    reporting: "East Suffolk 3.2",
  },

  notes: {
    "decisionBody.quorum": "No panel votes: the Customer Experience Team decides, with the Customer Experience Manager approving complex cases (3.2).",
    "decisionBody.majority": "No panel votes (3.2).",
    "decisionBody.tieBreak": "No panel votes (3.2).",
    "decisionBody.conflicts":
      "No conflict procedure, but the Head of Customer Services stands in when the Customer Experience Manager is the target of the behaviour (3.2).",
    "decisionBody.emergency": "The policy gives no emergency power to add someone before a decision.",
    "decisionBody.recordHealthConsidered": "The policy asks for a sensitive approach (2.3) but no health record in the decision.",
    riskLevels: "The CAL records incident types and their expiry (4.5.1), not risk levels. CALM keeps a risk level on each entry for access tiers only.",
    "expiry.default":
      "4.5.1 sets expiry only for the incident types in its table; hate incidents, published staff details, misuse of recordings and premises risks have none.",
    "review.extension": "The policy says customers are told of an extension (3) but not how long one lasts; the next 6-monthly review applies.",
    "review.afterNewIncident": "The policy does not say a new incident moves the review date; the 6-monthly review weighs it (4.2, 4.7).",
    immediateRestriction: "No separate immediate-restriction grounds; violence and serious threats skip the warning stage (4.4).",
    "appeal.window": "The appeal window is in the CAL procedure and appeal process (Appendices 2 and 4), which are not part of the published policy.",
    "appeal.windowStartsFrom": "See appeal.window.",
    "appeal.decisionDeadline": "Not in the published policy (Appendices 2 and 4).",
    "appeal.investigatedBy": "Not in the published policy.",
    "appeal.deciderMustNotHaveBeenInvolved":
      "No general rule, but appeals move to the Chief Executive when the Head of Customer Services has approved the entry (3.2 footnote).",
    "appeal.grounds": "The policy does not list grounds of appeal.",
    "access.grantedBy": "The policy does not say who grants CAL access.",
    "access.grantRecordKept": "The policy does not mention a record of who has access.",
    "access.roles.auditor": "Not in the policy. CALM's auditors use the audit log and subject access export, not lookups.",
    "letters.types.warning": "4.4 says a warning letter is sent but not what it must contain.",
    "letters.types.divert-notice": "The policy has no email divert.",
    "letters.holdAtReceptionWhenNoFixedAddress": "The policy does not cover customers with no fixed address.",
    premises: "The CAL lists individuals (3); the policy has no premises entries.",
    emailDivert: "The policy has no email divert.",
    "reporting.cadence": "The Customer Experience Team reports to the Health and Safety Committee (3.2); no cadence is set.",
    "decisionBody.membersMaySendDeputy": "No panel; see complexCasesApprovedBy for who stands in.",
    "decisionBody.meetsEvery": "The Customer Experience Team works case by case; there is no meeting cycle.",
    "letters.types.restriction.equalityQuestionnaire": "The policy has an Equality Impact Assessment (2.3) but no questionnaire with letters.",
    "letters.types.legal-cease-and-desist": "The policy has no separate legal letter; legal guidance is case by case (3.2).",
    "letters.types.review-outcome": "3 says customers are told of an extension or removal where possible, but not what the letter must contain.",
    "letters.types.appeal-outcome": "Set in the appeal process (Appendix 4), which is not part of the published policy.",
    "letters.legalLetterForRisk": "The policy has no separate legal letter.",
  },
};
