import { defineConfig } from 'wxt';
import preact from '@preact/preset-vite';

// The extension. lib/ holds the pure core; entrypoints/ only wire browser events to it.
export default defineConfig({
  srcDir: '.',
  entrypointsDir: 'entrypoints',
  outDir: '.output',
  manifest: ({ manifestVersion }) => ({
    name: 'samlscope',
    description: 'Debug SAML sign-in between Microsoft Entra ID and AWS IAM Identity Center',
    permissions: ['webRequest', 'storage'],
    // The hosts of these sign-ins (FACTS A3.4, A4, B1, B4). Anything wider is optional and asked
    // for on the options page when the user needs it.
    host_permissions: [
      'https://login.microsoftonline.com/*',
      'https://login.microsoft.com/*',
      'https://*.signin.aws.amazon.com/*',
      'https://signin.aws.amazon.com/*',
      'https://*.signin.aws/*',
      'https://*.awsapps.com/*',
      'https://*.portal.amazonaws.com/*',
      'https://*.app.aws/*',
      'https://myapps.microsoft.com/*',
      'https://launcher.myapps.microsoft.com/*',
      'https://myapplications.microsoft.com/*',
    ],
    // portal.sso.<region>.amazonaws.com needs all of amazonaws.com; other IdP hosts (ADFS,
    // custom domains) are the user's own: both granted on request from the options page.
    // The SCIM page asks for scim.<region>.amazonaws.com / scim.<region>.api.aws (dual-stack) when first used.
    ...(manifestVersion === 2
      ? { optional_permissions: ['https://*.amazonaws.com/*', 'https://*.api.aws/*', 'https://*/*'] }
      : { optional_host_permissions: ['https://*.amazonaws.com/*', 'https://*.api.aws/*', 'https://*/*'] }),
    storage: { managed_schema: 'managed_schema.json' },
    action: { default_title: 'samlscope' },
    browser_specific_settings: { gecko: { id: 'samlscope@samlscope.dev', strict_min_version: '115.0', data_collection_permissions: { required: ['none'] } } },
  }),
  vite: () => ({ plugins: [preact()] }),
});
