// Tamworth Borough Council — Managing Unreasonable Customer Behaviour Policy (2017, version 01.01.04).
// Source: /work/shared/policies/004_d94ac5c47dbe24b3.txt. Section numbers below are the policy's.

import type { PolicyProfile } from "../schema";
import { NO_LOOKUP, TAKE_CARE_ONLY, offer, sees, undefinedRiskLevels } from "./common";

export const tamworth: PolicyProfile = {
  id: "tamworth",
  council: "Tamworth Borough Council",
  citeAs: "Tamworth",
  policy: { title: "Managing Unreasonable Customer Behaviour Policy", version: "01.01.04 (8 November 2017)" },

  // 4: responses are sent to the Customer Services Centre "for recording on the corporate CRM system".
  register: { name: null, shortName: null },

  decisionBody: {
    // 4, 9: the Head of Service decides for their service; the Head of Customer Services where a corporate
    // approach is needed.
    name: "the Head of Service (the Head of Customer Services for a corporate approach)",
    mode: "single-decider",
    members: [
      { id: "head-of-service", title: "Head of Service", role: "panel-member", chair: false },
      { id: "head-of-customer-services", title: "Head of Customer Services", role: "panel-member", chair: false },
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

  expiry: { default: null, byCategory: {} },

  review: {
    interval: null,
    approver: null,
    extension: null,
    afterNewIncident: null,
    removeWhenNoNewIncidents: null,
    considerPositiveContact: null,
    ongoingCircumstancesNeedJustification: null,
    tellCustomerOfRemoval: null,
    tellCustomerOfExtension: null,
  },

  warnings: null,
  immediateRestriction: null,

  appeal: {
    route: "appeal",
    window: { count: 1, unit: "months" }, // 10: "within one calendar month of their notification"
    windowStartsFrom: "notification",
    decisionDeadline: { count: 6, unit: "weeks" }, // 10: findings to a CMT member "within 6 weeks of the request"
    decidedBy: ["a member of the Corporate Management Team"], // 4, 10
    investigatedBy: "the Head of Customer Services", // 4, 10
    deciderMustNotHaveBeenInvolved: null,
    grounds: null,
    entryStaysInForce: null,
    noteOnEntry: null,
    ombudsman: null,
  },

  retention: { afterRemoval: null },

  access: {
    roles: {
      officer: sees("summary"), // 4: officers who report issues are made aware of the management arrangements
      manager: sees("full"), // 4: Heads of Service manage the policy within their service
      "panel-member": sees("full"),
      chair: sees("full"),
      "register-admin": sees("full"),
      councillor: TAKE_CARE_ONLY,
      contractor: TAKE_CARE_ONLY,
      "appeal-officer": sees("full"),
      auditor: NO_LOOKUP,
    },
    grantView: "summary",
    sensitiveDataRoles: ["panel-member", "chair"],
    grantedBy: null,
    grantRecordKept: null,
    gatekeeper: null,
  },

  restrictions: {
    // 8 "the type of actions / restrictions applied can include"; exclusions are normally for a set period and
    // may be permanent in extreme cases.
    catalogue: [
      offer("fixed-time-slot", "A restricted time slot for necessary calls"),
      offer("single-channel", "One medium of contact only (telephone, letter, email etc.)"),
      offer("meetings-with-witness", "Contact only in the presence of a witness and in a suitable location"),
      offer("no-further-correspondence-on-matter", "Further complaints or requests about the same matter not registered or processed"),
      offer("single-point-of-contact", "Single point of contact (SPOC): a key officer co-ordinates the council's responses"),
      offer("building-ban", "Exclusion from one or more council buildings", { permanentAllowed: true }),
    ],
    mayApplyToOneServiceArea: null,
  },

  letters: {
    types: {
      warning: null,
      // 9: the letter explains why the behaviour is unacceptable, the action taken, the proposed duration and,
      // where a right of appeal is allowed, how and to whom to appeal.
      restriction: {
        required: ["why-unreasonable", "contact-restrictions", "proposed-duration", "appeal-rights"],
        ifRelevant: [],
        equalityQuestionnaire: null,
        sender: "the Head of Service, or the Head of Customer Services for a corporate approach",
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
  markerNotifications: null,
  emailDivert: null,
  // Revision history (8 November 2017): the Head of Customer Services reports quarterly to the Leadership Team;
  // 4: the Corporate Management Team reviews the performance reports.
  reporting: { cadence: { count: 3, unit: "months" }, to: "the Leadership Team and the Corporate Management Team" },
  incidentReports: { multiContactCategories: null },

  sources: {
    decisionBody: "Tamworth 4",
    "decisionBody.name": "Tamworth 9",
    appeal: "Tamworth 10",
    "appeal.decidedBy": "Tamworth 4",
    access: "Tamworth 4",
    restrictions: "Tamworth 8",
    "letters.types.restriction": "Tamworth 9",
    reporting: "Tamworth revision history, 8 November 2017",
    "reporting.to": "Tamworth 4",
  },

  notes: {
    "incidentReports.multiContactCategories": "The policy does not say one report can cover many contacts, so each contact is reported on its own.",
    "register.name": "The policy names no register: customers managed under it are recorded on the corporate CRM (4).",
    "register.shortName": "The policy names no register.",
    "decisionBody.quorum": "One officer decides (4, 9); there is no vote.",
    "decisionBody.majority": "One officer decides; there is no vote.",
    "decisionBody.tieBreak": "One officer decides; there is no vote.",
    "decisionBody.conflicts": "The policy has no conflict-of-interest procedure.",
    "decisionBody.emergency": "The policy gives no emergency power.",
    riskLevels: "The policy defines no risk levels. CALM keeps a risk level on each entry for access tiers only.",
    "expiry.default": "No fixed expiry: the letter states the proposed duration, decided case by case (8, 9).",
    review: "The policy sets no review cycle; the council reports quarterly instead.",
    warnings: "No warning ladder. Warning the customer that restrictions will follow is one option among the actions in 8.",
    immediateRestriction: "The policy sets no immediate-restriction grounds; assaults are reported to the police (9).",
    "appeal.deciderMustNotHaveBeenInvolved": "The policy does not state an independence rule; a CMT member decides on the HoCS's findings.",
    "appeal.grounds": "The customer writes saying why they disagree (10); no grounds are listed.",
    "appeal.entryStaysInForce": "The policy does not say.",
    "appeal.noteOnEntry": "The policy does not say.",
    "appeal.ombudsman": "The policy does not mention the Ombudsman.",
    "retention.afterRemoval": "The policy sets no retention period.",
    access: "The policy does not set who may see the record. CALM's defaults: staff see a summary, councillors and contractors \"take care\" guidance.",
    "access.roles.auditor": "Not in the policy. CALM's auditors use the audit log and subject access export, not lookups.",
    "letters.types.warning": "Warning the customer is an option in 8, with no letter contents set.",
    "letters.types.appeal-outcome": "The policy does not set the contents of an appeal outcome letter.",
    premises: "The policy covers customers, not premises.",
    markerNotifications: "The policy does not mention service markers on other systems.",
    emailDivert: "The policy has no email divert.",
    "decisionBody.membersMaySendDeputy": "One officer decides; there are no meetings.",
    "decisionBody.meetsEvery": "One officer decides; there are no meetings.",
    "decisionBody.complexCasesApprovedBy": "The Head of Customer Services takes cases that need a corporate approach (9).",
    "decisionBody.recordHealthConsidered": "8 asks the council to be satisfied the case was handled properly, but not to record health considerations.",
    "restrictions.mayApplyToOneServiceArea": "Heads of Service manage the policy within their service (4), but the policy does not say whether restrictions can be limited to one service.",
    "letters.types.restriction.equalityQuestionnaire": "9 lists the contents; no questionnaire is mentioned.",
    "letters.types.legal-cease-and-desist": "Legal action is possible (9), but no letter contents are set.",
    "letters.types.review-outcome": "The policy sets no review.",
    "letters.types.divert-notice": "The policy has no email divert.",
    "letters.holdAtReceptionWhenNoFixedAddress": "The policy does not cover customers with no fixed address.",
    "letters.legalLetterForRisk": "The policy has no separate legal letter.",
  },
};
