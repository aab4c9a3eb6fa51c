import { explainAwsError, readAwsError, type ErrorCause } from '../aws-errors.ts';
import type { Evidence } from '../../types.ts';
import { defineScimRule } from '../types.ts';

const KEY: Record<ErrorCause, 'singleItem' | 'unparsable' | 'constraint' | 'duplicate' | 'throttled' | 'unauthorized' | 'forbidden' | 'notFound' | 'server' | 'unknown'> = {
  'single-item': 'singleItem',
  unparsable: 'unparsable',
  constraint: 'constraint',
  duplicate: 'duplicate',
  throttled: 'throttled',
  unauthorized: 'unauthorized',
  forbidden: 'forbidden',
  'not-found': 'notFound',
  server: 'server',
  unknown: 'unknown',
};

export const scimError = defineScimRule({
  id: 'scim-error',
  severity: 'error',
  title: 'Identity Center answered with a SCIM error',
  docs:
    'An error body from Identity Center\'s SCIM endpoint (as Entra\'s provisioning log, audit log or CloudTrail shows it) says little: the same 400 text covers multi-valued lists, empty strings, missing names and refused characters. ' +
    'This explains the status and detail with the causes AWS documents for each, most likely first.',
  facts: ['C6', 'C5.7', 'C7.1', 'C7.2', 'C1.3', 'D3.10'],
  appliesTo: ['Error'],
  messages: {
    singleItem: '{answer} {meaning} Most likely: {likely}',
    unparsable: '{answer} {meaning} Most likely: {likely}',
    constraint: '{answer} {meaning} Most likely: {likely}',
    duplicate: '{answer} {meaning} Most likely: {likely}',
    throttled: '{answer} {meaning} Most likely: {likely}',
    unauthorized: '{answer} {meaning} Most likely: {likely}',
    forbidden: '{answer} {meaning} Most likely: {likely}',
    notFound: '{answer} {meaning} Most likely: {likely}',
    server: '{answer} {meaning} Most likely: {likely}',
    unknown: '{answer} {meaning}',
  },
  run({ payload: p }, report) {
    const e = readAwsError(p.body);
    if (!e) return;
    const x = explainAwsError(e);
    const status = e.status ?? p.http?.status;
    // Identity Center's own bodies carry no scimType (FACTS C6): a body with one is another SCIM server's.
    const who = e.scimType ? 'The SCIM server' : 'AWS';
    const said = `${who} answered ${status ? `HTTP ${status}` : 'an error'}${e.statusText ? ` (${e.statusText})` : e.type ? ` (${e.type})` : ''}${e.detail ? `: "${e.detail}"` : ''}`;
    const answer = /[.!?]"?$/.test(said) ? said : `${said}.`;
    const evidence: Evidence[] = [];
    if (status !== undefined) evidence.push({ label: 'status', actual: String(status), path: `${p.pointer}/status` });
    if (e.detail !== undefined) evidence.push({ label: 'detail', actual: e.detail, path: `${p.pointer}/${e.shape === 'cloudtrail' ? 'errorMessage' : 'detail'}` });
    if (e.scimType) evidence.push({ label: 'scimType (RFC 7644 §3.12)', actual: e.scimType, path: `${p.pointer}/scimType` });
    for (const c of x.constraints) evidence.push({ label: c.attribute, expected: c.text, actual: c.kind === 'empty' ? '(empty)' : c.kind === 'too-long' ? '(too long)' : c.kind === 'pattern' ? '(characters refused)' : '(refused)' });
    x.likely.slice(1).forEach((l, i) => evidence.push({ label: `other possible cause ${i + 1}`, actual: l }));
    if (e.requestId) evidence.push({ label: 'request id (for an AWS support case)', actual: e.requestId });
    if (e.timeStamp) evidence.push({ label: 'time', actual: e.timeStamp });
    report({
      message: KEY[x.cause],
      severity: x.cause === 'throttled' ? 'warning' : 'error',
      data: { answer, meaning: x.meaning, likely: x.likely[0] ?? '' },
      evidence,
      fix: x.fix,
    });
  },
});
