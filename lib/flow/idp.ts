// Whose words a finding about a whole attempt speaks: "Entra" only when the attempt's identity
// provider is Entra (issue 12), decided as the checks decide it for one message
// (lib/domain/idp-words.ts), from the attempt's own messages.
import type { Expectations } from '../domain/expectations.ts';
import { findingInIdpTerms, idpHints, idpIsEntra, isEntraIssuer } from '../domain/idp-words.ts';
import { hostRole, urlHost } from '../domain/hosts.ts';
import type { SamlMessage } from '../saml/model.ts';
import type { CapturedMessage, Finding, Flow } from '../types.ts';

/**
 * Is the attempt's identity provider Entra? Its Response says (by its Issuer), else its
 * AuthnRequest (by where it went), else a hop to Entra's sign-in host, else the configured IdP
 * entity ID. An attempt that shows none of these is taken as Entra's, the integration samlscope
 * is built for: nothing in it names another identity provider.
 */
export function flowIdpIsEntra(flow: Flow, messages: ReadonlyMap<string, { capture: CapturedMessage; model?: SamlMessage }>, e?: Expectations): boolean {
  const list = flow.messageIds.map((id) => messages.get(id)).filter((m): m is NonNullable<typeof m> => !!m?.model);
  const response = list.find((m) => m.model!.kind === 'Response');
  if (response) return idpIsEntra(response.model!, idpHints(response.capture.url, e?.idpEntityId));
  const request = list.find((m) => m.model!.kind === 'AuthnRequest');
  if (request) return idpIsEntra(request.model!, idpHints(request.capture.url, e?.idpEntityId));
  if (flow.steps.some((s) => hostRole(urlHost(s.url)) === 'entra')) return true;
  if (e?.idpEntityId) return isEntraIssuer(e.idpEntityId);
  return true;
}

/** The findings as they are for Entra, in general identity-provider terms otherwise. */
export function inFlowIdpTerms(findings: Finding[], entra: boolean): Finding[] {
  return entra ? findings : findings.map(findingInIdpTerms);
}
