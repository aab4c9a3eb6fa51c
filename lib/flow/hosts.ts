// The hosts of these sign-ins moved to lib/domain/hosts.ts (domain knowledge below lib/flow,
// which lib/pages and lib/har read too); this name stays for existing imports.
export * from '../domain/hosts.ts';
