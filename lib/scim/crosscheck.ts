// The SAML ↔ SCIM cross-check: for the NameID of a captured assertion, ask Identity Center
// whether that user exists (sign-in matches the NameID against the user name exactly, and nothing
// creates users at sign-in: FACTS A1.3, A1.4). When it does not, look for the closest match (the
// assertion's other claims as a user name, the Entra object id as externalId, a guest's mail form)
// and say which; when it does, check it is active and that names and email agree.
// judgeCrossCheck() is pure; crossCheck() asks through a ScimClient.
import type { AnalysisResult } from '../analyze.ts';
import type { Evidence, Finding, Flow, Severity } from '../types.ts';
import type { TemplateData } from '../checks/types.ts';
import { renderTemplate } from '../checks/types.ts';
import { attributeValue, EMAIL_CLAIMS, UPN_CLAIMS } from '../checks/util.ts';
import { ENTRA_CLAIMS, ENTRA_NAMEID_CONDITIONS, ENTRA_NAMEID_SOURCE } from '../checks/fixes.ts';
import { AWS_USERS, ENTRA_PROVISIONING_LOGS, ENTRA_PROVISIONING_USER_MAPPINGS, ENTRA_PROVISION_ON_DEMAND, ENTRA_USERS_GROUPS } from './fixes.ts';
import { guestMailForm } from './rules/scim-guest-username.ts';
import { primaryEmail, ScimClientError, type ClientEvent, type ScimClient, type ScimGroup, type ScimUser } from './client.ts';
import type { ScimCrossCheckId } from './types.ts';

const GIVEN_CLAIMS = ['http://schemas.xmlsoap.org/ws/2005/05/identity/claims/givenname', 'givenName', 'given_name', 'firstName'];
const SURNAME_CLAIMS = ['http://schemas.xmlsoap.org/ws/2005/05/identity/claims/surname', 'surname', 'familyName', 'family_name', 'lastName'];
const OBJECT_ID_CLAIMS = ['http://schemas.microsoft.com/identity/claims/objectidentifier', 'objectidentifier', 'oid'];

export interface Claim {
  name: string;
  value: string;
  path: string;
}

/** What an assertion says about who signed in. */
export interface AssertionIdentity {
  nameId: string;
  nameIdPath: string;
  nameIdFormat?: string;
  email?: Claim;
  upn?: Claim;
  givenName?: Claim;
  familyName?: Claim;
  objectId?: Claim;
  messageId: string;
  flowId?: string;
  /** A user name typed on the SCIM page: no assertion, no sign-in, no other identifiers to try. */
  typed?: boolean;
}

/** The NameID and claims of a flow's Response (the latest flow when none is named). */
export function identityFromAnalysis(a: AnalysisResult, flow?: Flow): AssertionIdentity | undefined {
  const ids = flow ? new Set(flow.messageIds) : undefined;
  const msgs = a.messages.filter((m) => m.ok && m.model?.kind === 'Response' && (!ids || ids.has(m.id)));
  const m = msgs[msgs.length - 1];
  if (!m || m.model?.kind !== 'Response') return undefined;
  const as = m.model.assertions[0];
  const nid = as?.nameId;
  if (!as || !nid || !nid.value) return undefined;
  const id: AssertionIdentity = { nameId: nid.value, nameIdPath: nid.path, messageId: m.id };
  if (nid.format) id.nameIdFormat = nid.format;
  const fid = flow?.id ?? m.flowId;
  if (fid) id.flowId = fid;
  const put = (k: 'email' | 'upn' | 'givenName' | 'familyName' | 'objectId', names: string[]) => {
    const v = attributeValue(as, names);
    if (v) id[k] = v;
  };
  put('email', EMAIL_CLAIMS);
  put('upn', UPN_CLAIMS);
  put('givenName', GIVEN_CLAIMS);
  put('familyName', SURNAME_CLAIMS);
  put('objectId', OBJECT_ID_CLAIMS);
  return id;
}

/** What Identity Center answered, lookup by lookup. */
export interface Lookups {
  /** The user whose user name equals the NameID (Identity Center's filter ignores case). */
  byNameId?: ScimUser;
  /** Other users found, and how. */
  candidates: { user: ScimUser; how: 'upn-claim' | 'email-claim' | 'object-id' | 'guest-mail'; via: string }[];
  groups?: ScimGroup[];
}

interface Def {
  id: ScimCrossCheckId;
  severity: Severity;
  title: string;
  docs: string;
  facts: string[];
  messages: Record<string, string>;
}

/** The cross-check's catalogue, in the shape of the checks' (DESIGN "A check"). */
export const CROSSCHECK_DEFS: Record<ScimCrossCheckId, Def> = {
  'scim-user-not-found': {
    id: 'scim-user-not-found',
    severity: 'error',
    title: 'No Identity Center user has the NameID as user name',
    docs:
      'Identity Center signs a user in only when the NameID equals the user name of an existing user; it creates nobody at sign-in. ' +
      'A missing user means provisioning never created them, or the NameID is another attribute than the one provisioned as userName.',
    facts: ['A1.3', 'A1.4', 'C5.9', 'D2.4'],
    messages: {
      none: 'Identity Center ({endpoint}) has no user named {nameId}, and none under the assertion\'s other identifiers either. AWS will refuse this sign-in ("An unexpected error has occurred"): the user was never provisioned.',
      typed:
        'Identity Center ({endpoint}) has no user named {nameId}. It finds users by their user name (or externalId), not by e-mail address: if {nameId} is someone\'s e-mail, look them up by their user name (with Entra\'s default mappings, the UPN). Else the user was never provisioned, and a sign-in with this NameID is refused.',
      otherClaim:
        'Identity Center has no user named {nameId}, but it has {userName}, the assertion\'s {claim} claim. The NameID is the wrong attribute: Entra provisions {userName} as the user name and sends {nameId} at sign-in.',
      sameEmail:
        'Identity Center has no user named {nameId}; the user whose email is {nameId} has the user name {userName}. Sign-in matches the user name, not the email, so AWS will refuse it.',
      objectId:
        'Identity Center has no user named {nameId}; the Entra object id of this user ({objectId}) is the externalId of {userName}. The NameID and the provisioned user name are different attributes.',
      guest:
        'Identity Center has no user named {nameId} (a guest\'s #EXT# UPN); the guest is provisioned as {userName}. AWS advises user.mail as the NameID for guests.',
      caseDiffers:
        'Identity Center has {userName}, which differs from the NameID {nameId} only in letter case. AWS does not document whether sign-in ignores case; make them identical.',
    },
  },
  'scim-user-inactive': {
    id: 'scim-user-inactive',
    severity: 'error',
    title: 'The Identity Center user is disabled',
    docs:
      'A disabled user (active = false) cannot sign in: Identity Center blocks new sign-in at once. Entra disables users who are unassigned from the app, scoped out, or disabled in Entra.',
    facts: ['A7.5', 'D1.6'],
    messages: {
      inactive: 'The Identity Center user {userName} exists but is disabled (active = false): AWS will refuse the sign-in. Entra disables users it no longer provisions (unassigned, out of scope, or disabled in Entra).',
    },
  },
  'scim-attribute-drift': {
    id: 'scim-attribute-drift',
    severity: 'warning',
    title: 'The assertion and Identity Center disagree on names or email',
    docs:
      'The SAML claims and the provisioned user should describe the same person the same way. A difference means provisioning has not run since the change (about every 40 minutes), or the claims and the provisioning mappings read different Entra attributes.',
    facts: ['D1.1', 'D1.5', 'A8.3', 'A8.5'],
    messages: {
      drift: '{count} attribute{s} differ{verb} between the assertion and Identity Center user {userName}: {attrs}. Sign-in is not refused for this, but ABAC attributes and what people see in AWS can be stale.',
    },
  },
};

function finding(id: ScimCrossCheckId, key: string, data: TemplateData, evidence: Evidence[], fix: string, ident: AssertionIdentity, severity?: Severity): Finding {
  const d = CROSSCHECK_DEFS[id];
  return {
    checkId: id,
    severity: severity ?? d.severity,
    title: d.title,
    message: renderTemplate(d.messages[key]!, data),
    evidence,
    fix,
    messageId: ident.messageId,
    ...(ident.flowId ? { flowId: ident.flowId } : {}),
    messageKey: key,
    facts: d.facts,
  };
}

const FIX_NAMEID_TO_USERNAME = (userName: string) =>
  `Make the NameID the attribute Entra provisions as userName: ${ENTRA_NAMEID_SOURCE} → the same attribute as userName in ${ENTRA_PROVISIONING_USER_MAPPINGS} ` +
  `(usually user.userprincipalname), so the NameID is ${userName}. Or change the provisioning mapping instead; the two must agree.`;

const FIX_PROVISION =
  `Assign the user (or a group they are a direct member of) in ${ENTRA_USERS_GROUPS}, then ${ENTRA_PROVISION_ON_DEMAND} and read the result; ` +
  `if it fails, the reason is in ${ENTRA_PROVISIONING_LOGS} (samlscope can read the download: scim logs).`;

/** Judges what Identity Center answered. Pure. */
export function judgeCrossCheck(ident: AssertionIdentity, l: Lookups, endpointLabel: string): Finding[] {
  const out: Finding[] = [];
  const nid: Evidence = { label: 'NameID', expected: 'an Identity Center user name', actual: ident.nameId, path: ident.nameIdPath };
  const u = l.byNameId;
  if (!u) {
    const c = l.candidates[0];
    if (!c) {
      // Typed on the SCIM page, nothing but the user name was asked (found by a review: it spoke of
      // "the assertion's other identifiers" and a sign-in that were not there).
      const missing = { ...nid, expected: `a user named ${ident.nameId} in Identity Center`, actual: '(no such user)' };
      if (ident.typed) out.push(finding('scim-user-not-found', 'typed', { endpoint: endpointLabel, nameId: ident.nameId }, [missing, { label: 'asked Identity Center', actual: `userName eq "${ident.nameId}"` }], FIX_PROVISION, ident));
      else out.push(finding('scim-user-not-found', 'none', { endpoint: endpointLabel, nameId: ident.nameId }, [missing, { label: 'asked Identity Center', actual: `userName eq "${ident.nameId}"${l.candidates.length ? '' : ' and the other identifiers in the assertion'}` }], FIX_PROVISION, ident));
      return out;
    }
    const ev: Evidence[] = [
      { label: 'NameID', expected: c.user.userName, actual: ident.nameId, path: ident.nameIdPath, source: 'the closest Identity Center user' },
      { label: 'closest Identity Center user', actual: c.user.userName, source: c.via },
    ];
    const email = primaryEmail(c.user);
    if (email) ev.push({ label: 'its email', actual: email });
    if (c.how === 'guest-mail') {
      out.push(finding('scim-user-not-found', 'guest', { nameId: ident.nameId, userName: c.user.userName }, ev, `${ENTRA_NAMEID_CONDITIONS}: for guests, source attribute user.mail (so the NameID is ${c.user.userName}).`, ident));
    } else if (email && email.toLowerCase() === ident.nameId.toLowerCase()) {
      out.push(finding('scim-user-not-found', 'sameEmail', { nameId: ident.nameId, userName: c.user.userName }, ev, FIX_NAMEID_TO_USERNAME(c.user.userName), ident));
    } else if (c.how === 'object-id') {
      out.push(finding('scim-user-not-found', 'objectId', { nameId: ident.nameId, userName: c.user.userName, objectId: ident.objectId?.value ?? '' }, ev, FIX_NAMEID_TO_USERNAME(c.user.userName), ident));
    } else {
      const claim = c.how === 'upn-claim' ? `UPN (${ident.upn?.name ?? 'name'})` : `email (${ident.email?.name ?? 'emailaddress'})`;
      out.push(finding('scim-user-not-found', 'otherClaim', { nameId: ident.nameId, userName: c.user.userName, claim }, ev, FIX_NAMEID_TO_USERNAME(c.user.userName), ident));
    }
    return out;
  }
  if (u.userName !== ident.nameId) {
    out.push(
      finding(
        'scim-user-not-found',
        'caseDiffers',
        { nameId: ident.nameId, userName: u.userName },
        [{ label: 'NameID', expected: u.userName, actual: ident.nameId, path: ident.nameIdPath, source: 'the Identity Center user name' }],
        `Make the two identical: change the user name in ${AWS_USERS} (or the userName mapping in ${ENTRA_PROVISIONING_USER_MAPPINGS}), or the NameID in ${ENTRA_NAMEID_SOURCE}.`,
        ident,
        'warning',
      ),
    );
  }
  if (u.active === false) {
    out.push(
      finding(
        'scim-user-inactive',
        'inactive',
        { userName: u.userName },
        [{ label: 'active', expected: 'true', actual: String(u.raw.active ?? 'false'), path: `Identity Center user ${u.id}` }],
        `Assign the user to the app again in ${ENTRA_USERS_GROUPS} (and check they are enabled in Entra and in scope); Entra re-enables them on the next cycle, or now with ${ENTRA_PROVISION_ON_DEMAND}. ` +
          `Enabling the user in ${AWS_USERS} alone lasts until Entra's next cycle disables them again.`,
        ident,
      ),
    );
  }
  const drift: Evidence[] = [];
  const cmp = (label: string, claim: Claim | undefined, value: string | undefined, fold: boolean) => {
    if (!claim || value === undefined) return;
    const a = claim.value.trim();
    const b = value.trim();
    if (fold ? a.toLowerCase() === b.toLowerCase() : a === b) return;
    drift.push({ label, expected: b, actual: a, path: claim.path, source: `Identity Center (${label === 'email' ? 'emails' : label === 'given name' ? 'name.givenName' : 'name.familyName'})` });
  };
  cmp('given name', ident.givenName, u.givenName, false);
  cmp('family name', ident.familyName, u.familyName, false);
  cmp('email', ident.email, primaryEmail(u), true);
  if (drift.length) {
    out.push(
      finding(
        'scim-attribute-drift',
        'drift',
        { count: drift.length, s: drift.length === 1 ? '' : 's', verb: drift.length === 1 ? 's' : '', userName: u.userName, attrs: drift.map((d) => d.label).join(', ') },
        drift,
        `Compare ${ENTRA_CLAIMS} with ${ENTRA_PROVISIONING_USER_MAPPINGS}: the claims and the mappings should read the same Entra attributes (givenname, surname, mail). ` +
          `If they do, provisioning has not run since the change: wait for the next cycle (about 40 minutes) or use ${ENTRA_PROVISION_ON_DEMAND}.`,
        ident,
      ),
    );
  }
  return out;
}

export interface CrossCheckResult {
  findings: Finding[];
  identity: AssertionIdentity;
  user?: ScimUser;
  groups?: ScimGroup[];
  /** The questions asked, in order (for "what did samlscope ask?"). */
  asked: string[];
  /** Throttling and retries while asking. */
  events: ClientEvent[];
  /** Set when Identity Center could not be asked; there are no findings then. */
  error?: { kind: ScimClientError['kind']; message: string };
}

/** Asks Identity Center about the assertion's NameID and judges the answers. At most 5 lookups. */
export async function crossCheck(client: ScimClient, ident: AssertionIdentity, o: { groups?: boolean } = {}): Promise<CrossCheckResult> {
  const asked: string[] = [];
  const start = client.events.length;
  const l: Lookups = { candidates: [] };
  const res = (extra: Partial<CrossCheckResult>): CrossCheckResult => ({ findings: [], identity: ident, asked, events: client.events.slice(start), ...extra });
  try {
    asked.push(`userName eq "${ident.nameId}"`);
    const u = await client.findUserByUserName(ident.nameId);
    if (u) {
      l.byNameId = u;
      if (o.groups) {
        asked.push(`groups: members.value eq "${u.id}"`);
        l.groups = await client.groupsOfUser(u.id);
      }
    } else {
      const tries: { how: Lookups['candidates'][number]['how']; value: string | undefined; via: string; by: 'userName' | 'externalId' }[] = [
        { how: 'upn-claim', value: ident.upn?.value, via: 'user name = the assertion\'s UPN claim', by: 'userName' },
        { how: 'email-claim', value: ident.email?.value, via: 'user name = the assertion\'s email claim', by: 'userName' },
        { how: 'guest-mail', value: guestMailForm(ident.nameId), via: 'user name = the guest\'s own address', by: 'userName' },
        { how: 'object-id', value: ident.objectId?.value, via: 'externalId = the Entra object id (objectidentifier claim)', by: 'externalId' },
      ];
      const seen = new Set([ident.nameId.toLowerCase()]);
      for (const t of tries) {
        if (!t.value || seen.has(`${t.by}:${t.value.toLowerCase()}`) || (t.by === 'userName' && seen.has(t.value.toLowerCase()))) continue;
        seen.add(t.by === 'userName' ? t.value.toLowerCase() : `${t.by}:${t.value.toLowerCase()}`);
        asked.push(`${t.by} eq "${t.value}"`);
        const c = t.by === 'userName' ? await client.findUserByUserName(t.value) : await client.findUserByExternalId(t.value);
        if (c && !l.candidates.some((x) => x.user.id === c.id)) l.candidates.push({ user: c, how: t.how, via: t.via });
        if (l.candidates.length) break;
      }
    }
  } catch (e) {
    if (e instanceof ScimClientError) return res({ error: { kind: e.kind, message: e.message } });
    return res({ error: { kind: 'bad-response', message: (e as Error)?.message ?? String(e) } });
  }
  const findings = judgeCrossCheck(ident, l, client.info.host);
  return res({ findings, ...(l.byNameId ? { user: l.byNameId } : {}), ...(l.groups ? { groups: l.groups } : {}) });
}
