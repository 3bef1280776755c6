// Access to the register (Dorset 7.1-7.2, West Oxfordshire UCBR): who may see which risk levels beyond their role, why, who agreed it and
// until when. Revoked grants stay listed: the record of who had access is kept.
import { useCallback, useEffect, useState } from "react";
import { Badge, Button, Checkbox, Field, Input, makeStyles, Radio, RadioGroup, Select, Textarea, tokens } from "@fluentui/react-components";
import type { Grant, Principal } from "../api/types";
import { usePortal } from "../app/context";
import { DataTable } from "../components/DataTable";
import { Done, ErrorSummary, formatDate, formatWhen, Loading, PageTitle, Problem, problemsFrom, ukToday, type FieldProblem } from "../components/ui";

const ROLE_CHOICES = [
  ["officer", "Officers"], ["manager", "Managers"], ["panel-member", "Panel members"], ["chair", "Chairs"], ["register-admin", "Register administrators"],
  ["councillor", "Councillors"], ["contractor", "Contractors"], ["appeal-officer", "Appeal officers"], ["auditor", "Auditors"],
] as const;

const useStyles = makeStyles({
  section: { marginTop: tokens.spacingVerticalXXL, maxWidth: "46rem" },
  form: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalM, marginTop: tokens.spacingVerticalM },
  row: { display: "flex", gap: tokens.spacingHorizontalM, flexWrap: "wrap", alignItems: "flex-end" },
  grow: { flex: "1 1 14rem" },
  fieldset: { border: "none", padding: 0, margin: 0 },
  legend: { fontWeight: tokens.fontWeightSemibold, padding: 0, marginBottom: tokens.spacingVerticalXS },
  actions: { display: "flex", gap: tokens.spacingHorizontalM, alignItems: "center", flexWrap: "wrap" },
  muted: { color: tokens.colorNeutralForeground2 },
});

export function AccessPage() {
  const { api, meta } = usePortal();
  const styles = useStyles();
  const [grants, setGrants] = useState<Grant[] | undefined>();
  const [error, setError] = useState<unknown>();
  const [revoking, setRevoking] = useState<Grant | undefined>();
  const [notice, setNotice] = useState<string | undefined>();
  const load = useCallback(() => api.grants().then((r) => setGrants(r.grants), setError), [api]);
  useEffect(() => { void load(); }, [load]);
  const canManage = meta.can["grants.manage"] === true;
  const tiers = (g: Grant) => g.tiers.map((t) => `${t[0]!.toUpperCase()}${t.slice(1)}`).join(", ") + (g.includesPremises ? ", and premises" : "");

  return (
    <>
      <PageTitle lead="People keep the access their role gives. A grant adds risk levels for a group, a role or a person, with the reason recorded.">Access to the register</PageTitle>
      {notice ? <Done title={notice} /> : null}
      {error ? <Problem error={error} title="We could not load the access grants" /> : null}
      {!grants && !error ? <Loading label="Loading access grants" /> : null}
      {grants ? (
        <DataTable
          caption="Access grants, newest first"
          rows={grants}
          rowKey={(g) => g.id}
          emptyText="No access grants yet: everyone sees what their role allows."
          filterLabel="Filter grants"
          columns={[
            { id: "who", label: "Who", render: (g) => <>{g.principal.displayName}<br /><span className={styles.muted}>{g.principal.kind === "group" ? "Group" : g.principal.kind === "role" ? "Role" : "Person"}</span></>, text: (g) => `${g.principal.displayName} ${g.principal.kind}` },
            { id: "tiers", label: "May see", render: tiers, text: tiers },
            { id: "why", label: "Why", render: (g) => g.rationale, text: (g) => g.rationale },
            { id: "by", label: "Granted by", render: (g) => <>{g.grantedBy.displayName}<br /><span className={styles.muted}>{formatWhen(g.grantedAt)}</span></>, text: (g) => g.grantedBy.displayName, sortValue: (g) => g.grantedAt },
            { id: "ends", label: "Ends", render: (g) => (g.expiresOn ? formatDate(g.expiresOn) : "No end date"), text: (g) => g.expiresOn ?? "" },
            {
              id: "status",
              label: "Status",
              render: (g) => (g.active ? <Badge appearance="tint" color="success">In force</Badge> : <>{g.revokedAt ? `Revoked by ${g.revokedBy?.displayName ?? "someone"} on ${formatWhen(g.revokedAt)}${g.revocationReason ? `: ${g.revocationReason}` : ""}` : "Ended"}</>),
              text: (g) => (g.active ? "in force" : "revoked ended"),
            },
            ...(canManage ? [{ id: "action", label: "Action", sortable: false, render: (g: Grant) => (g.active ? <Button size="small" onClick={() => { setRevoking(g); setNotice(undefined); }}>{`Revoke access for ${g.principal.displayName}`}</Button> : null) }] : []),
          ]}
        />
      ) : null}
      {revoking ? <RevokeForm grant={revoking} onDone={(msg) => { setRevoking(undefined); if (msg) setNotice(msg); void load(); }} /> : null}
      {canManage ? <GrantForm onDone={(msg) => { setNotice(msg); void load(); }} /> : null}
    </>
  );
}

function RevokeForm({ grant, onDone }: { grant: Grant; onDone: (message?: string) => void }) {
  const { api } = usePortal();
  const styles = useStyles();
  const [reason, setReason] = useState("");
  const [problems, setProblems] = useState<FieldProblem[]>([]);
  const [failure, setFailure] = useState<unknown>();
  const submit = async () => {
    if (reason.trim().length < 3) { setProblems([{ fieldId: "revoke-reason", message: "Say why access is being revoked" }]); return; }
    try {
      await api.revokeGrant(grant.id, reason.trim());
      onDone(`Access revoked for ${grant.principal.displayName}.`);
    } catch (e) {
      setFailure(e);
    }
  };
  return (
    <section className={styles.section} aria-labelledby="revoke-heading">
      <h2 id="revoke-heading">{`Revoke access for ${grant.principal.displayName}`}</h2>
      <ErrorSummary problems={problems} />
      {failure ? <Problem error={failure} title="Access was not revoked" /> : null}
      <form className={styles.form} onSubmit={(e) => { e.preventDefault(); void submit(); }}>
        <Field label="Why is access being revoked?" required validationMessage={problems[0]?.message}>
          <Textarea id="revoke-reason" value={reason} onChange={(_, d) => setReason(d.value)} maxLength={1000} />
        </Field>
        <div className={styles.actions}>
          <Button appearance="primary" type="submit">Revoke access</Button>
          <Button onClick={() => onDone()}>Cancel</Button>
        </div>
      </form>
    </section>
  );
}

function GrantForm({ onDone }: { onDone: (message: string) => void }) {
  const { api, meta } = usePortal();
  const styles = useStyles();
  const [kind, setKind] = useState<"directory" | "role">("directory");
  const [search, setSearch] = useState("");
  const [found, setFound] = useState<Principal[] | undefined>();
  const [pick, setPick] = useState("");
  const [role, setRole] = useState("");
  const [tiers, setTiers] = useState<string[]>([]);
  const [premises, setPremises] = useState(false);
  const [rationale, setRationale] = useState("");
  const [expires, setExpires] = useState("");
  const [problems, setProblems] = useState<FieldProblem[]>([]);
  const [failure, setFailure] = useState<unknown>();
  const [busy, setBusy] = useState(false);

  const find = async () => {
    setFailure(undefined);
    if (search.trim().length < 2) { setProblems([{ fieldId: "grant-search", message: "Enter at least two letters of a name" }]); return; }
    try {
      const res = await api.searchDirectory(search.trim());
      setFound(res.principals);
      setPick(res.principals.length === 1 ? res.principals[0]!.id : "");
      setProblems([]);
    } catch (e) {
      setFailure(e);
    }
  };

  const submit = async () => {
    const out: FieldProblem[] = [];
    const chosen = found?.find((p) => p.id === pick);
    if (kind === "directory" && !chosen) out.push({ fieldId: "grant-search", message: "Find and choose a person or group" });
    if (kind === "role" && !role) out.push({ fieldId: "grant-role", message: "Choose a role" });
    if (tiers.length === 0) out.push({ fieldId: "grant-tier-high", message: "Choose at least one risk level" });
    if (rationale.trim().length < 10) out.push({ fieldId: "grant-rationale", message: "Say why they need access (at least 10 characters)" });
    if (expires && expires < ukToday()) out.push({ fieldId: "grant-expires", message: "The end date must be today or later" });
    setProblems(out);
    setFailure(undefined);
    if (out.length > 0) return;
    const principal = kind === "role"
      ? { kind: "role" as const, id: role, displayName: ROLE_CHOICES.find(([id]) => id === role)![1] }
      : { kind: chosen!.kind, id: chosen!.id, displayName: chosen!.displayName };
    setBusy(true);
    try {
      await api.grant({ principal, tiers, includesPremises: premises, rationale: rationale.trim(), ...(expires ? { expiresOn: expires } : {}) });
      onDone(`Access given to ${principal.displayName}.`);
      setSearch(""); setFound(undefined); setPick(""); setRole(""); setTiers([]); setPremises(false); setRationale(""); setExpires("");
    } catch (e) {
      const fromServer = problemsFrom(e, { principal: "grant-search", tiers: "grant-tier-high", rationale: "grant-rationale", expiresOn: "grant-expires" }, "grant-rationale");
      setProblems(fromServer);
      setFailure(fromServer.length ? undefined : e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className={styles.section} aria-labelledby="grant-heading">
      <h2 id="grant-heading">Give access</h2>
      <ErrorSummary problems={problems} />
      {failure ? <Problem error={failure} title="Access was not given" /> : null}
      <form className={styles.form} noValidate onSubmit={(e) => { e.preventDefault(); void submit(); }}>
        <fieldset className={styles.fieldset}>
          <legend className={styles.legend}>Give access to</legend>
          <RadioGroup value={kind} onChange={(_, d) => setKind(d.value === "role" ? "role" : "directory")} aria-label="Give access to">
            <Radio value="directory" label="A person or a group" />
            <Radio value="role" label="Everyone with a CALM role" />
          </RadioGroup>
        </fieldset>
        {kind === "directory" ? (
          <>
            <div className={styles.row}>
              <Field className={styles.grow} label="Name of the person or group" validationMessage={problems.find((p) => p.fieldId === "grant-search")?.message}>
                <Input id="grant-search" value={search} onChange={(_, d) => setSearch(d.value)} onKeyDown={(e) => { if (e.key === "Enter") { e.preventDefault(); void find(); } }} />
              </Field>
              <Button onClick={() => void find()}>Find</Button>
            </div>
            {found && found.length === 0 ? <p role="status">Nobody in the directory matches. Check the spelling.</p> : null}
            {found && found.length > 0 ? (
              <RadioGroup value={pick} onChange={(_, d) => setPick(d.value)} aria-label="Choose the person or group">
                {found.map((p) => <Radio key={p.id} value={p.id} label={`${p.displayName} (${p.kind === "group" ? "group" : "person"}${p.detail ? `: ${p.detail}` : ""})`} />)}
              </RadioGroup>
            ) : null}
          </>
        ) : (
          <Field label="Role" validationMessage={problems.find((p) => p.fieldId === "grant-role")?.message}>
            <Select id="grant-role" value={role} onChange={(_, d) => setRole(d.value)}>
              <option value="">Choose a role</option>
              {ROLE_CHOICES.map(([id, label]) => <option key={id} value={id}>{label}</option>)}
            </Select>
          </Field>
        )}
        <fieldset className={styles.fieldset}>
          <legend className={styles.legend}>Which risk levels may they see?</legend>
          <div className={styles.row}>
            {[...meta.choices.riskLevels].reverse().map((r) => (
              <Checkbox key={r.id} id={`grant-tier-${r.id}`} label={r.label} checked={tiers.includes(r.id)} onChange={(_, d) => setTiers(d.checked === true ? [...tiers, r.id] : tiers.filter((t) => t !== r.id))} />
            ))}
          </div>
          {meta.choices.premisesEnabled ? <Checkbox id="grant-premises" label="Premises risks too" checked={premises} onChange={(_, d) => setPremises(d.checked === true)} /> : null}
        </fieldset>
        <Field label="Why do they need access?" hint="This is kept with the grant, as the record of who has access and why." required validationMessage={problems.find((p) => p.fieldId === "grant-rationale")?.message}>
          <Textarea id="grant-rationale" value={rationale} onChange={(_, d) => setRationale(d.value)} maxLength={2000} />
        </Field>
        <Field label="End date (optional)" validationMessage={problems.find((p) => p.fieldId === "grant-expires")?.message}>
          <Input id="grant-expires" type="date" value={expires} min={ukToday()} onChange={(_, d) => setExpires(d.value)} />
        </Field>
        <div className={styles.actions}>
          <Button appearance="primary" type="submit" disabled={busy}>Give access</Button>
          {busy ? <Loading label="Saving" /> : null}
        </div>
      </form>
    </section>
  );
}
