import { ruleTable, entraGroup, entraUser, patch } from '../harness.ts';
import { CLEAN } from './common.ts';

const local = (n: number) => 'a'.repeat(n);
const members = (n: number) => Array.from({ length: n }, (_, i) => ({ value: `m-${i}` }));

ruleTable(
  'scim-too-long',
  [
    ...CLEAN,
    { name: 'user name of exactly 128 characters', body: entraUser({ userName: `${local(116)}@contoso.com` }) },
    { name: 'display name of 1024 characters', body: entraUser({ displayName: local(1024) }) },
    { name: '128 characters counted as code points (emoji)', body: entraUser({ userName: `${'😀'.repeat(116)}@contoso.com` }) },
    { name: 'group with 100 members', body: entraGroup({ members: members(100) }) },
    { name: 'PATCH with 100 membership changes', body: patch([{ op: 'add', path: 'members', value: members(100) }]), target: 'Group' },
  ],
  [
    {
      name: 'user name of 129 characters',
      body: entraUser({ userName: `${local(117)}@contoso.com` }),
      key: 'length',
      severity: 'error',
      messageHas: ['userName is 129 characters long', 'at most 128'],
      evidence: [{ label: 'userName', expected: 'at most 128 characters', path: '/userName' }],
    },
    { name: 'given name of 1025 characters', body: entraUser({ name: { givenName: local(1025), familyName: 'M' } }), key: 'length', severity: 'error', evidence: [{ label: 'name.givenName' }] },
    { name: 'PATCH replacing displayName with 2000 characters', body: patch([{ op: 'replace', path: 'displayName', value: local(2000) }]), key: 'length', severity: 'error' },
    {
      name: 'CreateGroup with 101 members',
      body: entraGroup({ members: members(101) }),
      key: 'members',
      severity: 'error',
      messageHas: ['This group has 101 members', 'at most 100'],
      evidence: [{ label: 'members', actual: '101 members', path: '/members' }],
    },
    {
      name: 'PATCH with 60 adds and 45 filtered removes',
      body: patch([{ op: 'add', path: 'members', value: members(60) }, ...Array.from({ length: 45 }, (_, i) => ({ op: 'remove', path: `members[value eq "r-${i}"]` }))]),
      key: 'members',
      severity: 'error',
      messageHas: ['changes 105 members'],
    },
  ],
);
