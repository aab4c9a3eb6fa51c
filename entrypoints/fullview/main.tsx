// The full view page (a tab; opened from the popup): wiring only.
import { render } from 'preact';
import { browser } from 'wxt/browser';
import { createAppStore } from '../../lib/store/index.ts';
import { browserPort, prefetchView, readPins } from '../../lib/store/browser.ts';
import { createFullViewStore, type Theme } from '../../lib/store/fullview.ts';
import { toExpectations } from '../../lib/settings.ts';
import { FullView } from '../../components/FullView.tsx';
import { createImporter } from './importer.ts';
import { afterPaint } from '../../components/afterPaint.ts';
import '../../components/theme.css';
import '../../components/fullview.css';
import '../../components/scim.css';
import { ScimPortContext } from '../../components/scimPort.ts';
// The SCIM client loads on first use (its panel and the checklist's lookups are lazy too), so it is
// not in the first-paint chunks the popup may load after its own first paint.
import { lazyBrowserScimPort } from '../../lib/store/scim-lazy.ts';

const hash = new URLSearchParams(location.hash.slice(1));
const stored = localStorage.getItem('samlscope.theme');
const theme: Theme = stored === 'light' || stored === 'dark' ? stored : 'auto';
// Paints the newest attempts from the background's stored analysis (read at once, beside the
// settings), then analyses every capture.
prefetchView();
const app = createAppStore(browserPort(), { viewFirst: true, afterPaint });
const view = createFullViewStore({
  theme,
  ...(hash.get('flow') ? { selectedFlowId: hash.get('flow')! } : {}),
  ...(hash.has('export') ? { panel: 'export' as const } : hash.has('import') ? { panel: 'import' as const } : hash.has('scim') ? { panel: 'scim' as const } : hash.has('compare') ? { panel: 'compare' as const } : hash.has('checklist') ? { panel: 'checklist' as const } : {}),
});
view.subscribe((s, prev) => {
  if (s.theme !== prev.theme) localStorage.setItem('samlscope.theme', s.theme);
});
void app.getState().load();
const importer = createImporter(
  view,
  () => toExpectations(app.getState().settings),
  () => readPins(),
);
render(
  <ScimPortContext.Provider value={lazyBrowserScimPort()}>
    <FullView app={app} view={view} importer={importer} version={browser.runtime.getManifest().version} />
  </ScimPortContext.Provider>,
  document.getElementById('app')!,
);
