// The popup footer's button to the SCIM page (small: the popup's first load carries it).
import { useContext } from 'preact/hooks';
import { ScimPortContext } from './scimPort.ts';

export function ScimPageButton() {
  const port = useContext(ScimPortContext);
  if (!port) return null;
  return (
    <button type="button" class="btn" data-action="open-scim" onClick={() => port.openScimPage()}>
      SCIM
    </button>
  );
}
