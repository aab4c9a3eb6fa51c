// The registry: every check, one line each. The directory is the spec: test/checks/registry.test.ts
// fails when a file in lib/checks is not registered here, has no test, or is not documented.
import type { Check } from './types.ts';
import { decodeError } from './decode-error.ts';
import { requiredAttributeMissing } from './required-attribute-missing.ts';
import { requestNotIdentityCenter } from './request-not-identity-center.ts';
import { audienceMismatch } from './audience-mismatch.ts';
import { statusNotSuccess } from './status-not-success.ts';
import { signatureMissing } from './signature-missing.ts';
import { assertionUnsigned } from './assertion-unsigned.ts';
import { signatureWeakAlgorithm } from './signature-weak-algorithm.ts';
import { signatureWrapping } from './signature-wrapping.ts';
import { encryptedAssertion } from './encrypted-assertion.ts';
import { assertionTooLarge } from './assertion-too-large.ts';
import { nameidComment } from './nameid-comment.ts';
import { conditionsExpired } from './conditions-expired.ts';
import { conditionsNotYetValid } from './conditions-not-yet-valid.ts';
import { accesscontrolMissing } from './accesscontrol-missing.ts';
import { accesscontrolInvalid } from './accesscontrol-invalid.ts';
import { issuerMismatch } from './issuer-mismatch.ts';
import { iamFederationMixup } from './iam-federation-mixup.ts';
import { nameidMissing } from './nameid-missing.ts';
import { nameidFormat } from './nameid-format.ts';
import { nameidMismatch } from './nameid-mismatch.ts';
import { nameidGuest } from './nameid-guest.ts';
import { destinationMismatch } from './destination-mismatch.ts';
import { recipientMismatch } from './recipient-mismatch.ts';
import { inResponseToMismatch } from './in-response-to-mismatch.ts';
import { signatureInvalid } from './signature-invalid.ts';
import { signatureCertMismatch } from './signature-cert-mismatch.ts';
import { certificateExpiring } from './certificate-expiring.ts';

export const CHECKS: readonly Check[] = [
  decodeError,
  requiredAttributeMissing,
  requestNotIdentityCenter,
  statusNotSuccess,
  signatureMissing,
  assertionUnsigned,
  signatureWeakAlgorithm,
  signatureWrapping,
  encryptedAssertion,
  assertionTooLarge,
  nameidComment,
  audienceMismatch,
  conditionsExpired,
  conditionsNotYetValid,
  accesscontrolMissing,
  accesscontrolInvalid,
  issuerMismatch,
  iamFederationMixup,
  nameidMissing,
  nameidFormat,
  nameidMismatch,
  nameidGuest,
  destinationMismatch,
  recipientMismatch,
  inResponseToMismatch,
  signatureInvalid,
  signatureCertMismatch,
  certificateExpiring,
] as Check[];
