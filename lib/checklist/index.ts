// The go-live checklist: the integration card's test plan, ticked by itself from the captured
// flows, each item linking to the flow or message it stands on. Pure and deterministic: time
// comes in as `now`, SCIM answers come in as plain lookups; no browser API.
//
//   idp-initiated      a sign-in from the My Apps tile reached the access portal (A5.1, B4.3, B4.4)
//   sp-initiated       a sign-in started at the access portal reached it again (A5.1, A4.1, A4.2)
//   attributes         email, first and last name and the expected AccessControl keys arrive (B2.1, B2.2, A8.1)
//   mfa                a response shows MFA (authnmethodsreferences / AuthnContextClassRef; see MFA below)
//   unassigned-denied  Entra stopped an unassigned user with AADSTS50105 before AWS (B5, D2.1)
//   certificate        the signing certificate has more than 30 days left (A9.3, A9.1)
//   scim-users         the users who signed in exist in Identity Center, when SCIM is set up (A1.3, A1.4)
import { messageLabels } from '../report/labels.ts';
import type { AnalysisResult, AnalyzedMessage } from '../analyze.ts';
import { EXPIRY_WARNING_DAYS } from '../checks/certificate-expiring.ts';
import { AWS_IDP_CERT, ENTRA_CERT, ENTRA_CLAIMS, ENTRA_USERS_GROUPS } from '../checks/fixes.ts';
import { ACCESS_CONTROL_PREFIX, attributeValue, EMAIL_CLAIMS, parseAccessControlName } from '../checks/util.ts';
import type { AssertionInfo } from '../saml/model.ts';
import { describeCertificate, isCertificateError, type CertificateInfo } from '../signature/cert.ts';
import type { Flow, PageError } from '../types.ts';
import { judgeSignIn, portalStart, type SignInOutcome } from './signin.ts';
import {
  CHECKLIST_STATUSES,
  type Checklist,
  type ChecklistEvidence,
  type ChecklistInput,
  type ChecklistItem,
  type ChecklistStatus,
  type ScimUserLookup,
} from './types.ts';

export * from './types.ts';
export { judgeSignIn, portalStart, type SignInOutcome, type SignInResult } from './signin.ts';
export { scimLookupsFromCrossChecks } from './scim.ts';
export { checklistSummary } from './summary.ts';

// ---- claims ---------------------------------------------------------------------------------

/** Entra's default first / last name claims for gallery apps (FACTS B2.2), and their short forms. */
export const GIVEN_NAME_CLAIMS = ['http://schemas.xmlsoap.org/ws/2005/05/identity/claims/givenname', 'givenName', 'given_name', 'firstName'];
export const SURNAME_CLAIMS = ['http://schemas.xmlsoap.org/ws/2005/05/identity/claims/surname', 'surname', 'familyName', 'family_name', 'lastName'];

// ---- MFA ------------------------------------------------------------------------------------
// Not yet in FACTS.md (proposed there as B2.9). Microsoft's SAML token claims reference
// (https://learn.microsoft.com/en-us/entra/identity-platform/reference-saml-tokens, "Authentication
// Method", [DOC]) says how the user authenticated is written as an AuthnContextClassRef; Entra's
// MFA documentation names http://schemas.microsoft.com/claims/multipleauthn as the value that means
// "MFA was done" ([DOC] https://learn.microsoft.com/en-us/entra/identity/authentication/how-to-mfa-expected-inbound-assertions,
// for tokens Entra receives). That Entra's own SAML tokens list it in the
// http://schemas.microsoft.com/claims/authnmethodsreferences claim after MFA (next to …/password)
// is [OBS] (e.g. https://sysosx.com/index.php/2025/03/01/how-to-verify-mfa-claims-in-security-tokens-with-entra-id).
// So MFA is only ever ticked from this value, never failed from its absence.
export const AUTHN_METHODS_CLAIM = 'http://schemas.microsoft.com/claims/authnmethodsreferences';
export const MULTIPLE_AUTHN = 'http://schemas.microsoft.com/claims/multipleauthn';
/** AADSTS codes that mean Entra asked for MFA (FACTS B5: 50076 MFA required, 50079 MFA registration required). */
const MFA_REQUIRED_CODES = new Set(['50076', '50079']);

// ---- helpers --------------------------------------------------------------------------------

const DAY_MS = 86400e3;

/** "at 2026-11-25T10:00:02Z" (UTC), or "at an unknown time". */
function when(t: string | undefined): string {
  if (!t) return 'at an unknown time';
  const ms = Date.parse(t);
  return `at ${Number.isNaN(ms) ? t : new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z')}`;
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

function list(xs: string[]): string {
  if (xs.length <= 1) return xs.join('');
  return `${xs.slice(0, -1).join(', ')} and ${xs[xs.length - 1]}`;
}

function codeOf(e: PageError): string {
  return (e.code ?? '').trim().toUpperCase().replace(/^AADSTS/, '');
}

function flowEvidence(o: SignInOutcome, text: string): ChecklistEvidence {
  return { flowId: o.flow.id, ...(o.response ? { messageId: o.response.id } : {}), text };
}

function primary(m: AnalyzedMessage): AssertionInfo | undefined {
  return m.model?.kind === 'Response' ? m.model.assertions[0] : undefined;
}

function item(id: ChecklistItem['id'], title: string, facts: string[], status: ChecklistStatus, detail: string, evidence: ChecklistEvidence[] = []): ChecklistItem {
  return { id, title, status, detail, evidence, facts };
}

/** Everything the items share: the outcome of every flow's sign-in, in capture order. */
interface Ctx {
  a: AnalysisResult;
  input: ChecklistInput;
  outcomes: SignInOutcome[];
}

// ---- sign-in items (idp-initiated, sp-initiated) --------------------------------------------

/** The latest conclusive outcome decides: a failure fixed by a later success passes, and the reverse fails. */
function signInItem(
  id: 'idp-initiated' | 'sp-initiated',
  title: string,
  facts: string[],
  label: string,
  judged: SignInOutcome[],
  others: { flow: Flow; why: string }[],
  todo: string,
): ChecklistItem {
  const conclusive = judged.filter((o) => o.result !== 'unknown');
  const last = conclusive[conclusive.length - 1];
  const otherNote = others.length
    ? ` (${plural(others.length, 'other sign-in')} of this kind ${others.length === 1 ? 'was' : 'were'} captured, but ${list([...new Set(others.map((o) => o.why))])})`
    : '';
  const otherEvidence = others.map((o): ChecklistEvidence => ({ flowId: o.flow.id, text: `${o.flow.summary} (${o.why})` }));
  if (last?.result === 'pass') {
    const failedBefore = conclusive.filter((o) => o.result === 'fail').length;
    const after = failedBefore ? `, after ${plural(failedBefore, 'failed attempt')}` : '';
    return item(id, title, facts, 'pass', `${label} worked ${when(last.time)}: ${last.reason}${after}.`, [flowEvidence(last, `${last.flow.summary}: ${last.reason}`)]);
  }
  if (last?.result === 'fail') {
    const workedBefore = conclusive.some((o) => o.result === 'pass');
    const ev: ChecklistEvidence[] = [{ flowId: last.flow.id, text: last.flow.summary }];
    if (last.finding) ev.push({ flowId: last.flow.id, ...(last.finding.messageId ? { messageId: last.finding.messageId } : {}), text: `${last.finding.title} (${last.finding.checkId})` });
    else if (last.awsError) ev.push({ flowId: last.flow.id, ...(last.response ? { messageId: last.response.id } : {}), text: last.reason });
    return item(
      id,
      title,
      facts,
      'fail',
      `The latest ${label} failed ${when(last.time)}: ${last.reason}; open its flow for the finding and its fix${workedBefore ? ' (an earlier one worked)' : ''}.`,
      ev,
    );
  }
  const unknown = judged[judged.length - 1];
  if (unknown) {
    return item(
      id,
      title,
      facts,
      'pending',
      `${label} was captured ${when(unknown.time)}, but not whether it worked: ${unknown.reason}; ${todo.charAt(0).toLowerCase()}${todo.slice(1)}`,
      [flowEvidence(unknown, `${unknown.flow.summary}: ${unknown.reason}`), ...otherEvidence],
    );
  }
  return item(id, title, facts, 'pending', others.length ? `${todo.replace(/\.$/, '')}${otherNote}.` : todo, otherEvidence);
}

function idpInitiated(c: Ctx): ChecklistItem {
  const judged = c.outcomes.filter((o) => o.flow.type === 'idp-initiated' && o.flow.fromMyApps);
  const others = c.a.flows.filter((f) => f.type === 'idp-initiated' && !f.fromMyApps).map((flow) => ({ flow, why: 'not started from My Apps' }));
  return signInItem(
    'idp-initiated',
    'IdP-initiated sign-in works (from My Apps)',
    ['A5.1', 'B4.3', 'B4.4', 'A3.5'],
    'IdP-initiated sign-in from My Apps',
    judged,
    others,
    'Open the AWS IAM Identity Center tile in My Apps (https://myapps.microsoft.com) with the extension running.',
  );
}

function spInitiated(c: Ctx): ChecklistItem {
  const sp = c.outcomes.filter((o) => o.flow.type === 'sp-initiated');
  const judged: SignInOutcome[] = [];
  const others: { flow: Flow; why: string }[] = [];
  for (const o of sp) {
    const portal = portalStart(o.flow, c.a);
    if (portal) judged.push(o);
    else others.push({ flow: o.flow, why: o.flow.fromMyApps ? 'started from a My Apps tile, not at the access portal' : 'not seen to start at the access portal' });
  }
  const portalUrl = c.input.expectations?.portalUrl;
  return signInItem(
    'sp-initiated',
    'SP-initiated sign-in works (from the access portal)',
    ['A5.1', 'A4.1', 'A4.2', 'A4.4'],
    'SP-initiated sign-in from the access portal',
    judged,
    others,
    `Open the AWS access portal URL${portalUrl ? ` (${portalUrl})` : ''} in a private window and sign in with the extension running.`,
  );
}

// ---- attributes -----------------------------------------------------------------------------

/** The response the attributes are read from: the latest one AWS accepted, else the latest that looks acceptable. */
function latestGoodResponse(c: Ctx): { msg: AnalyzedMessage; outcome: SignInOutcome; accepted: boolean } | undefined {
  for (let i = c.outcomes.length - 1; i >= 0; i--) {
    const o = c.outcomes[i]!;
    if (o.result === 'pass' && o.response && primary(o.response)) return { msg: o.response, outcome: o, accepted: true };
  }
  for (let i = c.outcomes.length - 1; i >= 0; i--) {
    const o = c.outcomes[i]!;
    const m = o.response;
    if (o.result !== 'unknown' || !m?.model || m.model.kind !== 'Response') continue;
    if (m.model.status?.code && !/:Success$/.test(m.model.status.code.trim())) continue;
    if (primary(m)) return { msg: m, outcome: o, accepted: false };
  }
  return undefined;
}

function attributes(c: Ctx): ChecklistItem {
  const title = 'Attributes flow (email, first and last name, AccessControl keys)';
  const facts = ['B2.1', 'B2.2', 'A8.1', 'A8.2'];
  const keys = c.input.expectations?.expectedAccessControlKeys?.filter((k) => k.trim() !== '') ?? [];
  const r = latestGoodResponse(c);
  if (!r) {
    return item('attributes', title, facts, 'pending', 'No response AWS accepted has been captured yet: sign in once with the extension running (the Attributes & Claims are read from it).');
  }
  const as = primary(r.msg)!;
  const missing: string[] = [];
  const notes: string[] = [];
  const need: [string, string[]][] = [
    ['email', EMAIL_CLAIMS],
    ['first name', GIVEN_NAME_CLAIMS],
    ['last name', SURNAME_CLAIMS],
  ];
  for (const [label, names] of need) if (!attributeValue(as, names)) missing.push(`${label} (${names[0]})`);
  const parsed = as.attributes.map((at) => ({ at, ac: parseAccessControlName(at.name) }));
  for (const key of keys) {
    const exact = `${ACCESS_CONTROL_PREFIX}${key}`;
    if (as.attributes.some((at) => at.name === exact)) continue;
    const byCase = parsed.find((p) => p.ac?.wellFormed && p.ac.key.toLowerCase() === key.toLowerCase());
    if (byCase) {
      // IAM treats tag keys case-insensitively but keeps their case (FACTS A8.8): present, noted.
      notes.push(`AccessControl:${key} arrives as AccessControl:${byCase.ac!.key}`);
      continue;
    }
    const malformed = parsed.find((p) => p.ac && !p.ac.wellFormed && p.ac.key.trim().toLowerCase() === key.toLowerCase());
    missing.push(malformed ? `AccessControl:${key} (sent under the malformed name ${malformed.at.name}, which Identity Center ignores)` : `AccessControl:${key}`);
  }
  const which = r.accepted ? `the latest response AWS accepted (captured ${when(r.msg.capture.time)})` : `the latest response (captured ${when(r.msg.capture.time)}; whether AWS accepted it was not captured)`;
  const ev: ChecklistEvidence[] = [{ flowId: r.outcome.flow.id, messageId: r.msg.id, text: `${r.outcome.flow.summary}: the Response's AttributeStatement` }];
  if (missing.length) {
    return item('attributes', title, facts, 'fail', `Missing from ${which}: ${list(missing)}; add them in ${ENTRA_CLAIMS}.`, ev);
  }
  const got = ['email', 'first name', 'last name', ...keys.map((k) => `AccessControl:${k}`)];
  const noKeys = keys.length ? '' : '; no AccessControl keys are expected (list them in the options to check them too)';
  const noteText = notes.length ? ` (${notes.join('; ')})` : '';
  if (!r.accepted) {
    return item('attributes', title, facts, 'pending', `${which.charAt(0).toUpperCase()}${which.slice(1)} carries ${list(got)}${noKeys}${noteText}; tick it with a sign-in that reaches the access portal.`, ev);
  }
  return item('attributes', title, facts, 'pass', `${which.charAt(0).toUpperCase()}${which.slice(1)} carries ${list(got)}${noKeys}${noteText}.`, ev);
}

// ---- MFA ------------------------------------------------------------------------------------

/** Where a response shows MFA, or undefined. */
export function mfaShownBy(as: AssertionInfo | undefined): string | undefined {
  if (!as) return undefined;
  const same = (v: string | undefined) => (v ?? '').trim().toLowerCase() === MULTIPLE_AUTHN;
  for (const at of as.attributes) {
    if (at.name.trim().toLowerCase() !== AUTHN_METHODS_CLAIM) continue;
    if (at.values.some((v) => same(v.value))) return `its ${AUTHN_METHODS_CLAIM} claim lists ${MULTIPLE_AUTHN}`;
  }
  if (as.authnStatements.some((s) => same(s.authnContextClassRef))) return `its AuthnContextClassRef is ${MULTIPLE_AUTHN}`;
  return undefined;
}

function mfa(c: Ctx): ChecklistItem {
  const title = 'Step-up MFA is seen when required';
  const facts = ['B5'];
  const responses = c.a.messages.filter((m) => m.model?.kind === 'Response');
  for (let i = responses.length - 1; i >= 0; i--) {
    const m = responses[i]!;
    const where = mfaShownBy(primary(m));
    if (where) {
      return item('mfa', title, facts, 'pass', `The response captured ${when(m.capture.time)} shows MFA: ${where}.`, [
        { ...(m.flowId ? { flowId: m.flowId } : {}), messageId: m.id, text: `${messageLabels(c.a.messages).get(m.id) ?? 'Response'}: ${where}` },
      ]);
    }
  }
  const asked = c.a.flows.flatMap((f) => (f.errors ?? []).filter((e) => e.source === 'entra' && MFA_REQUIRED_CODES.has(codeOf(e))).map((e) => ({ f, e })));
  const how =
    'only needed when a Conditional Access policy requires MFA for this app: sign in as a user under that policy and complete MFA, and the response\'s authnmethodsreferences claim then lists http://schemas.microsoft.com/claims/multipleauthn.';
  if (asked.length) {
    const { f, e } = asked[asked.length - 1]!;
    return item('mfa', title, facts, 'pending', `Entra asked for MFA (${e.code}) ${when(e.time)}, but no response after MFA was captured; this is ${how}`, [
      { flowId: f.id, text: `${f.summary}: ${e.code}` },
    ]);
  }
  return item('mfa', title, facts, 'pending', `No response shows MFA yet; this is ${how}`);
}

// ---- unassigned user ------------------------------------------------------------------------

function unassignedDenied(c: Ctx): ChecklistItem {
  const title = 'An unassigned user is denied cleanly (AADSTS50105)';
  const facts = ['B5', 'D2.1'];
  const seen = c.a.flows.flatMap((f) => (f.errors ?? []).filter((e) => e.source === 'entra' && codeOf(e) === '50105').map((e) => ({ f, e })));
  const last = seen[seen.length - 1];
  if (last) {
    const corr = last.e.correlationId ? ` (Correlation Id ${last.e.correlationId})` : '';
    return item('unassigned-denied', title, facts, 'pass', `Entra stopped a user who is not assigned to the app with AADSTS50105 ${when(last.e.time)}, before AWS was reached${corr}.`, [
      { flowId: last.f.id, text: `${last.f.summary.includes('AADSTS50105') ? last.f.summary : `${last.f.summary}: ${last.e.code ?? 'AADSTS50105'}`}, on ${last.e.url}` },
    ]);
  }
  return item(
    'unassigned-denied',
    title,
    facts,
    'pending',
    `Sign in as a user who is not assigned to the app (neither directly nor through a directly assigned group, in ${ENTRA_USERS_GROUPS}) with the extension running: Entra should stop them with AADSTS50105.`,
  );
}

// ---- certificate ----------------------------------------------------------------------------

/** The readable signing certificates of a response (Response and primary Assertion signatures). */
function signingCertificates(m: AnalyzedMessage): CertificateInfo[] {
  if (m.model?.kind !== 'Response') return [];
  const sigs = [...m.model.signatures, ...(m.model.assertions[0]?.signatures ?? [])];
  const out: CertificateInfo[] = [];
  for (const s of sigs) {
    const b64 = s.certificates[0];
    if (!b64) continue;
    const info = describeCertificate(b64);
    if (!isCertificateError(info) && info.notAfter && !out.some((o) => o.base64 === info.base64)) out.push(info);
  }
  return out;
}

function certificate(c: Ctx): ChecklistItem {
  const title = `The signing certificate has more than ${EXPIRY_WARNING_DAYS} days left`;
  const facts = ['A9.3', 'A9.1'];
  const responses = c.a.messages.filter((m) => m.model?.kind === 'Response');
  for (let i = responses.length - 1; i >= 0; i--) {
    const m = responses[i]!;
    const certs = signingCertificates(m).sort((x, y) => x.notAfter!.getTime() - y.notAfter!.getTime());
    const cert = certs[0];
    if (!cert) continue;
    const left = cert.notAfter!.getTime() - c.input.now.getTime();
    const date = cert.notAfter!.toISOString().replace(/\.\d{3}Z$/, 'Z');
    const name = `${cert.subject || '(no subject)'}, SHA-1 thumbprint ${cert.sha1}`;
    const ev: ChecklistEvidence[] = [{ ...(m.flowId ? { flowId: m.flowId } : {}), messageId: m.id, text: `${messageLabels(c.a.messages).get(m.id) ?? 'Response'}: ds:X509Certificate ${name}, valid to ${date}` }];
    const at = c.input.now.toISOString().replace(/\.\d{3}Z$/, 'Z');
    if (left > EXPIRY_WARNING_DAYS * DAY_MS) {
      return item('certificate', title, facts, 'pass', `The certificate Entra signs with (${name}) is valid until ${date}: ${Math.floor(left / DAY_MS)} days left on ${at}.`, ev);
    }
    const state =
      left <= 0
        ? `expired on ${date}, ${plural(Math.floor(-left / DAY_MS), 'day')} before ${at}`
        : `expires on ${date}, ${left < DAY_MS ? 'in less than a day' : `${plural(Math.floor(left / DAY_MS), 'day')} left`} on ${at}`;
    return item(
      'certificate',
      title,
      facts,
      'fail',
      `The certificate Entra signs with (${name}) ${state}: make a new one active in ${ENTRA_CERT} and upload it to AWS at once (${AWS_IDP_CERT}), since Identity Center trusts only the certificate uploaded to it.`,
      ev,
    );
  }
  return item('certificate', title, facts, 'pending', 'No signed response has been captured yet: sign in once with the extension running (the certificate is read from its signature).');
}

// ---- SCIM -----------------------------------------------------------------------------------

function lookupFor(nameId: string, lookups: ScimUserLookup[]): ScimUserLookup | undefined {
  for (let i = lookups.length - 1; i >= 0; i--) if (lookups[i]!.nameId === nameId) return lookups[i];
  const lower = nameId.toLowerCase();
  for (let i = lookups.length - 1; i >= 0; i--) if (lookups[i]!.nameId.toLowerCase() === lower) return lookups[i];
  return undefined;
}

function scimUsers(c: Ctx): ChecklistItem {
  const title = 'The users who signed in exist in Identity Center (SCIM)';
  const facts = ['A1.3', 'A1.4', 'C3.1'];
  const scim = c.input.scim;
  if (!scim?.configured) {
    return item('scim-users', title, facts, 'not-applicable', 'No SCIM endpoint is configured: set one on the SCIM page to check that the users who sign in exist in Identity Center.');
  }
  const signedIn = new Map<string, SignInOutcome>();
  for (const o of c.outcomes) {
    const nid = o.result === 'pass' && o.response ? primary(o.response)?.nameId?.value : undefined;
    if (nid) signedIn.set(nid, o);
  }
  if (!signedIn.size) {
    return item('scim-users', title, facts, 'pending', 'No successful sign-in has been captured yet: once one is, look its user up on the SCIM page.');
  }
  const notFound: [string, SignInOutcome][] = [];
  const unknown: [string, SignInOutcome][] = [];
  const found: [string, SignInOutcome, ScimUserLookup][] = [];
  for (const [nid, o] of signedIn) {
    const l = lookupFor(nid, scim.lookups);
    if (!l || l.error) unknown.push([nid, o]);
    else if (!l.found) notFound.push([nid, o]);
    else found.push([nid, o, l]);
  }
  const ev = (xs: [string, SignInOutcome, ...unknown[]][], what: string): ChecklistEvidence[] => xs.map(([nid, o]) => flowEvidence(o, `NameID ${nid}: ${what}`));
  if (notFound.length) {
    return item(
      'scim-users',
      title,
      facts,
      'fail',
      `Identity Center has no user named ${list(notFound.map(([n]) => n))}, though ${notFound.length === 1 ? 'that user' : 'they'} signed in: check that the SCIM endpoint belongs to this instance and whether the user was deleted or renamed since (sign-in matches the NameID to the user name exactly).`,
      [...ev(notFound, 'no such user in Identity Center'), ...ev(unknown, 'not looked up yet')],
    );
  }
  if (unknown.length) {
    return item('scim-users', title, facts, 'pending', `Not looked up in Identity Center yet: ${list(unknown.map(([n]) => n))}; look ${unknown.length === 1 ? 'it' : 'them'} up on the SCIM page.`, [
      ...ev(unknown, 'not looked up yet'),
      ...ev(found, 'found'),
    ]);
  }
  const disabled = found.filter(([, , l]) => l.active === false).map(([n]) => n);
  const note = disabled.length ? ` (disabled now: ${list(disabled)})` : '';
  return item('scim-users', title, facts, 'pass', `Identity Center has a user for each NameID that signed in: ${list(found.map(([n]) => n))}${note}.`, ev(found, 'found'));
}

// ---- the checklist --------------------------------------------------------------------------

export function buildChecklist(input: ChecklistInput): Checklist {
  const a = input.analysis;
  const c: Ctx = { a, input, outcomes: a.flows.map((f) => judgeSignIn(f, a)) };
  const items = [idpInitiated(c), spInitiated(c), attributes(c), mfa(c), unassignedDenied(c), certificate(c), scimUsers(c)];
  const counts = Object.fromEntries(CHECKLIST_STATUSES.map((s) => [s, 0])) as Record<ChecklistStatus, number>;
  for (const i of items) counts[i.status]++;
  return { items, now: input.now.toISOString(), counts };
}

/** The checklist with every string passed through a redactor's text(), for a redacted export. */
export function redactChecklist(c: Checklist, text: (s: string) => string): Checklist {
  return {
    ...c,
    items: c.items.map((i) => ({
      ...i,
      detail: text(i.detail),
      evidence: i.evidence.map((e) => ({
        ...(e.flowId !== undefined ? { flowId: text(e.flowId) } : {}),
        ...(e.messageId !== undefined ? { messageId: text(e.messageId) } : {}),
        text: text(e.text),
      })),
    })),
  };
}
