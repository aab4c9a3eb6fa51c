import { expect, it } from 'vitest';
import { ruleTable, entraGroup, patch } from '../harness.ts';
import { CLEAN } from './common.ts';
import { badFilterOperators } from '../../../lib/scim/rules/scim-unsupported-operation.ts';

const GROUP_PATH = 'PATCH /3b5f8a2e-7c1d/scim/v2/Groups/1a2b HTTP/1.1\nContent-Type: application/scim+json\n\n';

ruleTable(
  'scim-unsupported-operation',
  [
    ...CLEAN,
    { name: 'filter value containing the word "or"', body: patch([{ op: 'replace', path: 'emails[type eq "or ne co"].value', value: 'a@b.c' }]) },
    { name: 'filter combined with and', body: patch([{ op: 'replace', path: 'emails[type eq "work" and primary eq true].value', value: 'a@b.c' }]) },
    { name: 'a POST of a group', body: `POST /x/scim/v2/Groups HTTP/1.1\n\n${JSON.stringify(entraGroup())}` },
    // AWS's own PatchUser example and Entra's default send active as the string "false"/"False".
    { name: 'active as the string "false" (AWS\'s PatchUser example)', body: patch([{ op: 'replace', path: 'active', value: 'false' }]) },
    { name: '"False" as a string (Entra default)', body: patch([{ op: 'replace', path: 'active', value: 'False' }]) },
    { name: 'active "False" inside a value object', body: patch([{ op: 'replace', value: { active: 'False' } }]) },
  ],
  [
    { name: 'op missing', body: patch([{ path: 'title', value: 'x' }]), key: 'opMissing', severity: 'error', evidence: [{ label: 'Operations[0].op', actual: '(missing)', path: '/Operations/0' }] },
    { name: 'op move', body: patch([{ op: 'move', path: 'title', value: 'x' }]), key: 'opUnknown', severity: 'error', messageHas: ['"move"'] },
    {
      name: "Entra's capitalised ops",
      body: patch([{ op: 'Replace', path: 'title', value: 'x' }, { op: 'Add', path: 'nickName', value: 'y' }]),
      key: 'opCase',
      severity: 'warning',
      messageHas: ['"Replace", "Add"'],
      evidence: [{ label: 'op', expected: 'replace, add', actual: 'Replace, Add' }],
    },
    { name: 'remove without a path', body: patch([{ op: 'remove', value: { title: 'x' } }]), key: 'removeNoPath', severity: 'error' },
    { name: 'replace without a value', body: patch([{ op: 'replace', path: 'title' }]), key: 'noValue', severity: 'error' },
    { name: 'remove active', body: patch([{ op: 'remove', path: 'active' }]), key: 'removeForbidden', severity: 'error', messageHas: ['removes active'] },
    {
      name: 'two changes of userName',
      body: patch([{ op: 'replace', path: 'userName', value: 'a@contoso.com' }, { op: 'replace', value: { userName: 'b@contoso.com' } }]),
      key: 'repeated',
      severity: 'error',
      messageHas: ['userName 2 times'],
      evidence: [{ path: '/Operations/0/path' }, { path: '/Operations/1/value/userName' }],
    },
    { name: 'ne in a path filter', body: patch([{ op: 'replace', path: 'emails[type ne "work"].value', value: 'a@b.c' }]), key: 'filterOperator', severity: 'error', messageHas: ['ne'] },
    { name: 'or in a path filter', body: patch([{ op: 'remove', path: 'members[value eq "a" or value eq "b"]' }]), key: 'filterOperator', severity: 'error' },
    {
      name: 'replace all members',
      body: `${GROUP_PATH}${JSON.stringify(patch([{ op: 'replace', path: 'members', value: [{ value: 'a' }, { value: 'b' }] }]))}`,
      key: 'replaceMembers',
      severity: 'error',
      evidence: [{ label: 'Operations[0]', actual: 'replace members (2 values)', path: '/Operations/0' }],
    },
    { name: 'replace members with an empty list', body: patch([{ op: 'replace', path: 'members', value: [] }]), target: 'Group', key: 'replaceMembers', severity: 'error', messageHas: ['204'] },
    { name: 'remove all members', body: patch([{ op: 'remove', path: 'members' }]), target: 'Group', key: 'removeAllMembers', severity: 'error' },
    { name: 'active as a string that is neither true nor false', body: patch([{ op: 'replace', path: 'active', value: 'no' }]), key: 'activeString', severity: 'warning', messageHas: ['"no"'] },
    {
      name: "Entra's member removal by value",
      body: patch([{ op: 'remove', path: 'members', value: [{ value: '3f1e0c4a' }] }]),
      target: 'Group',
      key: 'removeByValue',
      severity: 'info',
      messageHas: ['1 member'],
    },
    { name: 'PUT on a group', body: `PUT /x/scim/v2/Groups/1a2b HTTP/1.1\n\n${JSON.stringify(entraGroup())}`, key: 'putGroup', severity: 'error', evidence: [{ actual: 'PUT /x/scim/v2/Groups/1a2b' }] },
    { name: 'POST to /Bulk', body: `POST https://scim.eu-west-1.amazonaws.com/x/scim/v2/Bulk\n${JSON.stringify(patch([{ op: 'add', path: 'title', value: 'x' }]))}`, key: 'endpoint', severity: 'error', messageHas: ['/Bulk'] },
    { name: 'no operations', body: patch([]), key: 'noOperations', severity: 'warning' },
  ],
);

it('badFilterOperators ignores quoted values', () => {
  expect(badFilterOperators('value eq "a or b"')).toEqual([]);
  expect(badFilterOperators('type sw "w"')).toEqual(['sw']);
  expect(badFilterOperators('value pr')).toEqual(['pr']);
});
