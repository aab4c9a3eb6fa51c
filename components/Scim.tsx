// SCIM: check a payload, read provisioning logs, ask Identity Center. A page of its own (scim.html)
// and a section of the full view (embedded).
import { ScimConnection } from './ScimConnection.tsx';
import { ScimLint } from './ScimLint.tsx';
import { ScimLogs } from './ScimLogs.tsx';

export function Scim({ embedded = false }: { embedded?: boolean }) {
  const Root = embedded ? 'section' : 'main';
  return (
    <Root class="scim-page" aria-label="SCIM provisioning">
      {embedded ? <h2>SCIM provisioning</h2> : <h1>samlscope · SCIM provisioning</h1>}
      <p class="lead">Entra ID → AWS IAM Identity Center: why a user never appears in AWS, or appears under another user name than the NameID Entra sends.</p>
      <nav class="scim-nav" aria-label="Sections">
        <a class="btn" href="#lint">
          Check a payload
        </a>
        <a class="btn" href="#logs">
          Provisioning logs
        </a>
        <a class="btn" href="#lookup">
          Ask Identity Center
        </a>
      </nav>
      <ScimLint />
      <ScimLogs />
      <ScimConnection />
    </Root>
  );
}
