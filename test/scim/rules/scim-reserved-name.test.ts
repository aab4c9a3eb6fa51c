import { ruleTable, entraGroup, entraUser, patch } from '../harness.ts';
import { CLEAN } from './common.ts';

ruleTable(
  'scim-reserved-name',
  [
    ...CLEAN,
    { name: 'a user whose display name is Administrator (only the user name is reserved)', body: entraUser({ displayName: 'Administrator' }) },
    { name: 'a group called AWS-Administrators', body: entraGroup({ displayName: 'AWS-Administrators' }) },
  ],
  [
    { name: 'user name Administrator', body: entraUser({ userName: 'Administrator' }), key: 'reserved', severity: 'error', messageHas: ['user name Administrator'], evidence: [{ label: 'userName', actual: 'Administrator', path: '/userName' }] },
    { name: 'group AWSAdministrators', body: entraGroup({ displayName: 'AWSAdministrators' }), key: 'reserved', severity: 'error', evidence: [{ label: 'displayName', path: '/displayName' }] },
    { name: 'group renamed to AWSAdministrators by PATCH', body: patch([{ op: 'replace', path: 'displayName', value: 'AWSAdministrators' }]), target: 'Group', key: 'reserved', severity: 'error' },
    { name: 'case variant awsadministrators', body: entraGroup({ displayName: 'awsadministrators' }), key: 'caseOnly', severity: 'warning', messageHas: ['AWSAdministrators'] },
  ],
);
