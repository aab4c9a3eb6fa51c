import { NAMEID_EMAIL } from '../saml/model.ts';
import type { Evidence } from '../types.ts';
import { ENTRA_NAMEID_FORMAT, ENTRA_NAMEID_SOURCE } from './fixes.ts';
import { defineCheck } from './types.ts';
import { describeSurroundingWhitespace, editDistance, isAddrSpec, primaryAssertion } from './util.ts';

const UNSPECIFIED = 'urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified';
const EXPECTED_PARTS = NAMEID_EMAIL.split(':');
const REQUIRED_BY = 'required by IAM Identity Center';

/** The other NameID formats of SAML Core §8.3 (FACTS E1), by the last part of their URN. */
const KNOWN: Record<string, string> = {
  unspecified: 'unspecified',
  x509subjectname: 'X.509 subject name',
  windowsdomainqualifiedname: 'Windows domain qualified name',
  kerberos: 'Kerberos principal name',
  entity: 'entity (an identifier for a provider, not a user)',
  persistent: 'persistent (an opaque pairwise identifier)',
  transient: 'transient (a one-time identifier)',
  encrypted: 'encrypted (allowed only in a NameIDPolicy)',
};

type Verdict =
  | { kind: 'ok' }
  | { kind: 'absent' }
  | { kind: 'nearMiss'; problems: string[] }
  | { kind: 'other'; key: string; label: string }
  | { kind: 'unknown' };

/** What is wrong with a Format that looks like the email-address URN but is not it. */
export function nearMissProblems(f: string): string[] {
  const problems: string[] = [];
  const ws = describeSurroundingWhitespace(f);
  if (ws) problems.push(`whitespace around it (${ws})`);
  const parts = f.trim().split(':');
  if (parts.length === EXPECTED_PARTS.length) {
    parts.forEach((p, i) => {
      const e = EXPECTED_PARTS[i]!;
      if (p === e) return;
      if (p.toLowerCase() === e.toLowerCase()) problems.push(`"${p}" instead of "${e}" (upper/lower case)`);
      else if (i === 2 && p.toLowerCase() === 'name')
        problems.push('"name" instead of "names" (urn:oasis:name:tc…, the typo printed on AWS\'s troubleshooting page)');
      else if (i === 5)
        problems.push(`SAML:${p} instead of SAML:1.1${p === '2.0' ? ' (the email-address format is defined in SAML 1.1, not 2.0)' : ''}`);
      else problems.push(`"${p}" instead of "${e}"`);
    });
  } else {
    const lower = parts.map((p) => p.toLowerCase());
    const expLower = EXPECTED_PARTS.map((p) => p.toLowerCase());
    const missing = EXPECTED_PARTS.filter((p) => !lower.includes(p.toLowerCase()));
    const extra = parts.filter((p) => !expLower.includes(p.toLowerCase()));
    if (missing.length) problems.push(`missing ${missing.map((p) => `"${p}"`).join(', ')}`);
    if (extra.length) problems.push(`unexpected ${extra.map((p) => `"${p}"`).join(', ')}`);
    problems.push(`${parts.length} colon-separated parts instead of ${EXPECTED_PARTS.length}`);
  }
  if (!problems.length) problems.push('it is not written exactly as the URN');
  return problems;
}

export function classifyFormat(f: string | undefined): Verdict {
  if (f === undefined) return { kind: 'absent' };
  if (f === NAMEID_EMAIL) return { kind: 'ok' };
  const last = (f.trim().split(':').pop() ?? '').toLowerCase();
  const label = KNOWN[last];
  if (label) return { kind: 'other', key: last, label };
  if (last && (last === 'email' || last === 'mail' || editDistance(last, 'emailaddress') <= 2)) {
    return { kind: 'nearMiss', problems: nearMissProblems(f) };
  }
  return { kind: 'unknown' };
}

/** A Format other than the email-address URN, named for people; undefined for the right one. */
export function describeOtherFormat(f: string | undefined): string | undefined {
  const v = classifyFormat(f);
  switch (v.kind) {
    case 'ok':
      return undefined;
    case 'absent':
      return `absent, which SAML reads as unspecified (${UNSPECIFIED})`;
    case 'other':
      return `${v.label} (${f})`;
    case 'nearMiss':
      return `${f}, close to the email-address format but not it (${v.problems.join('; ')})`;
    default:
      return f === '' ? 'empty' : `${f}, not a SAML NameID format`;
  }
}

/** Why a value is not an RFC 2822 addr-spec, in words. */
export function whyNotAddrSpec(v: string): string {
  const at = (v.match(/@/g) ?? []).length;
  if (at === 0) {
    if (/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(v)) return 'it has no @ and looks like an object ID (user.objectid)';
    if (/^[^\\]+\\[^\\]+$/.test(v)) return 'it has no @ and looks like a Windows DOMAIN\\user name';
    if (/^[A-Za-z0-9+/_-]{20,}={0,2}$/.test(v)) return 'it has no @ and looks like an opaque identifier';
    return 'it has no @ (it looks like a bare user name)';
  }
  if (/\s/.test(v)) return 'it contains whitespace';
  if (at > 1 && !/^".*"@[^@]+$/.test(v)) return 'it has more than one @';
  if (v.startsWith('@')) return 'nothing comes before the @';
  if (v.endsWith('@')) return 'nothing comes after the @';
  if (/\.\.|^\.|\.@|@\./.test(v)) return 'it has a misplaced dot (two in a row, or next to the @ or at the start)';
  return 'it contains characters an address does not allow';
}

export const nameidFormat = defineCheck({
  id: 'nameid-format',
  severity: 'error',
  title: 'NameID is not in the email-address format Identity Center needs',
  docs:
    'Identity Center accepts only the NameID format urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress, written exactly, with a value of the form name@domain (RFC 2822 addr-spec). ' +
    'Anything else ends in "An unexpected error has occurred" at AWS, even when the user exists.',
  facts: ['A1.1', 'A1.2', 'A1.5', 'A2.6', 'A10', 'B2.4', 'B2.5', 'E1'],
  appliesTo: ['Response'],
  messages: {
    absent:
      'The NameID has no Format attribute, which SAML reads as unspecified ({unspecified}); Identity Center needs {expected}.',
    nearMiss: 'The NameID Format {actual} is close to the email-address format but not it: {problems}. Identity Center needs exactly {expected}.',
    other: 'The NameID Format is {label} ({actual}); Identity Center needs the email-address format {expected}.',
    unknown: 'The NameID Format {actual} is not a SAML NameID format Identity Center accepts; it needs exactly {expected}.',
    notRequested:
      'The AuthnRequest asked for NameID format {requested}, and Entra uses the requested format when it can, but this response has {actual} instead.{hint}',
    differsFromRequest:
      'The NameID Format is the email-address format Identity Center needs, but the AuthnRequest asked for {requested}: Entra uses the requested format when it can, so this response may not come from that request, or Identity Center\'s request was altered.',
    notAddrSpec: 'The NameID value {value} is not an address of the form name@domain (RFC 2822 addr-spec): {reason}. Identity Center needs one.',
  },
  titles: {
    absent: 'NameID has no Format (Identity Center needs the email-address format)',
    nearMiss: 'NameID Format is a near miss of the email-address format',
    other: 'NameID is not in the email-address format Identity Center needs',
    unknown: 'NameID Format is not a SAML NameID format',
    notRequested: 'NameID Format is not the one the AuthnRequest asked for',
    differsFromRequest: 'The AuthnRequest asked for another NameID format than Identity Center needs',
    notAddrSpec: 'NameID value is not an email address',
  },
  run(ctx, report) {
    const a = primaryAssertion(ctx.message);
    const nid = a?.nameId;
    // Without a value there is nobody to sign in: nameid-missing reports it, and names a wrong
    // Format in the same finding, so the user gets one card, not two.
    if (!nid || nid.value.trim() === '') return;
    const fmt = nid.format;
    const verdict = classifyFormat(fmt);
    const policy = ctx.request?.nameIdPolicy;
    const requested = policy?.format;
    const reqEvidence: Evidence[] =
      requested !== undefined && policy
        ? [{ label: "AuthnRequest NameIDPolicy Format (the request's)", actual: requested, path: policy.path, source: 'the captured AuthnRequest' }]
        : [];
    const fmtEvidence: Evidence = {
      label: 'NameID Format',
      expected: NAMEID_EMAIL,
      actual: fmt ?? '(none: unspecified)',
      path: nid.path,
      source: REQUIRED_BY,
    };
    const formatFix = `${ENTRA_NAMEID_FORMAT}.`;

    if (verdict.kind === 'ok') {
      if (requested !== undefined && requested.trim() !== UNSPECIFIED && requested !== NAMEID_EMAIL) {
        report({
          message: 'differsFromRequest',
          severity: 'warning',
          data: { requested },
          evidence: [{ ...fmtEvidence, expected: requested, source: 'the AuthnRequest\'s NameIDPolicy' }, ...reqEvidence],
          fix: `Start the sign-in from Identity Center (its AuthnRequests ask for ${NAMEID_EMAIL}), and keep ${ENTRA_NAMEID_FORMAT}.`,
        });
      }
    } else if (verdict.kind === 'absent') {
      report({
        message: 'absent',
        data: { unspecified: UNSPECIFIED, expected: NAMEID_EMAIL },
        evidence: [fmtEvidence, ...reqEvidence],
        fix: formatFix,
      });
    } else if (verdict.kind === 'nearMiss') {
      report({
        message: 'nearMiss',
        data: { actual: fmt!, problems: verdict.problems.join('; '), expected: NAMEID_EMAIL },
        evidence: [fmtEvidence, ...reqEvidence],
        fix: `${formatFix} Entra writes the URN itself when you pick it there; a misspelt URN comes from a hand-edited or non-gallery configuration.`,
      });
    } else if (requested === NAMEID_EMAIL) {
      const persistent = verdict.kind === 'other' && verdict.key === 'persistent';
      report({
        message: 'notRequested',
        data: {
          requested,
          actual: fmt!,
          hint: persistent
            ? " Entra sends a persistent pairwise identifier when the Unique User Identifier's source attribute gives no value or an illegal one for this user, so check that attribute for this user first."
            : '',
        },
        evidence: [fmtEvidence, ...reqEvidence],
        fix: persistent
          ? `${ENTRA_NAMEID_SOURCE}: use an attribute that has a value for every user (user.userprincipalname for members), then check ${ENTRA_NAMEID_FORMAT}.`
          : formatFix,
      });
    } else if (verdict.kind === 'other') {
      report({
        message: 'other',
        data: { label: verdict.label, actual: fmt!, expected: NAMEID_EMAIL },
        evidence: [fmtEvidence, ...reqEvidence],
        fix: formatFix,
      });
    } else {
      report({
        message: 'unknown',
        data: { actual: fmt === '' ? '(empty)' : fmt!, expected: NAMEID_EMAIL },
        evidence: [fmtEvidence, ...reqEvidence],
        fix: formatFix,
      });
    }

    // Opaque identifiers are explained by their format; fixing the format fixes the value.
    const opaque = verdict.kind === 'other' && (verdict.key === 'persistent' || verdict.key === 'transient');
    if (!opaque && !isAddrSpec(nid.value)) {
      report({
        message: 'notAddrSpec',
        data: { value: nid.value, reason: whyNotAddrSpec(nid.value) },
        evidence: [{ label: 'NameID', expected: 'name@domain (RFC 2822 addr-spec)', actual: nid.value, path: nid.path, source: REQUIRED_BY }],
        fix: `${ENTRA_NAMEID_SOURCE}: choose an attribute that holds name@domain for every user (user.userprincipalname, as AWS recommends for members; user.mail for guests), and ${ENTRA_NAMEID_FORMAT}.`,
      });
    }
  },
});
