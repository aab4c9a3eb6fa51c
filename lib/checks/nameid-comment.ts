import type { TextInfo } from '../saml/model.ts';
import { defineCheck } from './types.ts';

const FIX =
  'Entra escapes every value it sends, so it never writes a comment, processing instruction or markup inside these elements: ' +
  'the message was altered after Entra built it. Do not use it; capture the sign-in again straight from the browser, and if it repeats, ' +
  'keep the capture and report it to your security team.';

interface Target {
  what: string;
  t: TextInfo;
  /** AttributeValue: child elements are structured XML (accesscontrol-invalid's job), not tampering. */
  attributeValue: boolean;
}

/** "a, b and c" */
function list(items: string[]): string {
  return items.length < 2 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

function tricksOf(x: Target): { tricks: string[]; children: boolean } {
  const { t } = x;
  const tricks: string[] = [];
  if (t.hasComment) tricks.push('a comment');
  if (t.hasProcessingInstruction) tricks.push('a processing instruction');
  // Between child elements of structured XML, whitespace text nodes are normal.
  const structured = x.attributeValue && t.hasChildElements;
  if (t.textNodeCount > 1 && !structured) tricks.push(`${t.textNodeCount} separate text nodes`);
  // Adjacent text and CDATA nodes count as one run, but a DOM's firstChild still stops early.
  else if (t.value !== t.firstText && !structured && !t.hasChildElements) tricks.push('text split into more than one node (such as a CDATA section)');
  const children = !x.attributeValue && t.hasChildElements;
  return { tricks, children };
}

export const nameidComment = defineCheck({
  id: 'nameid-comment',
  severity: 'error',
  title: 'A comment or markup splits a signed value',
  docs:
    'A comment inside a signed value (user@example.com<!---->.evil.com) does not break the signature, because canonicalisation drops comments, ' +
    'but readers disagree on the value: one sees the joined text, another stops at the first text node. Attackers use this to sign in as someone else.',
  facts: ['A1.3', 'LIBRARY-NOTES: fast-xml-parser, comments inside NameID (both signature libraries accept the message)'],
  appliesTo: ['Response', 'AuthnRequest', 'LogoutRequest', 'LogoutResponse'],
  messages: {
    split:
      'The {what} at {path} contains {tricks}. A reader that joins the text sees "{value}"; one that stops at the first text node sees "{firstText}". The signature cannot tell them apart.',
    childElements:
      'The {what} at {path} contains child elements{and} instead of plain text. Entra never sends markup there, and readers disagree on its value ({readings}).',
  },
  titles: {
    split: 'A comment or markup splits a signed value',
    childElements: 'A value holds child elements instead of text',
  },
  run(ctx, report) {
    const m = ctx.message;
    const targets: Target[] = [];
    if (m.issuer) targets.push({ what: `${m.kind} Issuer`, t: m.issuer, attributeValue: false });
    if (m.kind === 'LogoutRequest' && m.nameId) targets.push({ what: 'NameID', t: m.nameId, attributeValue: false });
    if (m.kind === 'Response') {
      for (const a of m.assertions) {
        if (a.issuer) targets.push({ what: 'Assertion Issuer', t: a.issuer, attributeValue: false });
        if (a.nameId) targets.push({ what: 'NameID', t: a.nameId, attributeValue: false });
        for (const au of a.conditions?.audiences ?? []) targets.push({ what: 'Audience', t: au, attributeValue: false });
        for (const at of a.attributes) {
          for (const v of at.values) targets.push({ what: `AttributeValue of ${at.name}`, t: v, attributeValue: true });
        }
      }
    }
    for (const x of targets) {
      const { tricks, children } = tricksOf(x);
      if (!tricks.length && !children) continue;
      const evidence = [
        {
          label: x.what,
          expected: x.t.value,
          actual: x.t.firstText,
          path: x.t.path,
          source: 'expected: all text nodes joined (what the signature covers); actual: the first text node (what a DOM firstChild reader sees)',
        },
        { label: 'inside the element', actual: list([...tricks, ...(children ? ['child elements'] : [])]), path: x.t.path },
      ];
      const base = { what: x.what, path: x.t.path, value: x.t.value, firstText: x.t.firstText };
      if (children) {
        // Its own text read both ways is the same when only elements split it: the other reading
        // is then the text inside the child elements (a reader taking all descendant text).
        const readings =
          x.t.value !== x.t.firstText
            ? `"${x.t.value}" joined vs "${x.t.firstText}" first text node`
            : `${x.t.value === '' ? 'no text of its own' : `its own text "${x.t.value}"`}, or the text inside the child elements`;
        report({ message: 'childElements', data: { ...base, readings, and: tricks.length ? ` and ${list(tricks)}` : '' }, evidence, fix: FIX });
      } else {
        report({ message: 'split', data: { ...base, tricks: list(tricks) }, evidence, fix: FIX });
      }
    }
  },
});
