// Subscribes a Preact component to a zustand vanilla store through a selector.
import { useLayoutEffect, useState } from 'preact/hooks';
import type { StoreApi } from 'zustand/vanilla';

export function useStoreState<S, T>(store: StoreApi<S>, selector: (s: S) => T): T {
  const [value, setValue] = useState(() => selector(store.getState()));
  // Subscribed as the component is committed, not after the browser paints (useEffect): a page
  // whose data is read by then (the popup's stored analysis, read from the page's head) paints
  // its first finding card in its first frame instead of a "Loading…" frame before it.
  useLayoutEffect(() => {
    setValue(selector(store.getState()));
    return store.subscribe((s) => setValue(selector(s)));
    // The selector is a named, module-level function in every caller.
  }, [store]);
  return value;
}
