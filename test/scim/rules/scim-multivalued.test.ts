import { ruleTable, entraUser, patch } from '../harness.ts';
import { CLEAN } from './common.ts';

ruleTable(
  'scim-multivalued',
  [
    ...CLEAN,
    { name: 'one email, one phone, one address', body: entraUser() },
    { name: 'two replaces of the same phone type', body: patch([{ op: 'replace', path: 'phoneNumbers[type eq "work"].value', value: '1' }, { op: 'replace', path: 'phoneNumbers[type eq "work"].primary', value: true }]) },
    // One filter in two spellings is one type (SCIM attribute names and operators ignore case,
    // and `type` values are not case-exact): issue 17, a surviving mutant counted them as two.
    { name: 'one phone type spelt two ways (case, spaces)', body: patch([{ op: 'replace', path: 'phoneNumbers[type eq "work"].value', value: '1' }, { op: 'replace', path: 'phoneNumbers[Type  EQ "Work"].primary', value: true }]) },
    { name: 'one phone type, spaces inside the brackets', body: patch([{ op: 'add', path: 'phoneNumbers[type eq "work"].value', value: '1' }, { op: 'add', path: 'phoneNumbers[ type eq "work" ].display', value: '1' }]) },
    { name: 'removing the mobile number while setting the work one', body: patch([{ op: 'remove', path: 'phoneNumbers[type eq "mobile"]' }, { op: 'replace', path: 'phoneNumbers[type eq "work"].value', value: '1' }]) },
  ],
  [
    {
      name: 'one email not marked primary (AWS requires primary)',
      body: entraUser({ emails: [{ type: 'work', value: 'Åsa.Öberg@contoso.com' }] }),
      key: 'notPrimary',
      severity: 'error',
      messageHas: ['Åsa.Öberg@contoso.com', 'primary'],
      evidence: [{ label: 'emails[0].primary', expected: 'true', actual: '(absent)', path: '/emails/0' }],
    },
    {
      name: 'two emails (mail and otherMails)',
      body: entraUser({ emails: [{ primary: true, type: 'work', value: 'alex.morgan@contoso.com' }, { type: 'other', value: 'alex@example.org' }] }),
      key: 'many',
      severity: 'error',
      messageHas: ['emails has 2 values', 'Currently list attributes only allow single item', 'List attribute emails exceeds allowed limit of 1'],
      evidence: [{ label: 'emails', expected: '1 value', actual: '2 values: alex.morgan@contoso.com (work), alex@example.org (other)', path: '/emails' }],
    },
    {
      name: 'work, mobile and fax phones in a create',
      body: entraUser({ phoneNumbers: [{ type: 'work', value: '1' }, { type: 'mobile', value: '2' }, { type: 'fax', value: '3' }] }),
      key: 'many',
      severity: 'error',
      messageHas: ['phoneNumbers has 3 values'],
    },
    {
      name: 'two addresses',
      body: entraUser({ addresses: [{ type: 'work', formatted: 'A' }, { type: 'home', formatted: 'B' }] }),
      key: 'many',
      severity: 'error',
    },
    {
      name: 'Entra PATCH adding work and mobile phones (the common cause)',
      body: patch([
        { op: 'add', path: 'phoneNumbers[type eq "work"].value', value: '+44 20 7946 0000' },
        { op: 'add', path: 'phoneNumbers[type eq "mobile"].value', value: '+44 7700 900000' },
      ]),
      key: 'types',
      severity: 'error',
      messageHas: ['phoneNumbers of 2 types (work, mobile)'],
      evidence: [
        { label: 'phoneNumbers (Operations[0])', actual: 'phoneNumbers[type eq "work"]', path: '/Operations/0/path' },
        { label: 'phoneNumbers (Operations[1])', actual: 'phoneNumbers[type eq "mobile"]' },
      ],
    },
    {
      name: 'two types, one of them spelt twice: counted as two, each named once',
      body: patch([
        { op: 'add', path: 'phoneNumbers[type eq "work"].value', value: '+44 20 7946 0000' },
        { op: 'add', path: 'phoneNumbers[TYPE eq "WORK"].primary', value: true },
        { op: 'add', path: 'phoneNumbers[type eq "mobile"].value', value: '+44 7700 900000' },
      ]),
      key: 'types',
      severity: 'error',
      messageHas: ['phoneNumbers of 2 types (work, mobile)'],
      evidence: [
        { label: 'phoneNumbers (Operations[0])', actual: 'phoneNumbers[type eq "work"]', path: '/Operations/0/path' },
        { label: 'phoneNumbers (Operations[2])', actual: 'phoneNumbers[type eq "mobile"]', path: '/Operations/2/path' },
      ],
    },
    {
      name: 'PATCH replacing emails with a list of two',
      body: patch([{ op: 'replace', path: 'emails', value: [{ value: 'a@contoso.com', primary: true }, { value: 'b@contoso.com' }] }]),
      key: 'many',
      severity: 'error',
      evidence: [{ label: 'emails (Operations[0])', path: '/Operations/0/value' }],
    },
    {
      name: 'PATCH without path, value with two emails',
      body: patch([{ op: 'add', value: { emails: [{ value: 'a@contoso.com' }, { value: 'b@contoso.com' }] } }]),
      key: 'many',
      severity: 'error',
      evidence: [{ path: '/Operations/0/value/emails' }],
    },
  ],
);
