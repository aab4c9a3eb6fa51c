// The console click paths moved to lib/domain/console.ts (lib/entra, lib/flow and lib/scim use
// them too, and may not import from lib/checks); this name stays for the checks' imports.
export * from '../domain/console.ts';
