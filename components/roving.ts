// One tab stop for a group of many controls (the XML tree's toggles and pins, a message's copy
// buttons): Tab enters the group at the control last used, ↑/↓ (and ←/→), Home and End move
// within it, Enter / Space act as usual. Every action stays reachable by keyboard, and tabbing
// through the full view no longer walks every element of every message.
import { useEffect } from 'preact/hooks';

export function useRovingFocus(ref: { current: HTMLElement | null }, selector: string, deps: unknown[] = []): void {
  useEffect(() => {
    const box = ref.current;
    if (!box) return;
    const items = () => [...box.querySelectorAll<HTMLElement>(selector)].filter((el) => !(el as HTMLButtonElement).disabled && el.offsetParent !== null);
    let current: HTMLElement | undefined;
    const settle = () => {
      const list = items();
      if (!current || !list.includes(current)) current = list[0];
      for (const el of list) el.tabIndex = el === current ? 0 : -1;
    };
    settle();
    const onFocus = (e: FocusEvent) => {
      const t = e.target as HTMLElement;
      if (t.matches(selector)) {
        current = t;
        settle();
      }
    };
    const onKey = (e: KeyboardEvent) => {
      const t = e.target as HTMLElement;
      if (!t.matches(selector)) return;
      const list = items();
      const i = list.indexOf(t);
      let n = -1;
      if (e.key === 'ArrowDown' || e.key === 'ArrowRight') n = Math.min(list.length - 1, i + 1);
      else if (e.key === 'ArrowUp' || e.key === 'ArrowLeft') n = Math.max(0, i - 1);
      else if (e.key === 'Home') n = 0;
      else if (e.key === 'End') n = list.length - 1;
      if (n < 0 || !list[n]) return;
      e.preventDefault();
      current = list[n];
      settle();
      list[n]!.focus();
    };
    // Controls come and go as elements fold and unfold: keep exactly one tab stop.
    // Named as a group, so a keyboard audit (test/e2e/keyboard.ts) knows its members are reached by arrows.
    box.dataset.roving = selector;
    const obs = new MutationObserver(settle);
    obs.observe(box, { childList: true, subtree: true });
    box.addEventListener('focusin', onFocus);
    box.addEventListener('keydown', onKey);
    return () => {
      obs.disconnect();
      delete box.dataset.roving;
      box.removeEventListener('focusin', onFocus);
      box.removeEventListener('keydown', onKey);
    };
  }, deps);
}
