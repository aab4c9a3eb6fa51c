// A component whose code loads when it is first rendered (import()), so that a page's first load
// does not carry it: renders nothing until the module is there, then the component. A module that
// fails to load is said, never a blank.
import type { ComponentType, JSX } from 'preact';
import { useEffect, useState } from 'preact/hooks';

export function lazyComponent<P extends object>(load: () => Promise<ComponentType<P>>, what: string): (props: P) => JSX.Element | null {
  let loaded: ComponentType<P> | undefined;
  let pending: Promise<ComponentType<P>> | undefined;
  return function Lazy(props: P) {
    const [C, setC] = useState<ComponentType<P> | undefined>(() => loaded);
    const [error, setError] = useState<string>();
    useEffect(() => {
      if (C) return;
      let live = true;
      pending ??= load().then((c) => (loaded = c));
      pending.then(
        (c) => live && setC(() => c),
        (e: unknown) => {
          pending = undefined;
          if (live) setError(`${what} could not be loaded: ${(e as Error)?.message ?? String(e)}`);
        },
      );
      return () => {
        live = false;
      };
    }, [C]);
    if (error) return <div class="notice tone-error" role="alert">{error}</div>;
    return C ? <C {...props} /> : null;
  };
}
