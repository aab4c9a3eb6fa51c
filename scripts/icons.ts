// The extension's icons: drawn as SVG in icons/ (one file per toolbar state), rendered to PNG at
// build time with resvg (no browser, no download) and added to the build as public assets.
//   icons/<size>.png          the extension icon (idle state), 16 32 48 128: manifest `icons`
//   icons/<state>-<size>.png  toolbar states, 16 32: the background sets them with action.setIcon
// The states follow the badge (lib/store/selectors.ts selectBadge): idle (nothing captured yet or
// no verdict), ok (latest sign-in has no error), error (it has errors), paused.
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Resvg } from '@resvg/resvg-js';
import type { Wxt } from 'wxt';
import type { ResolvedPublicFile } from 'wxt';

export const ICON_SIZES = [16, 32, 48, 128] as const;
export const TOOLBAR_SIZES = [16, 32] as const;
export const ICON_STATES = ['idle', 'ok', 'error', 'paused'] as const;

/** The manifest's `icons` and `action.default_icon`. */
export const ICONS: Record<string, string> = Object.fromEntries(ICON_SIZES.map((s) => [String(s), `icons/${s}.png`]));

const ROOT = join(import.meta.dirname, '..');

/** Renders one SVG to a PNG of size × size pixels. */
export function renderSvg(svg: string, size: number): Buffer {
  return Buffer.from(new Resvg(svg, { fitTo: { mode: 'width', value: size }, background: 'rgba(0,0,0,0)' }).render().asPng());
}

/** Renders every icon into `outDir` (icons/…); returns [relative path, absolute path] pairs. */
export function renderIcons(outDir: string): [string, string][] {
  const out: [string, string][] = [];
  mkdirSync(join(outDir, 'icons'), { recursive: true });
  for (const state of ICON_STATES) {
    const src = join(ROOT, 'icons', `${state}.svg`);
    const svg = readFileSync(src, 'utf8');
    const sizes = state === 'idle' ? ICON_SIZES : TOOLBAR_SIZES;
    for (const size of sizes) {
      for (const rel of state === 'idle' ? [`icons/${size}.png`, `icons/idle-${size}.png`] : [`icons/${state}-${size}.png`]) {
        const abs = join(outDir, rel);
        // Rendered again only when the SVG is newer than the PNG (a build runs this every time).
        let fresh = false;
        try {
          fresh = statSync(abs).mtimeMs >= statSync(src).mtimeMs;
        } catch {
          fresh = false;
        }
        if (!fresh) writeFileSync(abs, renderSvg(svg, size));
        out.push([rel, abs]);
      }
    }
  }
  return out;
}

/** WXT hooks: add the rendered icons to every build (and so to every zip). */
export const iconHooks = {
  'build:publicAssets': (wxt: Wxt, files: ResolvedPublicFile[]) => {
    for (const [relativeDest, absoluteSrc] of renderIcons(join(wxt.config.wxtDir, 'rendered-icons'))) files.push({ relativeDest, absoluteSrc });
  },
};
