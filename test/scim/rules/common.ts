// Payloads every rule must pass: what Entra's AWS IAM Identity Center gallery app sends on a
// healthy cycle (create user and group, update, disable, membership add/remove).
import type { Case } from '../harness.ts';
import { entraGroup, entraUser, patch } from '../harness.ts';

export const CLEAN: Case[] = [
  { name: 'clean Entra CreateUser', body: entraUser() },
  { name: 'clean Entra CreateGroup', body: entraGroup() },
  {
    name: 'clean user update (replace title and emails, lower-case ops)',
    body: patch([
      { op: 'replace', path: 'title', value: 'Lead Engineer' },
      { op: 'replace', path: 'emails[type eq "work"].value', value: 'alex.morgan@contoso.com' },
      { op: 'replace', path: 'name.givenName', value: 'Alexandra' },
    ]),
  },
  { name: 'disable a user (replace active false)', body: patch([{ op: 'replace', path: 'active', value: false }]) },
  {
    name: 'group membership add and remove by filter',
    body: patch([
      { op: 'add', path: 'members', value: [{ value: '3f1e0c4a-1111-2222-3333-444455556666' }] },
      { op: 'remove', path: 'members[value eq "9e9e9e9e-1111-2222-3333-444455556666"]' },
    ]),
  },
  {
    name: 'PATCH without path (value object)',
    body: patch([{ op: 'replace', value: { displayName: 'Alex M.', active: true } }]),
  },
  { name: 'user from a ListResponse', body: { schemas: ['urn:ietf:params:scim:api:messages:2.0:ListResponse'], totalResults: 1, Resources: [entraUser()] } },
];
