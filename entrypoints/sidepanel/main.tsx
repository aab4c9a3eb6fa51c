// The side panel (Chrome / Edge sidePanel, Firefox sidebar_action): the popup's view, which stays
// open while the user signs in. The store re-reads the captures on every storage change, so each
// attempt appears as it is captured.
import { render } from 'preact';
import { createAppStore } from '../../lib/store/index.ts';
import { browserPort } from '../../lib/store/browser.ts';
import { Popup } from '../../components/Popup.tsx';
import { ScimPortContext } from '../../components/scimPort.ts';
// The SCIM client loads on first use, as in the popup: the panel's first paint is the popup's chunk.
import { lazyBrowserScimPort } from '../../lib/store/scim-lazy.ts';
import '../../components/theme.css';
import '../../components/scim.css';

const store = createAppStore(browserPort());
void store.getState().load();
render(
  <ScimPortContext.Provider value={lazyBrowserScimPort()}>
    <Popup store={store} variant="panel" />
  </ScimPortContext.Provider>,
  document.getElementById('app')!,
);
