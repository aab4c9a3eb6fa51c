import { defineConfig } from 'wxt';
import type { Plugin } from 'vite';
import { resolve } from 'node:path';
import preact from '@preact/preset-vite';
import { iconHooks, ICONS } from './scripts/icons.ts';
import { REQUIRED_HOST_PERMISSIONS } from './lib/permissions.ts';

// The extension. lib/ holds the pure core; entrypoints/ only wire browser events to it.
/**
 * Preact's renderer can set innerHTML for dangerouslySetInnerHTML, which samlscope never uses:
 * captured text is only ever rendered as text. The build takes that path out (it throws instead),
 * so no HTML can be injected through a prop, and Firefox's linter (web-ext lint, in CI) has no
 * innerHTML assignment to warn about.
 */
function noInnerHtml(): Plugin {
  return {
    name: 'samlscope-no-inner-html',
    enforce: 'post',
    transform(code, id) {
      if (!/[\\/]preact[\\/]dist[\\/]preact\.m?js$/.test(id.split('?')[0]!)) return null;
      const re = /\((\w+)\.innerHTML=(\w+)\.__html\)/g;
      const out = code.replace(re, '(()=>{throw new Error("samlscope renders no HTML (dangerouslySetInnerHTML)")})()');
      if (out === code) throw new Error(`samlscope-no-inner-html: Preact's innerHTML assignment not found in ${id}; update the pattern`);
      return { code: out, map: null };
    },
  };
}

/**
 * Each page's first paint in as few files as can be (issue 13). Left to automatic chunking, the
 * modules the popup imports statically came as 12 chunks and 3 stylesheets, shared in different
 * ways with the other pages; an extension page fetches each from the browser process in turn, and
 * a trace of the popup showed its module scripts waiting for the last of them (~150 ms after
 * navigation, the first card ~160 ms). Every module in the static import graph of the popup's
 * entry goes into one chunk, 'first-paint' (with its CSS in one stylesheet), which every other
 * page loads for what it shares with the popup; then what the full view's entry imports
 * statically beyond it goes into 'fullview-first'. WXT's per-page virtual module (empty in a
 * build) joins 'first-paint' rather than being a file of its own. What a page loads with import()
 * keeps its own chunks.
 */
function firstPaintChunks(entries: { entry: string; chunk: string }[]) {
  let owner: Map<string, string> | undefined;
  return (id: string, ctx: { getModuleInfo(id: string): { importedIds: readonly string[] } | null }): string | null => {
    if (!owner) {
      owner = new Map();
      for (const { entry, chunk } of entries) {
        const stack = ctx.getModuleInfo(entry) ? [entry] : [];
        const seen = new Set<string>();
        while (stack.length) {
          const m = stack.pop()!;
          for (const dep of ctx.getModuleInfo(m)?.importedIds ?? []) {
            if (seen.has(dep)) continue;
            seen.add(dep);
            if (!owner.has(dep) && !entries.some((e) => e.entry === dep)) owner.set(dep, chunk);
            stack.push(dep);
          }
        }
      }
    }
    // Tiny modules every page imports (WXT's per-page virtual module, empty in a build; rolldown's
    // runtime helper) join the first chunk rather than being files of their own.
    if (id.includes('wxt-html-plugins') || /rolldown[\\/:]runtime/.test(id)) return entries[0]!.chunk;
    // A later group's stylesheets stay with their page's entry. Other pages' import() of the
    // analysis core loads the later group's chunk too (the XML reader the full view's message panel
    // imports is in it, with what it imports), and with the chunk its stylesheet: fullview.css's
    // .panel once laid the side panel's <body class="panel"> out as a floating dialog that could
    // not scroll. The page's entry loads them before its first paint all the same.
    const chunk = owner.get(id);
    if (chunk && chunk !== entries[0]!.chunk && /\.css($|\?)/.test(id)) return null;
    return chunk ?? null;
  };
}

export default defineConfig({
  srcDir: '.',
  entrypointsDir: 'entrypoints',
  outDir: '.output',
  // MV3 everywhere: Firefox too (Firefox 140+ is needed for data_collection_permissions anyway).
  manifestVersion: 3,
  manifest: ({ manifestVersion, browser }) => ({
    name: 'samlscope',
    description: 'Debug SAML sign-in between Microsoft Entra ID and AWS IAM Identity Center',
    permissions: ['webRequest', 'storage'],
    // The hosts of these sign-ins (FACTS A3.4, A4, B1, B4). Anything wider is optional and asked
    // for on the options page when the user needs it.
    host_permissions: [...REQUIRED_HOST_PERMISSIONS],
    // portal.sso.<region>.amazonaws.com needs all of amazonaws.com; other IdP hosts (ADFS,
    // custom domains) are the user's own: both granted on request from the options page.
    // The SCIM page asks for scim.<region>.amazonaws.com / scim.<region>.api.aws (dual-stack) when first used.
    ...(manifestVersion === 2
      ? { optional_permissions: ['https://*.amazonaws.com/*', 'https://*.api.aws/*', 'https://*/*'] }
      : { optional_host_permissions: ['https://*.amazonaws.com/*', 'https://*.api.aws/*', 'https://*/*'] }),
    storage: { managed_schema: 'managed_schema.json' },
    action: { default_title: 'samlscope', default_icon: ICONS },
    icons: ICONS,
    // storage.session holds 10 MB from Chrome 112 (1 MB before), which retention counts on
    // (lib/capture/limits.ts). Edge has the same version numbers. Chrome warns about keys it does
    // not know, so each browser gets only its own.
    ...(browser === 'firefox'
      ? {
          browser_specific_settings: {
            gecko: {
              id: 'samlscope@samlscope.dev',
              // data_collection_permissions is read from Firefox 140 (desktop) on.
              strict_min_version: '140.0',
              // Nothing is collected or sent by default. Only a SCIM lookup the user asks for sends a
              // user name (and the SCIM token the user gave) to the SCIM endpoint the user configured:
              // optional, asked for with the SCIM host's permission (lib/store/scim.ts, PRIVACY.md).
              data_collection_permissions: { required: ['none'], optional: ['personallyIdentifyingInfo', 'authenticationInfo'] },
            },
            // Firefox for Android reads data_collection_permissions from 142.
            gecko_android: { strict_min_version: '142.0' },
          },
        }
      : { minimum_chrome_version: '112' }),
  }),
  vite: () => ({
    plugins: [preact(), noInnerHtml()],
    // modulepreload is native in every browser samlscope supports: no polyfill chunk to fetch.
    build: { modulePreload: { polyfill: false }, rolldownOptions: { output: { codeSplitting: { groups: [{ name: firstPaintChunks([{ entry: resolve('entrypoints/popup/main.tsx'), chunk: 'first-paint' }, { entry: resolve('entrypoints/fullview/main.tsx'), chunk: 'fullview-first' }]) }] } } } },
  }),
  // npm run zip (scripts/zip.mjs): the Chrome/Edge and Firefox zips, and the sources zip Firefox's
  // reviewers build from (npm ci && npm run build:firefox; README "Building from the sources zip").
  zip: {
    artifactTemplate: '{{name}}-{{version}}-{{browser}}-{{manifestVersion}}.zip',
    excludeSources: ['test/**', 'bench/**', 'demo-output/**', 'dist/**', 'store/screenshots/**', '*.log'],
  },
  // icons/*.svg are rendered to PNG at build time (scripts/icons.ts).
  hooks: iconHooks,
});
