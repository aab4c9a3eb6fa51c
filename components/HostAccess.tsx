// A notice at the top of the popup when the user took away samlscope's access to some sign-in
// hosts (site access in Chrome / Edge, about:addons in Firefox): which, why it matters, and a
// button that asks the browser again. Renders nothing while every host is granted.
import { useEffect, useState } from 'preact/hooks';
import { checkHosts, type MissingHosts, type PermissionPort } from '../lib/permissions.ts';

export function HostAccess({ port }: { port: PermissionPort }) {
  const [missing, setMissing] = useState<MissingHosts | undefined>();
  const [refused, setRefused] = useState(false);
  useEffect(() => {
    let live = true;
    const check = () =>
      void checkHosts(port)
        .then((m) => live && setMissing(m))
        .catch((e: unknown) => console.error('samlscope: could not check host access', e));
    check();
    const off = port.onChange(check);
    return () => {
      live = false;
      off();
    };
  }, [port]);
  if (!missing) return null;
  const ask = () => {
    // Straight from the click: the browser only asks the user during one.
    port
      .request(missing.origins)
      .then((ok) => {
        setRefused(!ok);
        return checkHosts(port).then(setMissing);
      })
      .catch((e: unknown) => {
        setRefused(true);
        console.error('samlscope: permission request failed', e);
      });
  };
  return (
    <div class="notice tone-warning host-access" role="alert" data-missing-hosts={missing.origins.length}>
      <p>{missing.text}</p>
      <button type="button" class="btn" data-action="allow-hosts" onClick={ask}>
        Allow access to {missing.origins.length === 1 ? 'this host' : `these ${missing.origins.length} hosts`}
      </button>
      {refused ? <p class="host-access-refused">The browser did not grant it. You can also allow it in the browser's extension settings (site access).</p> : null}
    </div>
  );
}
