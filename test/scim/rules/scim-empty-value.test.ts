import { ruleTable, entraGroup, entraUser, patch } from '../harness.ts';
import { CLEAN } from './common.ts';

ruleTable(
  'scim-empty-value',
  [...CLEAN, { name: 'optional attribute left out (what Entra does with null)', body: entraUser({ title: undefined }) }, { name: 'a null value', body: entraUser({ title: null }) }],
  [
    {
      name: 'empty given name (the documented two validation errors)',
      body: entraUser({ name: { givenName: '', familyName: 'Morgan' } }),
      key: 'required',
      severity: 'error',
      messageHas: ["Value at 'name.givenName'", 'length greater than or equal to 1'],
      evidence: [{ label: 'name.givenName', actual: '', path: '/name/givenName' }],
    },
    { name: 'empty title', body: entraUser({ title: '' }), key: 'other', severity: 'error', evidence: [{ label: 'title', path: '/title' }] },
    { name: 'empty enterprise department', body: entraUser({ 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User': { department: '' } }), key: 'other', severity: 'error', evidence: [{ label: 'enterprise.department' }] },
    { name: 'PATCH replacing the phone with ""', body: patch([{ op: 'replace', path: 'phoneNumbers[type eq "work"].value', value: '' }]), key: 'other', severity: 'error', evidence: [{ label: 'phoneNumbers.value', path: '/Operations/0/value' }] },
    { name: 'empty group name', body: entraGroup({ displayName: '' }), key: 'required', severity: 'error' },
    { name: 'two empty values', body: entraUser({ title: '', nickName: '' }), key: 'other', severity: 'error', count: 2 },
  ],
);
