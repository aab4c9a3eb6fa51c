// Extra identity-provider hosts on the options page: match patterns as people copy them (with a
// path too), and what the browser is asked for (the whole host). Found by a review: the valid
// pattern https://adfs.example.com/adfs/ls/* was refused.
import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, hostPermissionOf, validateSettings } from '../lib/settings.ts';

const hosts = (extraHosts: string[]) => validateSettings({ ...DEFAULT_SETTINGS, extraHosts }).extraHosts;

describe('extra identity-provider hosts', () => {
  it('takes a host, a wildcard subdomain, and a path', () => {
    expect(hosts(['https://adfs.example.com/*', 'https://*.example.org/*', 'https://adfs.example.com/adfs/ls/*', 'https://sts.example.com', 'https://idp-1.example.co.uk/'])).toBeUndefined();
  });

  it('refuses what is no https host pattern, naming it and showing both forms', () => {
    for (const bad of ['http://adfs.example.com/*', 'adfs.example.com', 'https://*/*', 'https://adfs example.com/*', 'https://adfs.example.com/a b', 'https://ex..ample.com/*', '<all_urls>']) {
      expect(hosts([bad]), bad).toBe(`"${bad}" is not a host pattern like https://adfs.example.com/* (or with a path, https://adfs.example.com/adfs/ls/*).`);
    }
  });

  it('asks the browser for the whole host', () => {
    expect(['https://adfs.example.com/adfs/ls/*', 'https://ADFS.example.com', 'https://*.example.org/*', ' https://sts.example.com/x '].map(hostPermissionOf)).toStrictEqual([
      'https://adfs.example.com/*',
      'https://adfs.example.com/*',
      'https://*.example.org/*',
      'https://sts.example.com/*',
    ]);
  });
});
