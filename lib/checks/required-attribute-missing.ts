// ID, Version and IssueInstant are required on every SAML 2.0 protocol message and assertion by
// the schema (Core §3.2.1 RequestAbstractType, §3.2.2 StatusResponseType, §2.3.3 Assertion).
import type { SamlMessage } from '../saml/model.ts';
import type { Evidence } from '../types.ts';
import { AWS_PORTAL_START, ENTRA_NEW_APP } from './fixes.ts';
import { defineCheck, type Report } from './types.ts';

const REQUIRED = ['ID', 'Version', 'IssueInstant'] as const;
type Required = (typeof REQUIRED)[number];

const SECTION: Record<SamlMessage['kind'] | 'Assertion', string> = {
  Response: 'SAML Core §3.2.2, StatusResponseType',
  LogoutResponse: 'SAML Core §3.2.2, StatusResponseType',
  AuthnRequest: 'SAML Core §3.2.1, RequestAbstractType',
  LogoutRequest: 'SAML Core §3.2.1, RequestAbstractType',
  Assertion: 'SAML Core §2.3.3',
};

const EXPECTED: Record<Required, string> = {
  ID: 'an identifier (xs:ID), e.g. _9c2e…',
  Version: '2.0',
  IssueInstant: 'the UTC time it was issued, e.g. 2026-01-15T09:30:00Z',
};

const FIX_RESPONSE =
  'Entra writes ID, Version="2.0" and IssueInstant on every Response and Assertion it issues, and they cannot be configured: ' +
  'a message without them was made or rewritten by something else (a test IdP, a proxy or browser extension that edits the POST, a hand-edited file). ' +
  `Capture the sign-in again straight from Entra; if the app is not the gallery app, add it from ${ENTRA_NEW_APP} "AWS IAM Identity Center".`;

const FIX_REQUEST =
  `Start the sign-in at the AWS access portal (${AWS_PORTAL_START}) so that Identity Center writes the AuthnRequest; ` +
  'a request written by hand or by a test tool needs ID (not starting with a digit), Version="2.0" and IssueInstant.';

// Logout messages come from Entra or from Identity Center (whichever side began the logout).
const FIX_LOGOUT =
  'Entra and Identity Center write ID, Version="2.0" and IssueInstant on every LogoutRequest and LogoutResponse they send: ' +
  'one without them was made or rewritten by something else (a test tool, a proxy or browser extension, a hand-edited file). ' +
  'Its Issuer says who claims to have sent it; capture the sign-out again straight from the browser.';

export const requiredAttributeMissing = defineCheck({
  id: 'required-attribute-missing',
  severity: 'warning',
  title: 'A required ID, Version or IssueInstant is missing or wrong',
  docs:
    'SAML 2.0 requires ID, Version="2.0" and IssueInstant on every request, response and assertion; without them a receiver cannot reference, date or even version the message. ' +
    'Entra refuses an AuthnRequest without them; how Identity Center treats such a Response is not documented, but Entra never sends one, so it was made or altered elsewhere.',
  facts: [
    'B6.1',
    'E2',
    'E3',
    'saml-core-2.0-os §3.2.1 / §3.2.2 / §2.3.3: ID, Version and IssueInstant are use="required" on RequestAbstractType, StatusResponseType and Assertion',
  ],
  appliesTo: ['Response', 'AuthnRequest', 'LogoutRequest', 'LogoutResponse'],
  messages: {
    missing:
      'The {element} has no {attribute} attribute, which SAML 2.0 requires ({section}). {consequence}',
    empty: 'The {element} has an empty {attribute} attribute, which SAML 2.0 requires to hold a value ({section}). {consequence}',
    wrongVersion:
      'The {element} says Version="{actual}", but a SAML 2.0 message must say Version="2.0" ({section}); a receiver answers other versions with the status VersionMismatch.',
  },
  titles: {
    missing: 'A required ID, Version or IssueInstant is missing',
    empty: 'A required ID, Version or IssueInstant is empty',
    wrongVersion: 'The message is not SAML Version 2.0',
  },
  run(ctx, report) {
    const m = ctx.message;
    const isRequest = m.kind === 'AuthnRequest';
    const logout = m.kind === 'LogoutRequest' || m.kind === 'LogoutResponse';
    const consequence = isRequest
      ? 'Entra requires ID, Version and IssueInstant on an AuthnRequest and refuses the request without them (AADSTS75005).'
      : logout
        ? 'Entra and Identity Center always write it, so this message was made or rewritten by something else; a receiver that validates the SAML schema refuses it.'
        : 'Entra always writes it, so this message was made or rewritten by something other than Entra; whether Identity Center refuses it is not documented, but a receiver that validates the SAML schema does.';
    const severity = isRequest ? ('error' as const) : ('warning' as const);
    const fix = isRequest ? FIX_REQUEST : logout ? FIX_LOGOUT : FIX_RESPONSE;

    const how: Inspection = { report, consequence, severity, fix };
    inspect(how, m.kind, m.rootPath, { ID: m.id, Version: m.version, IssueInstant: m.issueInstant });
    if (m.kind === 'Response') {
      for (const a of m.assertions) inspect(how, 'Assertion', a.path, { ID: a.id, Version: a.version, IssueInstant: a.issueInstant });
    }
  },
});

type MessageKey = 'missing' | 'empty' | 'wrongVersion';

interface Inspection {
  report: Report<MessageKey>;
  consequence: string;
  severity: 'error' | 'warning';
  fix: string;
}

/** The three attributes of one element; the evidence is built only for what is reported. */
function inspect(how: Inspection, element: SamlMessage['kind'] | 'Assertion', path: string, values: Record<Required, string | undefined>): void {
  const { report, consequence, severity, fix } = how;
  for (const attribute of REQUIRED) {
    const v = values[attribute];
    const fine = v !== undefined && v.trim() !== '' && (attribute !== 'Version' || v.trim() === '2.0');
    if (fine) continue;
    const ev: Evidence = {
      label: `${element} ${attribute}`,
      expected: EXPECTED[attribute],
      actual: v === undefined ? '(none)' : v.trim() === '' ? '(empty)' : v,
      path: `${path}/@${attribute}`,
      source: SECTION[element],
    };
    const data = { element, attribute, section: SECTION[element], consequence };
    if (v === undefined) report({ message: 'missing', severity, data, evidence: [ev], fix });
    else if (v.trim() === '') report({ message: 'empty', severity, data, evidence: [ev], fix });
    else if (attribute === 'Version' && v.trim() !== '2.0') {
      report({ message: 'wrongVersion', severity, data: { element, actual: v, section: SECTION[element] }, evidence: [ev], fix });
    }
  }
}
