// The SCIM cross-check's answers (lib/scim/crosscheck.ts) in the checklist's plain shape: for the
// NameID of a captured assertion, does Identity Center have a user with that user name? Sign-in
// matches the NameID against the user name, and nothing creates users at sign-in (FACTS A1.3,
// A1.4). Pure; type-only import, so the checklist does not load the SCIM client.
import type { CrossCheckResult } from '../scim/crosscheck.ts';
import type { ScimUserLookup } from './types.ts';

/** One lookup per cross-check, in the order given (later ones win in buildChecklist). */
export function scimLookupsFromCrossChecks(results: readonly Pick<CrossCheckResult, 'identity' | 'user' | 'error'>[]): ScimUserLookup[] {
  return results.map((r) => {
    const l: ScimUserLookup = { nameId: r.identity.nameId, found: !r.error && !!r.user };
    if (r.user) {
      l.userName = r.user.userName;
      if (r.user.active === false) l.active = false;
    }
    if (r.error) l.error = r.error.message;
    return l;
  });
}
