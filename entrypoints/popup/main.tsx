import { render } from 'preact';
import { createAppStore } from '../../lib/store/index.ts';
import { browserPort } from '../../lib/store/browser.ts';
import { Popup } from '../../components/Popup.tsx';
import { HostAccess } from '../../components/HostAccess.tsx';
import { browserPermissionPort } from '../../lib/store/permissions.ts';
import { ScimPortContext } from '../../components/scimPort.ts';
import { browserScimPort } from '../../lib/store/scim.ts';
import { sidePanelOpener } from './sidepanel.ts';
import '../../components/theme.css';
import '../../components/scim.css';

const store = createAppStore(browserPort());
void store.getState().load();
render(
  <ScimPortContext.Provider value={browserScimPort()}>
    <HostAccess port={browserPermissionPort()} />
    <Popup store={store} onOpenSidePanel={sidePanelOpener((error) => store.setState({ error }))} />
  </ScimPortContext.Provider>,
  document.getElementById('app')!,
);
