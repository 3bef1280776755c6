// West Lindsey District Council — Managing Unacceptable Customer Actions Policy (committee report, 18 July 2024).
// Source: /work/shared/policies/003_5255657753addebb.txt. Section numbers below are the report's.

import type { LetterSpec, PolicyProfile } from "../schema";
import { NO_LOOKUP, TAKE_CARE_ONLY, offer, sees, undefinedRiskLevels } from "./common";

/** 11.4 "All letters should explain"; 12.4 applies it to decisions to restrict contact. */
function letter11_4(): LetterSpec {
  return {
    required: [
      "why-unreasonable",
      "examples-of-behaviour",
      "monitoring-period",
      "review-date",
      "breach-consequences",
      "reasonable-adjustments-check",
      "complaints-and-ombudsman",
    ],
    ifRelevant: ["contact-restrictions"],
    equalityQuestionnaire: null,
    sender: null,
  };
}

export const westLindsey: PolicyProfile = {
  id: "west-lindsey",
  council: "West Lindsey District Council",
  citeAs: "West Lindsey",
  policy: { title: "Managing Unacceptable Customer Actions Policy", version: "committee report, 18 July 2024" },

  register: { name: null, shortName: null },

  decisionBody: {
    // 2.6, 11.2: the Determination Team.
    name: "the Determination Team",
    mode: "panel",
    members: [
      { id: "health-and-safety-officer", title: "Health and Safety Officer", role: "panel-member", chair: false },
      { id: "customer-experience-manager", title: "Customer Experience Manager", role: "panel-member", chair: false },
      { id: "customer-strategy-and-services-lead", title: "Customer Strategy and Services Lead", role: "panel-member", chair: false },
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

  // 13.1-13.2: restrictions are reviewed every 3 months and lifted if there have been no further instances;
  // an extension is "for a further 3 months", so a restriction runs for 3 months at a time.
  expiry: { default: { count: 3, unit: "months" }, byCategory: {} },

  review: {
    interval: { count: 3, unit: "months" }, // 3.1, 13.1
    approver: "the Determination Team", // 12.2: the team takes the decision to restrict
    extension: { count: 3, unit: "months" }, // 13.2
    afterNewIncident: null,
    removeWhenNoNewIncidents: true, // 13.1: "If there have been no further instances ... the restriction will be lifted"
    considerPositiveContact: null,
    ongoingCircumstancesNeedJustification: null,
    tellCustomerOfRemoval: "where-possible", // 13.1: "and the customer advised, where possible"
    tellCustomerOfExtension: "where-possible", // 13.2
  },

  // 10: informal warnings by staff; 11: formal warning in writing by the Determination Team; 12.1: serious cases
  // may be restricted without warnings.
  warnings: {
    steps: [
      { step: "verbal", label: "Informal warning from staff", withRestrictions: false },
      { step: "formal-written", label: "Formal warning in writing from the Determination Team", withRestrictions: false },
    ],
    bypassCategories: ["verbal-threat", "physical-violence-no-injury", "physical-assault"],
    bypassTo: "restriction",
  },
  // 12.3: the only exceptions to a full Health and Safety investigation before restricting.
  immediateRestriction: {
    grounds: [
      { id: "credible-threat-to-harm", description: "a credible threat to harm staff or customers during the customer's interactions" },
      { id: "threat-to-damage-premises", description: "threats to damage council premises" },
      { id: "police-advice", description: "the police advise it" },
    ],
  },

  appeal: {
    route: "complaints-process", // 11.4, 17.1: the complaints process, then the Ombudsman
    window: null,
    windowStartsFrom: null,
    decisionDeadline: null,
    decidedBy: [],
    investigatedBy: null,
    deciderMustNotHaveBeenInvolved: null,
    grounds: null,
    entryStaysInForce: null,
    noteOnEntry: null,
    ombudsman: true, // 17.1
  },

  retention: { afterRemoval: null },

  access: {
    roles: {
      officer: sees("summary"),
      manager: sees("full"),
      "panel-member": sees("full"),
      chair: sees("full"),
      "register-admin": sees("full"),
      councillor: TAKE_CARE_ONLY, // 18.1: the policy does not cover elected officials
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
    // 15.2 "Restrictions may include"; 15.4 mandatory services only as a last resort; 16.1 filed correspondence
    // is still read for new information and safeguarding.
    catalogue: [
      offer("single-point-of-contact", "Contact restricted to a named officer or generic inbox"),
      offer(
        "correspondence-filed-without-acknowledgement",
        "Correspondence read and placed on file without acknowledgement or reply (still checked for new information and safeguarding)",
      ),
      offer("building-ban", "Restricted physical access to council offices"),
      offer("single-channel", "Written contact only, with any agreed reasonable adjustments"),
      offer("contact-limit", "Restricted length and frequency of telephone calls"),
      offer("discretionary-services-restricted", "Restricted access to discretionary services"),
      offer("mandatory-service-withdrawn", "Mandatory service withdrawn, as a last resort (for example homelessness)", { lastResort: true }),
    ],
    mayApplyToOneServiceArea: true, // 15.1: restrict access to the service subject to the unreasonable actions
  },

  letters: {
    types: {
      warning: letter11_4(),
      restriction: letter11_4(),
      "legal-cease-and-desist": null,
      "review-outcome": null,
      "appeal-outcome": null,
      "divert-notice": null,
    },
    holdAtReceptionWhenNoFixedAddress: true, // 11.3: "a letter will be available at reception"
    legalLetterForRisk: null,
  },

  premises: { enabled: false, indefinite: null, ownerNotified: null },
  markerNotifications: null,
  emailDivert: null,
  reporting: { cadence: null, to: null },
  incidentReports: { multiContactCategories: null },

  sources: {
    decisionBody: "West Lindsey 11.2",
    expiry: "West Lindsey 13.1-13.2",
    review: "West Lindsey 13.1",
    "review.interval": "West Lindsey 13.1",
    "review.approver": "West Lindsey 12.2",
    "review.extension": "West Lindsey 13.2",
    "review.tellCustomerOfExtension": "West Lindsey 13.2",
    warnings: "West Lindsey 10-11",
    "warnings.bypassCategories": "West Lindsey 12.1",
    immediateRestriction: "West Lindsey 12.3",
    appeal: "West Lindsey 17.1",
    "appeal.route": "West Lindsey 11.4",
    restrictions: "West Lindsey 15.2",
    "restrictions.catalogue.mandatory-service-withdrawn": "West Lindsey 15.4",
    "restrictions.catalogue.correspondence-filed-without-acknowledgement": "West Lindsey 16.1",
    "restrictions.mayApplyToOneServiceArea": "West Lindsey 15.1",
    "letters.types.warning": "West Lindsey 11.4",
    "letters.types.restriction": "West Lindsey 12.4",
    "letters.holdAtReceptionWhenNoFixedAddress": "West Lindsey 11.3",
    "access.roles.councillor": "West Lindsey 18.1",
  },

  notes: {
    "incidentReports.multiContactCategories": "The policy does not say one report can cover many contacts, so each contact is reported on its own.",
    "register.name": "The policy names no register: it records restrictions on contact (12-15).",
    "register.shortName": "The policy names no register.",
    "decisionBody.quorum": "The Determination Team \"will reach their own conclusion\" (11.2); no quorum is set.",
    "decisionBody.majority": "The policy does not say how the Determination Team reaches a decision; record the team's decision.",
    "decisionBody.tieBreak": "No voting rule is set (11.2).",
    "decisionBody.conflicts": "The policy has no conflict-of-interest procedure.",
    "decisionBody.emergency": "No chair's emergency power; see the immediate restriction grounds (12.3).",
    riskLevels: "The policy defines no risk levels. CALM keeps a risk level on each entry for access tiers only.",
    expiry: "Read from 13.1-13.2: restrictions are lifted at the 3-monthly review unless extended by a further 3 months.",
    "review.afterNewIncident": "The policy does not say a new incident moves the review; the 3-monthly review weighs it (13.2).",
    "review.considerPositiveContact": "The policy does not mention positive contact at review.",
    "review.ongoingCircumstancesNeedJustification": "The policy does not mention entries kept for ongoing circumstances.",
    "appeal.window":
      "No appeal as such: a customer unhappy with a warning or restriction uses the complaints process, then the Ombudsman (11.4, 17.1).",
    "appeal.windowStartsFrom": "See appeal.window.",
    "appeal.decisionDeadline": "Set by the complaints process, not by this policy.",
    "appeal.decidedBy": "Set by the complaints process, not by this policy.",
    "appeal.investigatedBy": "Set by the complaints process, not by this policy.",
    "appeal.deciderMustNotHaveBeenInvolved": "Set by the complaints process, not by this policy.",
    "appeal.grounds": "Set by the complaints process, not by this policy.",
    "appeal.entryStaysInForce": "The policy does not say.",
    "appeal.noteOnEntry": "The policy does not say.",
    "retention.afterRemoval": "The policy sets no retention period.",
    access: "The policy does not set who may see restrictions. CALM's defaults: staff see a summary, councillors and contractors \"take care\" guidance.",
    "access.roles.auditor": "Not in the policy. CALM's auditors use the audit log and subject access export, not lookups.",
    "letters.types.review-outcome": "13 says the customer is advised where possible, but not what the letter must contain.",
    "letters.types.appeal-outcome": "Challenges go through the complaints process.",
    "letters.types.divert-notice": "The policy has no email divert.",
    "letters.legalLetterForRisk": "14.3: legal restrictions follow legal advice; no letter contents are set.",
    premises: "The policy covers customers and their representatives (5), not premises.",
    markerNotifications: "The policy does not mention service markers on other systems.",
    emailDivert: "The policy has no email divert.",
    "reporting.cadence": "The policy sets no reporting cadence.",
    "decisionBody.membersMaySendDeputy": "The policy does not say whether a member can send a deputy.",
    "decisionBody.meetsEvery": "The policy sets no meeting cycle for the Determination Team.",
    "decisionBody.complexCasesApprovedBy": "The Determination Team decides every case.",
    "decisionBody.recordHealthConsidered": "The team explores reasonable adjustments (11.2), but the policy asks for no record of health considerations.",
    "letters.types.warning": "11.4 lists the contents; it names no sender and no questionnaire.",
    "letters.types.restriction": "11.4 and 12.4 set the contents; they name no sender and no questionnaire.",
    "letters.types.legal-cease-and-desist": "14.3: legal restrictions follow legal advice; no letter contents are set.",
    "reporting.to": "The policy names no one to report to.",
  },
};
