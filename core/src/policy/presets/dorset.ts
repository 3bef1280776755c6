// Dorset Council — Managing Customer Behaviour Protocol (reviewed December 2024).
// Source: /work/shared/policies/000_5d2b3d16e2a59f25.txt. Section numbers below are the protocol's.

import type { PolicyProfile } from "../schema";
import { NO_LOOKUP, TAKE_CARE_ONLY, offer, sees, seesTiers } from "./common";

export const dorset: PolicyProfile = {
  id: "dorset",
  council: "Dorset Council",
  citeAs: "Dorset",
  policy: { title: "Managing Customer Behaviour Protocol", version: "reviewed 16 December 2024" },

  // 4.1-4.2: "a schedule of those individuals ... maintained by the Unreasonable Behaviours Panel".
  register: { name: "Unreasonable Behaviours schedule", shortName: null },

  decisionBody: {
    name: "the Unreasonable Behaviours Panel",
    mode: "panel",
    // 4.3: six members; the Service Manager for Assurance chairs.
    members: [
      { id: "service-manager-assurance", title: "Service Manager for Assurance", role: "chair", chair: true },
      { id: "senior-assurance-officer-complaints", title: "Senior Assurance Officer Complaints", role: "panel-member", chair: false },
      { id: "health-and-safety-manager", title: "Health and Safety Manager", role: "panel-member", chair: false },
      { id: "business-manager-customer-services", title: "Business Manager Customer Services", role: "panel-member", chair: false },
      { id: "head-of-specialist-services-asc", title: "Head of Specialist Services, Adult Social Care", role: "panel-member", chair: false },
      { id: "equality-and-diversity-network-rep", title: "Representative of the Equality and Diversity Network", role: "panel-member", chair: false },
    ],
    membersMaySendDeputy: true, // 4.4: "a suitably briefed deputy to attend on their behalf"
    meetsEvery: { count: 1, unit: "months" }, // 4.3: "will meet monthly ... or more regularly"
    quorum: 4, // 4.4: "The quorate for decision making will be four panel members"
    majority: { basis: "votes-cast", minimumInFavour: null }, // 4.9: "based on a majority vote (four panel members)"
    tieBreak: null, // silent: a tie goes back to the chair
    conflicts: { ruledBy: "the Panel chair", inTheirAbsence: "the Monitoring Officer" }, // 4.5
    // 4.13.2: the chair may add a High risk individual at once, for ratification at the next panel; in the
    // chair's absence the decision goes to the Director for Legal and Democratic.
    emergency: { riskLevels: ["high"], deputy: "the Director for Legal and Democratic", ratification: "next-meeting" },
    complexCasesApprovedBy: null,
    recordHealthConsidered: true, // 4.10: health issues considered first, recorded in the decision record
  },

  riskLevels: {
    // 4.9: the three definitions sit above LOW, MEDIUM and HIGH RISK in that order.
    levels: {
      low: {
        label: "Low risk",
        definition:
          "Vexatious: causing or tending to cause annoyance, frustration, or worry. A person who uses abusive language and is generally rude.",
      },
      medium: {
        label: "Medium risk",
        definition:
          "Threatening behaviour: a statement of an intention to inflict pain, injury, damage, or other hostile action on someone in retribution for something done or not done.",
      },
      high: {
        label: "High risk",
        definition: "Violence: any incident in which a person is abused, threatened or assaulted in circumstances relating to their work.",
      },
    },
    // Appendix A: the Health and Safety Executive definitions the panel uses to assess risk.
    guidanceDefinitions: [
      { term: "Violence", definition: "Any incident in which a person is abused, threatened or assaulted in circumstances relating to their work." },
      { term: "Aggression", definition: "Feelings of anger or antipathy resulting in hostile or violent behaviour; readiness to attack or confront." },
      {
        term: "Harassment",
        definition: "The act of systematic and/or continued unwanted and annoying actions of one party or a group, including threats and demands.",
      },
    ],
  },

  // 4.13.1, 4.13.3: "the record will be removed after 12 months as long as there is no repeat behaviour".
  expiry: { default: { count: 12, unit: "months" }, byCategory: {} },

  review: {
    interval: { count: 12, unit: "months" }, // 4.2, 5.1: reviewed after 12 months by the panel
    approver: "the Unreasonable Behaviours Panel", // 5.1
    extension: { count: 12, unit: "months" }, // 4.2: renewals considered on a twelve-monthly basis
    afterNewIncident: "bring-forward", // 8.1: if behaviours do not improve the matter is referred back to the panel
    removeWhenNoNewIncidents: true, // 4.13.1: removed after 12 months "as long as there is no repeat behaviour"
    considerPositiveContact: null,
    ongoingCircumstancesNeedJustification: null,
    tellCustomerOfRemoval: "never", // 5.1: "Removal from the list will not be communicated to the perpetrator"
    tellCustomerOfExtension: null,
  },

  warnings: null, // 4.8: no ladder; the panel may suggest a letter setting out expected behaviours first
  immediateRestriction: null, // emergencies go through the chair (4.13.2)

  appeal: {
    route: "appeal",
    window: { count: 28, unit: "working-days" }, // 6.1: "in writing within 28 working days of the notification"
    windowStartsFrom: "notification",
    decisionDeadline: null,
    decidedBy: [
      "the Monitoring Officer",
      "the Deputy Monitoring Officer",
      "a legal services representative identified by the Monitoring Officer",
    ], // 6.1
    investigatedBy: null,
    deciderMustNotHaveBeenInvolved: null,
    grounds: [
      "this protocol has not been followed",
      "the decision was unreasonable",
      "circumstances or evidence since the panel's decision may need a further review",
    ], // 6.1 i-iii
    entryStaysInForce: true, // 6.1: "will remain on the database until the outcome of the appeal is determined"
    noteOnEntry: null,
    ombudsman: null,
  },

  retention: { afterRemoval: null },

  access: {
    roles: {
      officer: seesTiers("summary", ["medium", "high"], "hidden"), // 7.1: home visitors "Medium/High risk data only"
      manager: sees("full"), // 5.2: operations managers own individual records
      "panel-member": sees("full"), // 4.2: the panel maintains the schedule
      chair: sees("full"),
      "register-admin": sees("full"), // 5.2: Assurance is the Information Asset Owner
      councillor: sees("summary"), // 7.1: elected councillors are among the services with access
      contractor: TAKE_CARE_ONLY,
      "appeal-officer": sees("full"), // 6.1: the Monitoring Officer reviews the panel's decision
      auditor: NO_LOOKUP,
    },
    grantView: "summary", // 7.1: other services granted access by the panel on a need-to-know basis
    sensitiveDataRoles: ["panel-member", "chair"], // 4.10: health information stays with the panel
    grantedBy: "the Unreasonable Behaviours Panel", // 7.1
    grantRecordKept: true, // 7.2: record of services and individuals with access, with the rationale
    gatekeeper: null,
  },

  restrictions: {
    catalogue: [
      offer("single-point-of-contact", "Single point of contact (SPOC)"), // 4.11
      offer("email-divert", "Email divert to the SPOC address"), // 4.12
      offer("single-channel", "Permitted means of contact"), // 4.1
      offer("discretionary-services-restricted", "Restrictions to service provision"), // 4.1, 4.13.1
    ],
    mayApplyToOneServiceArea: null,
  },

  letters: {
    types: {
      // 4.8: a letter from the service "setting out expected behaviours".
      warning: { required: ["expected-behaviour"], ifRelevant: [], equalityQuestionnaire: null, sender: "the service" },
      // 4.13.1: Low / Medium risk, from the relevant Operations Manager, with an E&D questionnaire.
      restriction: {
        required: ["incident-details", "why-unreasonable", "breach-consequences", "register-entry-and-removal", "appeal-rights"],
        ifRelevant: ["single-point-of-contact", "contact-restrictions", "service-restrictions"],
        equalityQuestionnaire: true,
        sender: "the relevant Operations Manager (or equivalent)",
      },
      // 4.13.3: High risk, drafted and sent by a Legal Services representative.
      "legal-cease-and-desist": {
        required: ["incident-details", "why-unreasonable", "cease-and-desist", "breach-consequences", "register-entry-and-removal", "appeal-rights"],
        ifRelevant: ["single-point-of-contact", "contact-restrictions", "service-restrictions"],
        equalityQuestionnaire: null,
        sender: "a Legal Services representative",
      },
      "review-outcome": null, // 5.1: removal is not communicated
      "appeal-outcome": null,
      // 4.11-4.12: the customer is given the SPOC's contact details and told a divert is in place.
      "divert-notice": { required: ["divert-in-place", "single-point-of-contact"], ifRelevant: [], equalityQuestionnaire: null, sender: null },
    },
    holdAtReceptionWhenNoFixedAddress: null,
    legalLetterForRisk: ["high"], // 4.13.3
  },

  premises: { enabled: true, indefinite: null, ownerNotified: null }, // 7.1: risk levels for "specific addresses"
  markerNotifications: null,
  emailDivert: { wardCouncillorsChoose: true, customerTold: true }, // 4.12
  reporting: { cadence: null, to: null },
  incidentReports: { multiContactCategories: null },

  sources: {
    "register.name": "Dorset 4.1",
    decisionBody: "Dorset 4.3",
    "decisionBody.membersMaySendDeputy": "Dorset 4.4",
    "decisionBody.meetsEvery": "Dorset 4.3",
    "decisionBody.quorum": "Dorset 4.4",
    "decisionBody.majority": "Dorset 4.9",
    "decisionBody.conflicts": "Dorset 4.5",
    "decisionBody.emergency": "Dorset 4.13.2",
    "decisionBody.recordHealthConsidered": "Dorset 4.10",
    riskLevels: "Dorset 4.9",
    "riskLevels.guidanceDefinitions": "Dorset Appendix A",
    expiry: "Dorset 4.13.1",
    "review.interval": "Dorset 5.1",
    "review.approver": "Dorset 5.1",
    "review.extension": "Dorset 4.2",
    "review.afterNewIncident": "Dorset 8.1",
    "review.removeWhenNoNewIncidents": "Dorset 4.13.1",
    "review.tellCustomerOfRemoval": "Dorset 5.1",
    warnings: "Dorset 4.8",
    appeal: "Dorset 6.1",
    access: "Dorset 7.1",
    "access.grantRecordKept": "Dorset 7.2",
    "access.sensitiveDataRoles": "Dorset 4.10",
    restrictions: "Dorset 4.1",
    "restrictions.catalogue.single-point-of-contact": "Dorset 4.11",
    "restrictions.catalogue.email-divert": "Dorset 4.12",
    "restrictions.catalogue.discretionary-services-restricted": "Dorset 4.13.1",
    "letters.types.warning": "Dorset 4.8",
    "letters.types.restriction": "Dorset 4.13.1",
    "letters.types.legal-cease-and-desist": "Dorset 4.13.3",
    "letters.types.review-outcome": "Dorset 5.1",
    "letters.types.divert-notice": "Dorset 4.12",
    "letters.legalLetterForRisk": "Dorset 4.13.3",
    premises: "Dorset 7.1",
    emailDivert: "Dorset 4.12",
  },

  notes: {
    "incidentReports.multiContactCategories": "The policy does not say one report can cover many contacts, so each contact is reported on its own.",
    "register.shortName": "The protocol uses no abbreviation for the schedule.",
    "decisionBody.majority":
      "4.9 says inclusion is \"based on a majority vote (four panel members)\". Read with 4.4 (quorum of four) as a majority of the votes cast by a quorate panel. A council that reads it as four votes in favour can set minimumInFavour to 4.",
    "decisionBody.tieBreak": "The protocol gives the chair no casting vote. A tie goes back to the chair to resolve at the meeting.",
    "decisionBody.complexCasesApprovedBy": "Every case goes to the panel; there is no separate approver for complex cases.",
    "review.afterNewIncident":
      "Read from 8.1: when behaviours do not improve the matter is referred back to the panel, so a new incident brings the review forward.",
    "review.considerPositiveContact": "The protocol does not say whether positive contact counts at review.",
    "review.ongoingCircumstancesNeedJustification": "The protocol does not mention entries kept for ongoing circumstances.",
    "review.tellCustomerOfExtension": "The protocol does not say whether the customer is told of a renewal.",
    warnings:
      "No warning ladder. 4.8: inclusion is exceptional; the service can first send a letter setting out expected behaviours, and the panel may suggest this.",
    immediateRestriction: "No separate immediate-restriction grounds; high risk emergencies go to the chair (4.13.2).",
    "appeal.decisionDeadline": "The protocol sets no deadline for deciding an appeal.",
    "appeal.investigatedBy": "The protocol names no separate investigator.",
    "appeal.deciderMustNotHaveBeenInvolved":
      "The protocol sends appeals to the Monitoring Officer, who is not a panel member, but does not state an independence rule.",
    "appeal.noteOnEntry": "The protocol does not say an appeal note is added to the entry.",
    "appeal.ombudsman": "The protocol does not mention external review by the Ombudsman.",
    "retention.afterRemoval": "The protocol sets no retention period after removal.",
    "access.gatekeeper": "Councillors have access themselves (7.1); no gatekeeper is named.",
    "access.roles.contractor": "Contractors are not among the services with access in 7.1; CALM gives them \"take care\" guidance only.",
    "access.roles.auditor": "Not in the protocol. CALM's auditors use the audit log and subject access export, not lookups.",
    "restrictions.mayApplyToOneServiceArea": "The protocol does not say whether restrictions can be limited to one service.",
    "letters.types.legal-cease-and-desist": "4.13.3 does not say whether the E&D questionnaire goes with the legal letter.",
    "letters.types.restriction":
      "4.13.1's \"Outline the process for review\" is read as the review of panel decisions in section 6, which is the appeal.",
    "letters.types.appeal-outcome": "The protocol does not set the contents of an appeal outcome letter.",
    "letters.holdAtReceptionWhenNoFixedAddress": "The protocol does not cover customers with no fixed address.",
    "premises.indefinite": "The protocol does not say whether an address can stay on the schedule indefinitely.",
    "premises.ownerNotified": "The protocol does not say whether the owner of an address is told.",
    markerNotifications: "The protocol does not mention service markers on other systems.",
    "reporting.cadence": "The protocol sets no reporting cadence (the panel meets monthly, 4.3).",
    "letters.types.warning": "4.8 gives the letter's purpose only; it does not say whether the questionnaire goes with it.",
    "letters.types.review-outcome": "5.1: removal is not communicated to the customer, so no review outcome letter is set.",
    "letters.types.divert-notice": "4.11-4.12 say the customer is given the SPOC's details and told of a divert, but not who sends the notice or whether a questionnaire goes with it.",
    "reporting.to": "The protocol names no one to report to.",
  },
};
