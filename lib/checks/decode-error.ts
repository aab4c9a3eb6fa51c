import type { CapturedMessage, Evidence, Finding } from '../types.ts';
import { defineCheck, renderTemplate } from './types.ts';

/** The codes a message can fail with before any check can read it. */
export type UnreadableCode =
  | 'empty'
  | 'bad-base64'
  | 'inflate-failed'
  | 'not-xml'
  | 'too-large'
  | 'doctype-refused'
  | 'malformed-xml'
  | 'undeclared-prefix'
  | 'not-saml';

const FIXES: Record<UnreadableCode, string> = {
  empty: 'Capture the sign-in again; if the parameter is empty in the browser too, the sender produced nothing (check the Entra sign-in logs).',
  'bad-base64':
    'Copy the whole SAMLRequest/SAMLResponse value again (from the browser\'s network panel: Payload → view source), without quotes, line numbers or the "SAMLResponse=" prefix; or export a HAR file.',
  'inflate-failed':
    'A Redirect-binding value is base64 of raw DEFLATE: take it from the URL\'s SAMLRequest parameter, whole. A value that was truncated by a chat or ticket system cannot be inflated.',
  'not-xml': 'Make sure the value is a SAML message (SAMLRequest/SAMLResponse), not a token, cookie or other parameter.',
  'too-large': 'A real SAML message is a few KB. Check that the right parameter was captured; if it is real, raise the limit with --max-bytes.',
  'doctype-refused': 'No identity provider sends a DOCTYPE. If this came from a real sign-in, treat it as an attack and report it to your security team.',
  'malformed-xml': 'The message is damaged: capture it again, or export a HAR file rather than copying text.',
  'undeclared-prefix':
    'A namespace prefix (such as saml2: or samlp:) is used without its xmlns declaration, so no namespace-aware reader, AWS included, accepts the XML. Entra never sends this: take the whole SAMLResponse value from the browser (or a HAR file) rather than a part of the message or a hand-edited copy; if it really arrived like this, the sender is not Entra\'s SAML service.',
  'not-saml': 'Give samlscope the SAMLRequest or SAMLResponse of the sign-in (the whole protocol message).',
};

export const decodeError = defineCheck({
  id: 'decode-error',
  severity: 'error',
  title: 'The message could not be read',
  docs:
    'A SAML value that cannot be decoded or parsed cannot be checked; nothing about it is known. ' +
    'Often the capture or the copy is damaged rather than the sign-in.',
  facts: ['E4'],
  // Runs on messages that failed to decode: the analysis calls decodeErrorFinding() for those.
  appliesTo: [],
  messages: {
    unreadable: '{param} could not be read ({code}): {reason}',
  },
  titles: {
    unreadable: 'The message could not be read',
  },
  run() {},
});

export function decodeErrorFinding(capture: CapturedMessage, code: UnreadableCode, reason: string, flowId?: string): Finding {
  const param = capture.param ?? 'The value';
  const sample = capture.raw.length > 60 ? `${capture.raw.slice(0, 60)}… (${capture.raw.length} characters)` : capture.raw;
  const evidence: Evidence[] = [
    { label: 'error', actual: code },
    { label: 'value as received', actual: sample },
  ];
  if (capture.url) evidence.push({ label: 'URL', actual: capture.url });
  return {
    checkId: decodeError.id,
    severity: decodeError.severity,
    title: decodeError.title,
    message: renderTemplate(decodeError.messages.unreadable, { param, code, reason }),
    evidence,
    fix: FIXES[code],
    messageId: capture.id,
    ...(flowId ? { flowId } : {}),
    messageKey: 'unreadable',
    facts: decodeError.facts,
  };
}
