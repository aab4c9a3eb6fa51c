import { ruleTable, entraGroup, entraUser, patch } from '../harness.ts';
import { CLEAN } from './common.ts';

ruleTable(
  'scim-invalid-characters',
  [
    ...CLEAN,
    { name: 'accented and non-Latin names', body: entraUser({ displayName: 'Zoë Ó Briain 王小明', name: { givenName: 'Zoë', familyName: 'Ó Briain' } }) },
    { name: 'user name with + . _ - and an apostrophe', body: entraUser({ userName: "o'brien+aws_test-1.x@contoso.com" }) },
    { name: 'a title with a colon is not checked as a name', body: entraUser({ title: 'R&D: Lead' }) },
  ],
  [
    {
      name: '% in the user name',
      body: entraUser({ userName: 'alex%morgan@contoso.com' }),
      key: 'userName',
      severity: 'error',
      messageHas: ['"%"'],
      evidence: [{ label: 'userName', actual: 'alex%morgan@contoso.com', path: '/userName' }],
    },
    { name: 'space in the user name', body: entraUser({ userName: 'alex morgan@contoso.com' }), key: 'userName', severity: 'error', messageHas: ['space (U+0020)'] },
    { name: '< > ; : in the user name, each listed once', body: entraUser({ userName: 'a<b>c;d:e:f@contoso.com' }), key: 'userName', severity: 'error', messageHas: ['"<", ">", ";", ":"'] },
    { name: 'PATCH replacing userName with a tab', body: patch([{ op: 'replace', path: 'userName', value: 'alex\tmorgan@contoso.com' }]), key: 'userName', severity: 'error', evidence: [{ path: '/Operations/0/value' }] },
    {
      name: 'a control character in the given name',
      body: entraUser({ name: { givenName: 'Al\u0007ex', familyName: 'Morgan' } }),
      key: 'name',
      severity: 'error',
      messageHas: ['U+0007'],
      evidence: [{ label: 'name.givenName', path: '/name/givenName' }],
    },
    {
      name: 'a newline in the display name (Microsoft lists it)',
      body: entraUser({ displayName: 'Alex\nMorgan' }),
      key: 'listed',
      severity: 'warning',
      messageHas: ['newline (U+000A)'],
    },
    { name: 'a semicolon in the family name', body: entraUser({ name: { givenName: 'Alex', familyName: 'Morgan;Lee' } }), key: 'listed', severity: 'warning' },
    { name: 'a tab in a group name', body: entraGroup({ displayName: 'AWS\tAdmins' }), key: 'listed', severity: 'warning' },
    { name: 'a control character in the title', body: entraUser({ title: 'Eng\u0000' }), key: 'listed', severity: 'error' },
  ],
);
