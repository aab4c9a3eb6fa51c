// The pages samlscope's content scripts run on (WXT reads these when it writes the manifest).

/** Where Entra's and Identity Center's sign-in errors are shown: the page-error reader. */
export const ERROR_PAGE_MATCHES = [
  'https://login.microsoftonline.com/*',
  'https://login.microsoft.com/*',
  'https://*.signin.aws.amazon.com/*',
  'https://*.signin.aws/*',
  'https://*.awsapps.com/*',
  'https://*.app.aws/*',
  'https://*.portal.amazonaws.com/*',
];

/** Every page of a sign-in (the error pages, plain IAM's sign-in host, My Apps): the witness. */
export const SIGN_IN_PAGE_MATCHES = [
  ...ERROR_PAGE_MATCHES,
  'https://signin.aws.amazon.com/*',
  'https://myapps.microsoft.com/*',
  'https://launcher.myapps.microsoft.com/*',
  'https://myapplications.microsoft.com/*',
];
