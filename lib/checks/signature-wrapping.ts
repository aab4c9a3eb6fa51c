import { NS, type SamlMessage } from '../saml/model.ts';
import { attr, parseXml, type XElement } from '../saml/xml.ts';
import { defineCheck } from './types.ts';

const FIX =
  'Do not trust this message. Entra sends exactly one Assertion, directly in the Response, signed with one Reference to its own ID. ' +
  'Capture the sign-in again straight from the browser; if a real sign-in looks like this, something between Entra and AWS rewrote it ' +
  '(a proxy, a browser extension or an attacker): keep the capture and report it to your security team.';

const FIX_MULTIPLE =
  'Entra sends one Assertion per Response; Identity Center supports only one. If this message came from Entra, something rewrote it: ' +
  'capture the sign-in again from the browser and, if it repeats, keep the capture and report it to your security team.';

interface Nested {
  path: string;
  id?: string;
  containerLocal: string;
  containerPath: string;
}

const ASSERTION_TAG_RE = /<(?:[A-Za-z_][\w.-]*:)?Assertion[\s/>]/g;

/** Assertions anywhere in the message other than directly under the root. */
function nestedAssertions(xml: string, directCount: number): Nested[] {
  // Cheap test first: a second parse only when there are more Assertion tags than direct ones.
  const tags = xml.match(ASSERTION_TAG_RE)?.length ?? 0;
  if (tags <= directCount) return [];
  const doc = parseXml(xml);
  if (!('root' in doc)) return [];
  const out: Nested[] = [];
  const walk = (el: XElement, isRoot: boolean): void => {
    for (const c of el.children) {
      if (c.kind !== 'element') continue;
      if (!isRoot && c.local === 'Assertion' && (c.ns === NS.saml || c.ns === '')) {
        const n: Nested = { path: c.path, containerLocal: el.local, containerPath: el.path };
        const id = attr(c, 'ID') ?? attr(c, 'AssertionID');
        if (id !== undefined) n.id = id;
        out.push(n);
      }
      walk(c, false);
    }
  };
  walk(doc.root, true);
  return out;
}

/** The element the sign-in is read from: the Response's first direct Assertion, or the root. */
function readElement(m: SamlMessage): { what: string; id: string; path: string } {
  if (m.kind === 'Response' && m.assertions[0]) {
    const a = m.assertions[0];
    return { what: 'Assertion', id: a.id ?? '(no ID)', path: a.path };
  }
  return { what: m.kind, id: m.id ?? '(no ID)', path: m.rootPath };
}

export const signatureWrapping = defineCheck({
  id: 'signature-wrapping',
  severity: 'error',
  title: 'The message has the shape of a signature-wrapping attack',
  docs:
    'In a signature-wrapping attack the signed assertion is moved aside (or duplicated) and a forged one is put where the service provider reads, so the signature still verifies while the sign-in uses other values. ' +
    'Identity Center supports only one assertion per response, and SAML requires each signature to carry exactly one Reference to the ID of the element it sits in. ' +
    'When the signatures were verified, the element the sign-in is read from must be the one a valid signature covers.',
  facts: ['A2.1', 'E3', 'A2.8'],
  appliesTo: ['Response', 'AuthnRequest', 'LogoutRequest', 'LogoutResponse'],
  messages: {
    multipleAssertions:
      'The Response carries {count} Assertions ({ids}); Identity Center supports only one. A second assertion is also how wrapping attacks slip an unsigned one past the signature check.',
    nestedAssertion:
      'An Assertion with ID {nestedId} sits inside {container} at {nestedPath}, not directly in the Response. Entra never sends that; it is how wrapping attacks hide the signed original. The sign-in is read from {readWhat} {readId} at {readPath}.',
    duplicateId:
      'The ID {id} is used by {count} elements ({paths}); a signature Reference to it is ambiguous, which is what wrapping attacks exploit.',
    multipleReferences:
      'The signature at {sigPath} has {count} References ({uris}); SAML allows exactly one, pointing at the element the signature sits in ({parentLocal} {parentId}).',
    emptyUri:
      'The signature in the {parentLocal} {parentId} has Reference URI="" (the whole document), which only a Response-level signature may use; it must be URI="#{parentId}".',
    referenceMismatch:
      'The signature at {sigPath} sits in the {parentLocal} {parentId} but its Reference {pointsAt}. It does not sign the element it is in.',
    signsUnreadElement:
      'The signature at {sigPath} signs the {signedLocal} {signedId} at {signedPath}, which is not where the sign-in is read from ({readWhat} {readId} at {readPath}).',
    notCovered:
      'No valid signature covers the {readWhat} {readId} at {readPath}, which the sign-in is read from: the signature that verifies signs {covered}. The signed element is not the one in use.',
  },
  titles: {
    multipleAssertions: 'The Response carries more than one Assertion',
    nestedAssertion: 'An Assertion is hidden inside another element (signature wrapping)',
    duplicateId: 'Two elements share one ID (signature wrapping)',
    multipleReferences: 'A signature has more than one Reference',
    emptyUri: 'A signature signs the whole document (Reference URI="")',
    referenceMismatch: 'A signature does not sign the element it sits in',
    signsUnreadElement: 'The signature signs another element than the one read (signature wrapping)',
    notCovered: 'No valid signature covers the assertion that is read (signature wrapping)',
  },
  run(ctx, report) {
    const m = ctx.message;
    const read = readElement(m);

    // 1. More than one Assertion directly in the Response.
    if (m.kind === 'Response' && m.assertions.length > 1) {
      report({
        message: 'multipleAssertions',
        fix: FIX_MULTIPLE,
        data: { count: m.assertions.length, ids: m.assertions.map((a) => a.id ?? '(no ID)').join(', ') },
        evidence: m.assertions.map((a, i) => ({
          label: `Assertion ${i + 1} of ${m.assertions.length}`,
          expected: 'exactly one Assertion in the Response',
          actual: `ID ${a.id ?? '(no ID)'}`,
          path: a.path,
        })),
      });
    }

    // 2. Assertions that are not direct children of the Response.
    const nested = m.kind === 'Response' ? nestedAssertions(ctx.xml, m.assertions.length) : [];
    for (const n of nested) {
      report({
        message: 'nestedAssertion',
        fix: FIX,
        data: {
          nestedId: n.id ?? '(no ID)',
          container: `${n.containerLocal} (${n.containerPath})`,
          nestedPath: n.path,
          readWhat: read.what,
          readId: read.id,
          readPath: read.path,
        },
        evidence: [
          { label: 'nested Assertion', expected: 'Assertions only directly in the Response', actual: `ID ${n.id ?? '(no ID)'}`, path: n.path },
          { label: `${read.what} the sign-in is read from`, actual: `ID ${read.id}`, path: read.path },
        ],
      });
    }
    const nestedPaths = new Set(nested.map((n) => n.path));

    // 3. Duplicate ID values.
    for (const [id, paths] of Object.entries(m.ids)) {
      if (paths.length < 2) continue;
      report({
        message: 'duplicateId',
        fix: FIX,
        data: { id, count: paths.length, paths: paths.join(', ') },
        evidence: paths.map((p, i) => ({
          label: `element ${i + 1} with ID ${id}`,
          expected: 'an ID used by one element only',
          actual: id,
          path: p,
        })),
      });
    }

    // 4. Each signature's Reference.
    const readPaths = new Set<string>([m.rootPath, ...(m.kind === 'Response' ? m.assertions.map((a) => a.path) : [])]);
    for (const s of m.allSignatures) {
      const refs = s.references;
      if (refs.length === 0) continue; // no Reference: signature-missing counts it as no signature.
      const parentId = s.parentId ?? '(no ID)';
      const refPath = `${s.path}/SignedInfo/Reference`;
      if (refs.length > 1) {
        report({
          message: 'multipleReferences',
          fix: FIX,
          data: {
            sigPath: s.path,
            count: refs.length,
            uris: refs.map((r) => (r.uri === undefined ? '(no URI)' : `"${r.uri}"`)).join(', '),
            parentLocal: s.parentLocal,
            parentId,
          },
          evidence: refs.map((r, i) => ({
            label: `Reference ${i + 1} of ${refs.length}`,
            expected: `exactly one Reference, URI="#${parentId}"`,
            actual: r.uri === undefined ? '(no URI attribute)' : `URI="${r.uri}"`,
            path: `${refPath}[${i + 1}]`,
          })),
        });
        continue;
      }
      const uri = refs[0]!.uri;
      if (uri === '') {
        if (s.parentPath === m.rootPath) continue; // the whole document: fine for the root's own signature.
        report({
          message: 'emptyUri',
          fix: FIX,
          data: { parentLocal: s.parentLocal, parentId },
          evidence: [{ label: 'Reference URI', expected: `#${parentId}`, actual: '"" (the whole document)', path: refPath }],
        });
        continue;
      }
      const refId = uri !== undefined && uri.startsWith('#') ? uri.slice(1) : undefined;
      if (refId === undefined || refId !== s.parentId) {
        const targets = refId !== undefined ? (m.ids[refId] ?? []) : [];
        const pointsAt =
          uri === undefined
            ? 'has no URI attribute'
            : refId === undefined
              ? `points at "${uri}", which is not a same-document reference`
              : targets.length
                ? `points at "${uri}", which is the ID of ${targets.join(', ')}`
                : `points at "${uri}", which matches no element in the message`;
        report({
          message: 'referenceMismatch',
          fix: FIX,
          data: { sigPath: s.path, parentLocal: s.parentLocal, parentId, pointsAt },
          evidence: [
            { label: 'Reference URI', expected: `#${parentId}`, actual: uri === undefined ? '(no URI attribute)' : uri, path: refPath },
            { label: 'element the signature sits in', actual: `${s.parentLocal} ID ${parentId}`, path: s.parentPath },
            { label: 'element the Reference points at', actual: targets.length ? targets.join(', ') : '(none)' },
          ],
        });
        continue;
      }
      // The signature signs its own parent: fine when that parent is what the sign-in is read from.
      if (readPaths.has(s.parentPath) || nestedPaths.has(s.parentPath)) continue;
      report({
        message: 'signsUnreadElement',
        fix: FIX,
        data: {
          sigPath: s.path,
          signedLocal: s.parentLocal,
          signedId: parentId,
          signedPath: s.parentPath,
          readWhat: read.what,
          readId: read.id,
          readPath: read.path,
        },
        evidence: [
          { label: 'signed element', expected: `the ${m.kind} or its Assertion`, actual: `${s.parentLocal} ID ${parentId}`, path: s.parentPath },
          { label: `${read.what} the sign-in is read from`, actual: `ID ${read.id}`, path: read.path },
        ],
      });
    }

    // 5. With the cryptographic verdicts: a valid signature must cover what the sign-in is read from.
    const valid = (ctx.signatures?.signatures ?? []).filter((v) => v.status === 'valid');
    if (valid.length === 0) return; // nothing verified: signature-invalid / signature-missing explain it.
    const signed = valid.flatMap((v) => v.references.filter((r) => r.ok && r.signedPath).map((r) => ({ v, r })));
    const covers = (p: string) => signed.some(({ r }) => p === r.signedPath || p.startsWith(`${r.signedPath}/`));
    if (covers(read.path)) return;
    report({
      message: 'notCovered',
      fix: FIX,
      data: {
        readWhat: read.what,
        readId: read.id,
        readPath: read.path,
        covered: signed.map(({ r }) => `the ${r.signedLocal ?? 'element'} ${r.signedId ?? '(no ID)'} at ${r.signedPath}`).join(' and '),
      },
      evidence: [
        { label: `${read.what} the sign-in is read from`, expected: 'covered by a valid signature', actual: `ID ${read.id}, not covered`, path: read.path },
        ...signed.map(({ v, r }) => ({ label: 'element a valid signature covers', actual: `${r.signedLocal ?? 'element'} ID ${r.signedId ?? '(no ID)'}`, path: r.signedPath!, source: `the signature at ${v.path}` })),
      ],
    });
  },
});
