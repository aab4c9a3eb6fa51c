// The toolbar icon for a badge state: the icons are drawn in icons/<state>.svg and rendered at
// build time to icons/<state>-16.png and -32.png (scripts/icons.ts). The badge text says the
// same in words ("ok", the error count, "⏸"), so the state is never told by colour alone.
import type { VerdictTone } from './store/selectors.ts';

export type ToolbarState = 'idle' | 'ok' | 'error' | 'paused';

export function toolbarState(paused: boolean, tone: VerdictTone): ToolbarState {
  if (paused) return 'paused';
  if (tone === 'error') return 'error';
  // A warning does not stop the sign-in: the icon says it works, the badge colour warns.
  if (tone === 'ok' || tone === 'warning') return 'ok';
  return 'idle';
}

export function toolbarIconPaths(state: ToolbarState): Record<'16' | '32', string> {
  return { '16': `/icons/${state}-16.png`, '32': `/icons/${state}-32.png` };
}
