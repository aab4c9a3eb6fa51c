import { ruleTable, entraGroup, entraUser, patch } from '../harness.ts';
import { CLEAN } from './common.ts';

const noName = entraUser();
delete noName.name;
const noDisplay = entraUser();
delete noDisplay.displayName;

ruleTable(
  'scim-required-missing',
  [
    ...CLEAN,
    { name: 'a blank given name is scim-empty-value, not missing', body: entraUser({ name: { givenName: '', familyName: 'Morgan' } }) },
    { name: 'a user PATCH that sets names', body: patch([{ op: 'replace', path: 'name.familyName', value: 'Morgan-Lee' }]) },
  ],
  [
    {
      name: 'no name at all (Entra user without First and Last name)',
      body: noName,
      key: 'missing',
      severity: 'error',
      messageHas: ['name.givenName, name.familyName'],
      evidence: [
        { label: 'name.givenName', actual: '(missing)', path: '/' },
        { label: 'name.familyName', actual: '(missing)', path: '/' },
      ],
    },
    {
      name: 'no displayName',
      body: noDisplay,
      key: 'missing',
      severity: 'error',
      evidence: [{ label: 'displayName', expected: 'a value (Entra: displayName (Display name))', actual: '(missing)' }],
    },
    {
      name: 'familyName null',
      body: entraUser({ name: { givenName: 'Alex', familyName: null } }),
      key: 'missing',
      severity: 'error',
      evidence: [{ label: 'name.familyName', path: '/name' }],
    },
    { name: 'group without displayName', body: { schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'], members: [] }, key: 'missing', severity: 'error', evidence: [{ label: 'displayName' }] },
    {
      name: 'user PATCH removes the family name',
      body: patch([{ op: 'remove', path: 'name.familyName' }]),
      key: 'removed',
      severity: 'warning',
      evidence: [{ label: 'Operations[0]', actual: 'remove name.familyName', path: '/Operations/0' }],
    },
    {
      name: 'group PATCH removes displayName',
      body: patch([{ op: 'remove', path: 'displayName' }]),
      target: 'Group',
      key: 'removed',
      severity: 'error',
    },
    { name: 'group body in a list: missing name', body: [entraGroup({ displayName: null })], key: 'missing', severity: 'error', evidence: [{ path: '/0' }] },
  ],
);
