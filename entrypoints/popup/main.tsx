import { render } from 'preact';
import { createAppStore } from '../../lib/store/index.ts';
import { browserPort, prefetchView } from '../../lib/store/browser.ts';
import { Popup } from '../../components/Popup.tsx';
import { HostAccess } from '../../components/HostAccess.tsx';
import { browserPermissionPort } from '../../lib/store/permissions.ts';
import { ScimPortContext } from '../../components/scimPort.ts';
import { lazyBrowserScimPort } from '../../lib/store/scim-lazy.ts';
import { sidePanelOpener } from './sidepanel.ts';
import { afterPaint } from '../../components/afterPaint.ts';
import '../../components/theme.css';
import '../../components/scim.css';

// The popup paints from the background's analysis (issue 13): nothing is decoded or checked on open.
// The stored analysis is read at once, beside the settings (where they keep it by default).
prefetchView();
const store = createAppStore(browserPort(), { fromView: true, afterPaint });
void store.getState().load();
render(
  <ScimPortContext.Provider value={lazyBrowserScimPort()}>
    <HostAccess port={browserPermissionPort()} />
    <Popup store={store} onOpenSidePanel={sidePanelOpener((error) => store.setState({ error }))} />
  </ScimPortContext.Provider>,
  document.getElementById('app')!,
);
