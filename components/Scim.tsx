// The SCIM page: check a payload, read provisioning logs, ask Identity Center. Its own page until
// the full view has a SCIM section (DESIGN "What users see").
import { ScimConnection } from './ScimConnection.tsx';
import { ScimLint } from './ScimLint.tsx';
import { ScimLogs } from './ScimLogs.tsx';

export function Scim() {
  return (
    <main class="scim-page">
      <h1>samlscope · SCIM provisioning</h1>
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
    </main>
  );
}
