import { render } from 'preact';
import { Scim } from '../../components/Scim.tsx';
import { ScimPortContext } from '../../components/scimPort.ts';
import { browserScimPort } from '../../lib/store/scim.ts';
import '../../components/theme.css';
import '../../components/scim.css';

render(
  <ScimPortContext.Provider value={browserScimPort()}>
    <Scim />
  </ScimPortContext.Provider>,
  document.getElementById('app')!,
);
