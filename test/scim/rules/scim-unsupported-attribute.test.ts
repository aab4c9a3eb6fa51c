import { ruleTable, ENTERPRISE, entraGroup, entraUser, patch } from '../harness.ts';
import { CLEAN } from './common.ts';

ruleTable(
  'scim-unsupported-attribute',
  [
    ...CLEAN,
    { name: 'enterprise extension attributes and manager value', body: entraUser() },
    { name: 'PATCH of an enterprise attribute by URN path', body: patch([{ op: 'replace', path: `${ENTERPRISE}:department`, value: 'Sales' }]) },
    { name: 'meta without version', body: entraUser({ meta: { resourceType: 'User' } }) },
    // Entra's standards-compliant mode (aadOptscim062020) names enterprise attributes in full.
    {
      name: "Entra's compliant-mode PATCH: enterprise attributes as full-URN keys of the value",
      body: patch([{ op: 'replace', value: { [`${ENTERPRISE}:department`]: 'Sales', [`${ENTERPRISE}:employeeNumber`]: '0042', [`${ENTERPRISE}:manager`]: 'b1c2d3e4' } }]),
    },
    { name: 'a user with an enterprise attribute as a full-URN key', body: entraUser({ [`${ENTERPRISE}:costCenter`]: 'CC-7' }) },
  ],
  [
    { name: 'password', body: entraUser({ password: 'hunter2' }), key: 'unsupported', severity: 'warning', evidence: [{ label: 'password', actual: '(a password)', path: '/password' }] },
    { name: 'photos', body: entraUser({ photos: [{ value: 'https://x/y.png' }] }), key: 'unsupported', severity: 'warning', messageHas: ['photos'] },
    { name: 'groups on a user', body: entraUser({ groups: [{ value: 'g1' }] }), key: 'groups', severity: 'warning' },
    { name: 'display sub-attribute of an email', body: entraUser({ emails: [{ value: 'a@contoso.com', display: 'Alex', primary: true }] }), key: 'unsupported', severity: 'warning', evidence: [{ label: 'emails.display', path: '/emails/0/display' }] },
    { name: 'manager displayName', body: entraUser({ [ENTERPRISE]: { manager: { value: 'x', displayName: 'Boss' } } }), key: 'unsupported', severity: 'warning', messageHas: ['enterprise.manager.displayName'] },
    { name: 'meta.version', body: entraUser({ meta: { version: 'W/"1"' } }), key: 'unsupported', severity: 'warning' },
    { name: 'unknown attribute', body: entraUser({ favouriteColour: 'blue' }), key: 'unknown', severity: 'warning', evidence: [{ label: 'favouriteColour', path: '/favouriteColour' }] },
    { name: 'custom extension schema', body: entraUser({ 'urn:ietf:params:scim:schemas:extension:contoso:2.0:User': { badge: '1' } }), key: 'extension', severity: 'warning' },
    { name: 'unknown attribute on a group', body: entraGroup({ description: 'x' }), key: 'unknown', severity: 'warning' },
    { name: 'a role with display (AWS refuses it)', body: entraUser({ roles: [{ value: 'admin', display: 'Administrator', primary: true }] }), key: 'rolesDisplay', severity: 'error', evidence: [{ label: 'roles.display', path: '/roles/0/display' }] },
    { name: 'an unknown enterprise attribute named in full', body: entraUser({ [`${ENTERPRISE}:badge`]: '7' }), key: 'unknown', severity: 'warning', messageHas: ['enterprise.badge'] },
    {
      name: 'PATCH of a group description (only displayName, members, externalId)',
      body: patch([{ op: 'replace', path: 'description', value: 'x' }]),
      target: 'Group',
      key: 'patchNotAllowed',
      severity: 'error',
      evidence: [{ label: 'Operations[0]', expected: 'one of displayName, members, externalId', actual: 'description', path: '/Operations/0/path' }],
    },
    { name: 'PATCH of a user\'s roles (not in PatchUser\'s list)', body: patch([{ op: 'add', path: 'roles', value: [{ value: 'x' }] }]), target: 'User', key: 'patchNotAllowed', severity: 'error' },
    { name: 'PATCH of a user\'s x509Certificates, target told by the attributes', body: patch([{ op: 'add', value: { x509Certificates: [{ value: 'MII' }], title: 'x' } }]), key: 'patchNotAllowed', severity: 'error' },
  ],
);
