import { defineConfig } from 'wxt';
import preact from '@preact/preset-vite';

// The extension. lib/ holds the pure core; entrypoints/ only wire browser events to it.
export default defineConfig({
  srcDir: '.',
  entrypointsDir: 'entrypoints',
  outDir: '.output',
  manifest: {
    name: 'samlscope',
    description: 'Debug SAML sign-in between Microsoft Entra ID and AWS IAM Identity Center',
    permissions: ['webRequest', 'storage'],
    host_permissions: [
      'https://login.microsoftonline.com/*',
      'https://login.microsoft.com/*',
      'https://*.signin.aws.amazon.com/*',
      'https://signin.aws.amazon.com/*',
      'https://*.signin.aws/*',
      'https://*.awsapps.com/*',
      'https://myapps.microsoft.com/*',
      'https://launcher.myapps.microsoft.com/*',
      'https://myapplications.microsoft.com/*',
    ],
    browser_specific_settings: { gecko: { id: 'samlscope@samlscope.dev' } },
  },
  vite: () => ({ plugins: [preact()] }),
});
