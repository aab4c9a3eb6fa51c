// The payload linter's registry: every rule, one line each. The directory is the spec:
// test/scim/registry.test.ts fails when a file in lib/scim/rules is not registered here, has no
// test, or is not documented.
import type { ScimRule } from '../types.ts';
import { scimRequiredMissing } from './scim-required-missing.ts';
import { scimMultivalued } from './scim-multivalued.ts';
import { scimInvalidCharacters } from './scim-invalid-characters.ts';
import { scimTooLong } from './scim-too-long.ts';
import { scimEmptyValue } from './scim-empty-value.ts';
import { scimGuestUsername } from './scim-guest-username.ts';
import { scimReservedName } from './scim-reserved-name.ts';
import { scimUnsupportedAttribute } from './scim-unsupported-attribute.ts';
import { scimUnsupportedOperation } from './scim-unsupported-operation.ts';
import { scimError } from './scim-error.ts';

export const SCIM_RULES: readonly ScimRule[] = [
  scimError,
  scimRequiredMissing,
  scimMultivalued,
  scimEmptyValue,
  scimInvalidCharacters,
  scimTooLong,
  scimReservedName,
  scimGuestUsername,
  scimUnsupportedOperation,
  scimUnsupportedAttribute,
] as ScimRule[];

export function scimRuleById(id: string): ScimRule | undefined {
  return SCIM_RULES.find((r) => r.id === id);
}
