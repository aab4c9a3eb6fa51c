// The SCIM UI's access to the extension (storage, permissions, fetch), given by the entrypoint.
// Without a provider (a view that does not offer SCIM) the SCIM components render nothing.
import { createContext } from 'preact';
import type { ScimPort } from '../lib/scim/settings.ts';

export const ScimPortContext = createContext<ScimPort | undefined>(undefined);
