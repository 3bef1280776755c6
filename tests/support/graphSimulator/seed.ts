// The demo tenant for `npm start`: the fictional personas of the dev sign-in (same ids and addresses), their
// teams as mail-enabled groups, a SPOC shared mailbox the housing team can open and, on request, more fictional
// officers and the local Outlook stand-in's inbox (addin/src/dev/demoMailbox.ts) in Ola Officer's mailbox, with the
// same ids the stand-in gives as REST ids, so "Report this email" can copy the email from here.
import { demoMessages, ME } from "../../../addin/src/dev/demoMailbox";
import type { GraphSimulator } from "./server";

export const DEMO_DOMAIN = "calm-demo.example";

const PERSONAS: { n: number; local: string; name: string; group?: string }[] = [
  { n: 1, local: "ola.officer", name: "Ola Officer", group: "housing-team" },
  { n: 2, local: "max.manager", name: "Max Manager", group: "housing-team" },
  { n: 3, local: "pam.panel", name: "Pam Panel", group: "environmental-health" },
  { n: 4, local: "charlie.chair", name: "Charlie Chair", group: "customer-services" },
  { n: 5, local: "ada.admin", name: "Ada Admin", group: "customer-services" },
  { n: 6, local: "carys.councillor", name: "Cllr Carys Councillor" },
  { n: 7, local: "connor.contractor", name: "Connor Contractor" },
  { n: 8, local: "abe.appeals", name: "Abe Appeals" },
  { n: 9, local: "audrey.auditor", name: "Audrey Auditor" },
];

export interface DemoTenant {
  spoc: string;
  groups: Record<string, string>;
  staff: string[];
  councillors: string[];
}

export function seedDemoTenant(sim: GraphSimulator, options: { extraStaff?: number; demoMail?: boolean; today?: Date } = {}): DemoTenant {
  const t = sim.tenant;
  const members: Record<string, string[]> = { "housing-team": [], "environmental-health": [], "customer-services": [] };
  const staff: string[] = [];
  for (const p of PERSONAS) {
    const user = t.addUser({ id: `00000000-0000-4000-8000-${String(p.n).padStart(12, "0")}`, mail: `${p.local}@${DEMO_DOMAIN}`, displayName: p.name });
    staff.push(user.mail);
    if (p.group) members[p.group]!.push(user.id);
  }
  for (let i = 1; i <= (options.extraStaff ?? 24); i++) {
    const user = t.addUser({ mail: `housing.officer${String(i).padStart(3, "0")}@${DEMO_DOMAIN}`, displayName: `Housing Officer ${i}` });
    staff.push(user.mail);
    members["housing-team"]!.push(user.id);
  }
  const councillors = ["cllr.ward.one", "cllr.ward.two"].map((local) => t.addUser({ mail: `${local}@${DEMO_DOMAIN}` }).mail);
  const spoc = t.addUser({ mail: `housing.spoc@${DEMO_DOMAIN}`, displayName: "Housing single point of contact" }).mail;
  // The SPOC inbox is a shared mailbox: the housing team's personas can open it.
  for (const local of ["ola.officer", "max.manager"]) t.grantMailboxAccess(spoc, `${local}@${DEMO_DOMAIN}`);
  if (options.demoMail) {
    for (const m of demoMessages(options.today)) {
      t.addMessage(ME.emailAddress, {
        id: m.id,
        from: m.from.emailAddress,
        fromName: m.from.displayName,
        to: m.to.map((a) => a.emailAddress),
        cc: m.cc.map((a) => a.emailAddress),
        subject: m.subject,
        body: m.body,
        receivedDateTime: m.receivedAt,
        internetMessageId: m.internetMessageId,
      });
    }
  }
  const groups: Record<string, string> = {};
  for (const [name, ids] of Object.entries(members)) groups[name] = t.addGroup({ mail: `${name}@${DEMO_DOMAIN}`, displayName: name, members: ids }).mail;
  return { spoc, groups, staff, councillors };
}
