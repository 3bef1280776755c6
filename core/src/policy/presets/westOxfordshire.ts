// West Oxfordshire District Council — Unreasonable Customer Behaviour Policy.
// Source: /work/shared/policies/002_c0c7160c580e81ec.txt. The policy has no numbered sections, so citations
// name its headings ("West Oxfordshire, Appeal").

import type { PolicyProfile } from "../schema";
import { NO_LOOKUP, TAKE_CARE_ONLY, offer, sees, undefinedRiskLevels } from "./common";

export const westOxfordshire: PolicyProfile = {
  id: "west-oxfordshire",
  council: "West Oxfordshire District Council",
  citeAs: "West Oxfordshire",
  policy: { title: "Unreasonable Customer Behaviour Policy", version: null },

  register: { name: "Unreasonable Customer Behaviour Register", shortName: "UCBR" }, // UCBR

  decisionBody: {
    // Managing Unacceptable Behaviour: "must be reviewed and approved by the relevant business manager / Head
    // of Service".
    name: "the relevant business manager or Head of Service",
    mode: "single-decider",
    members: [
      { id: "business-manager", title: "Business manager", role: "panel-member", chair: false },
      { id: "head-of-service", title: "Head of Service", role: "panel-member", chair: false },
    ],
    membersMaySendDeputy: null,
    meetsEvery: null,
    quorum: null,
    majority: null,
    tieBreak: null,
    conflicts: null,
    emergency: null,
    complexCasesApprovedBy: null,
    recordHealthConsidered: null,
  },

  riskLevels: { levels: undefinedRiskLevels(), guidanceDefinitions: null },

  expiry: {
    default: null, // Monitoring and Review: removed only after significant change, not on a fixed date
    byCategory: { "premises-risk": "indefinite" }, // UCBR: property restrictions "can be left on indefinitely"
  },

  review: {
    interval: { count: 6, unit: "months" }, // Monitoring and Review: "on a six-monthly basis"
    approver: null,
    extension: null,
    afterNewIncident: "bring-forward", // Monitoring and Review: "or sooner if there are reasonable grounds"
    // Monitoring and Review: restrictions stay in place where there is no evident change in behaviour.
    removeWhenNoNewIncidents: false,
    considerPositiveContact: null,
    ongoingCircumstancesNeedJustification: null,
    tellCustomerOfRemoval: "where-appropriate", // "Where it is appropriate, we will notify you ... the outcome"
    tellCustomerOfExtension: "where-appropriate",
  },

  // Steps 1-3; "in the case of violence or serious threats, the warning stages (1 and 2) will be bypassed".
  warnings: {
    steps: [
      { step: "verbal", label: "A verbal warning", withRestrictions: false },
      { step: "informal-written", label: "An informal written warning", withRestrictions: false },
      { step: "formal-written", label: "A formal written warning with restrictions", withRestrictions: true },
    ],
    bypassCategories: ["verbal-threat", "physical-violence-no-injury", "physical-assault"],
    bypassTo: "last-step",
  },
  immediateRestriction: null,

  appeal: {
    route: "appeal",
    window: { count: 1, unit: "months" }, // Appeal: "within one month of the decision made"
    windowStartsFrom: "decision",
    decisionDeadline: null,
    decidedBy: ["an officer who was not involved in the original decision"], // Appeal
    investigatedBy: null,
    deciderMustNotHaveBeenInvolved: true, // Appeal
    grounds: null,
    entryStaysInForce: true, // Appeal: "remain in place until the outcome of the appeal is decided"
    noteOnEntry: true, // Appeal: "A note is added to the register entry"
    ombudsman: true, // Appeal: "including an external review by the LGSCO"
  },

  retention: { afterRemoval: null },

  access: {
    roles: {
      officer: sees("summary"), // UCBR: "available to Council representatives who have regular contact with service users"
      manager: sees("full"), // Managing: business managers and Heads of Service decide
      "panel-member": sees("full"),
      chair: sees("full"),
      "register-admin": sees("full"),
      councillor: TAKE_CARE_ONLY,
      contractor: TAKE_CARE_ONLY,
      "appeal-officer": sees("full"),
      auditor: NO_LOOKUP,
    },
    grantView: "summary", // UCBR: access "restricted to those who require it for business need"
    sensitiveDataRoles: ["panel-member", "chair"], // Data Protection: personal data limited to what is necessary
    grantedBy: "a Business or Service Manager or Head of Service", // UCBR: requests for access made via them
    grantRecordKept: null,
    gatekeeper: null,
  },

  restrictions: {
    // Step 3 "Restrictions may be as follows, but not limited to".
    catalogue: [
      offer("single-channel", "A specific method of communication only, such as email or writing"),
      offer("fixed-time-slot", "Contact only on a particular day or at a particular time"),
      offer("single-point-of-contact", "Correspondence restricted to a designated person (SPOC) or a specified email address"),
      offer("building-ban", "Banned from council premises for a specified period or indefinitely", { permanentAllowed: true }),
      offer("correspondence-filed-without-acknowledgement", "Further contact refused and not responded to, after warning letters"),
    ],
    mayApplyToOneServiceArea: null,
  },

  letters: {
    types: {
      // Step 2: "an informal written warning letter will be sent to remind you of our expected behaviours".
      warning: { required: ["expected-behaviour"], ifRelevant: [], equalityQuestionnaire: null, sender: null },
      // Step 3: a formal written warning "to ask that you cease ... and will advise you of the action we will take".
      restriction: { required: ["cease-request", "contact-restrictions"], ifRelevant: [], equalityQuestionnaire: null, sender: null },
      "legal-cease-and-desist": null,
      // Monitoring and Review: "we will notify you that the restriction has been reviewed and the outcome".
      "review-outcome": { required: ["review-outcome"], ifRelevant: [], equalityQuestionnaire: null, sender: null },
      "appeal-outcome": null,
      "divert-notice": null,
    },
    holdAtReceptionWhenNoFixedAddress: null,
    legalLetterForRisk: null,
  },

  // Premise Risk and UCBR: premises can be added without notifying the owner and left on indefinitely.
  premises: { enabled: true, indefinite: true, ownerNotified: false },
  markerNotifications: null,
  emailDivert: null,
  reporting: { cadence: null, to: null },
  incidentReports: { multiContactCategories: null },

  sources: {
    register: "West Oxfordshire, UCBR",
    decisionBody: "West Oxfordshire, Managing Unacceptable Behaviour",
    "expiry.default": "West Oxfordshire, Monitoring and Review",
    "expiry.byCategory": "West Oxfordshire, UCBR",
    review: "West Oxfordshire, Monitoring and Review",
    warnings: "West Oxfordshire, Steps 1-3",
    appeal: "West Oxfordshire, Appeal",
    access: "West Oxfordshire, UCBR",
    "access.sensitiveDataRoles": "West Oxfordshire, Data Protection",
    restrictions: "West Oxfordshire, Step 3",
    "letters.types.warning": "West Oxfordshire, Step 2",
    "letters.types.restriction": "West Oxfordshire, Step 3",
    "letters.types.review-outcome": "West Oxfordshire, Monitoring and Review",
    premises: "West Oxfordshire, UCBR",
    "premises.enabled": "West Oxfordshire, Premise Risk",
  },

  notes: {
    "incidentReports.multiContactCategories": "The policy does not say one report can cover many contacts, so each contact is reported on its own.",
    "decisionBody.quorum": "One officer decides (the business manager or Head of Service); there is no vote.",
    "decisionBody.majority": "One officer decides; there is no vote.",
    "decisionBody.tieBreak": "One officer decides; there is no vote.",
    "decisionBody.conflicts": "The policy has no conflict-of-interest procedure for the decision.",
    "decisionBody.emergency": "The policy gives no emergency power; violence or serious threats go straight to Step 3.",
    "decisionBody.recordHealthConsidered":
      "The decision considers protected characteristics and at-risk factors, but the policy does not ask for a record of it.",
    riskLevels: "The policy defines no risk levels. CALM keeps a risk level on each entry for access tiers only.",
    "expiry.default": "No fixed expiry: restrictions are removed at review only after a significant change in behaviour or circumstances.",
    "review.approver": "The policy does not say who approves a review outcome; the decision itself is the business manager's or Head of Service's.",
    "review.extension": "Restrictions simply stay in place until a review finds change; there is no extension period.",
    "review.considerPositiveContact": "Removal needs a \"significant change\" in behaviour; positive contact is not mentioned.",
    "review.ongoingCircumstancesNeedJustification": "The policy does not mention entries kept for ongoing circumstances.",
    immediateRestriction: "No separate immediate-restriction grounds; violence or serious threats bypass Steps 1 and 2.",
    "appeal.decisionDeadline": "The policy sets no deadline for deciding an appeal.",
    "appeal.investigatedBy": "The policy names no separate investigator.",
    "appeal.grounds": "The policy does not list grounds of appeal.",
    "retention.afterRemoval": "The policy sets no retention period after removal (Data Protection: a DPIA was done).",
    "access.grantRecordKept": "The policy does not mention a record of who has access.",
    "access.gatekeeper": "The policy names no gatekeeper for people without access.",
    "access.roles.councillor": "The policy does not give councillors register access; CALM gives \"take care\" guidance only.",
    "access.roles.auditor": "Not in the policy. CALM's auditors use the audit log and subject access export, not lookups.",
    "restrictions.catalogue.correspondence-filed-without-acknowledgement":
      "Step 3: \"we may refuse further contact and refuse further responses\"; the closest CALM restriction.",
    "restrictions.mayApplyToOneServiceArea": "The policy does not say whether restrictions can be limited to one service.",
    "letters.types.appeal-outcome": "The policy does not set the contents of an appeal outcome letter.",
    "letters.holdAtReceptionWhenNoFixedAddress": "The policy does not cover customers with no fixed address.",
    markerNotifications: "The policy does not mention service markers on other systems.",
    emailDivert: "The policy has no email divert.",
    "reporting.cadence": "The policy sets no reporting cadence.",
    "policy.version": "The policy document carries no version number or date.",
    "decisionBody.membersMaySendDeputy": "One officer decides; there are no meetings.",
    "decisionBody.meetsEvery": "One officer decides; there are no meetings.",
    "decisionBody.complexCasesApprovedBy": "The business manager or Head of Service decides every case.",
    "letters.types.warning": "Step 2 gives the letter's purpose; it names no sender and no questionnaire.",
    "letters.types.restriction": "Step 3 gives the letter's purpose; it names no sender and no questionnaire.",
    "letters.types.review-outcome": "The policy says the customer is told of the review outcome where appropriate; it names no sender and no questionnaire.",
    "letters.types.legal-cease-and-desist": "The policy has no separate legal letter.",
    "letters.types.divert-notice": "The policy has no email divert.",
    "letters.legalLetterForRisk": "The policy has no separate legal letter.",
    "reporting.to": "The policy names no one to report to.",
  },
};
