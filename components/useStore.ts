// Subscribes a Preact component to a zustand vanilla store through a selector.
import { useEffect, useState } from 'preact/hooks';
import type { StoreApi } from 'zustand/vanilla';

export function useStoreState<S, T>(store: StoreApi<S>, selector: (s: S) => T): T {
  const [value, setValue] = useState(() => selector(store.getState()));
  useEffect(() => {
    setValue(selector(store.getState()));
    return store.subscribe((s) => setValue(selector(s)));
    // The selector is a named, module-level function in every caller.
  }, [store]);
  return value;
}
