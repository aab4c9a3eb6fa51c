// A keyboard audit of one extension page in real Chromium: every interactive control (buttons,
// links, inputs, selects, text areas, <summary>, anything with a tabindex) is reached by pressing
// Tab from the top of the page, or, inside a roving group (components/roving.ts: one tab stop
// for many controls), by the arrow keys from the group's stop; and each shows a focus indicator
// (its outline or box-shadow, or that of the label it sits in, differs from when it is not
// focused). Folded <details> are opened first, so folded controls count too. Within a roving
// group or a list box ([role=listbox], its options one tab stop), the arrow keys reach the rest.
import type { Page } from 'playwright-core';

export interface KeyboardAudit {
  /** Controls on the page (visible, enabled), roving members included. */
  controls: number;
  /** Tab stops reached by Tab. */
  tabStops: number;
  /** Controls neither reached by Tab nor by arrows within their group. */
  unreachable: string[];
  /** Controls that showed no focus indicator when reached. */
  noIndicator: string[];
  /** Controls that, once focused, were hidden under something else (a sticky bar). */
  obscured: string[];
  /** How many Tab presses it took to come round (or the limit). */
  presses: number;
}

const SELECTOR = 'button, a[href], input:not([type="hidden"]), select, textarea, summary, [tabindex], [contenteditable="true"]';

/** Marks every control with data-kb="<n>" and installs a focus recorder; returns the tabbable count. */
const PREPARE = `(() => {
  document.querySelectorAll('details').forEach((d) => (d.open = true));
  const visible = (el) => {
    if (el.closest('[inert], [hidden]')) return false;
    const s = getComputedStyle(el);
    if (s.visibility === 'hidden' || s.display === 'none') return false;
    // A visually hidden file input inside its label-button counts when the label shows.
    const box = el.getClientRects().length ? el : el.closest('label');
    return !!box && box.getClientRects().length > 0;
  };
  const all = [...document.querySelectorAll(${JSON.stringify(SELECTOR)})].filter((el) => !el.disabled && visible(el));
  all.forEach((el, i) => el.setAttribute('data-kb', String(i)));
  window.__kb = [];
  const look = (el) => {
    // What shows focus: the element's own ring, or (a visually hidden input) its label's.
    const r = el.getBoundingClientRect();
    const shown = r.width <= 2 || r.height <= 2 ? el.closest('label') || el : el;
    const s = getComputedStyle(shown);
    return [s.outlineStyle, s.outlineWidth, s.outlineColor, s.boxShadow, s.borderColor, s.backgroundColor].join('|');
  };
  window.__kbLook = look;
  document.addEventListener('focusin', (e) => {
    const el = e.target;
    // Not hidden under a sticky bar (WCAG 2.4.11): the element (or its label) is what shows at its centre.
    const target = (() => { const r = el.getBoundingClientRect(); return r.width <= 2 || r.height <= 2 ? el.closest('label') || el : el; })();
    const tr = target.getBoundingClientRect();
    const atCentre = document.elementFromPoint(tr.left + tr.width / 2, tr.top + Math.min(tr.height / 2, 8));
    const obscured = !!atCentre && atCentre !== target && !target.contains(atCentre) && !atCentre.contains(target);
    const name = (e) => e ? e.tagName.toLowerCase() + (typeof e.className === 'string' && e.className.trim() ? '.' + e.className.trim().split(/\\s+/).join('.') : '') : '';
    window.__kb.push({ id: el.getAttribute && el.getAttribute('data-kb'), look: look(el), obscured: obscured ? name(el) + ' "' + (el.textContent || '').trim().slice(0, 40) + '" under ' + name(atCentre) : '', visibleRing: (() => {
      const r = el.getBoundingClientRect();
      const s = getComputedStyle(r.width <= 2 || r.height <= 2 ? el.closest('label') || el : el);
      return (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 1) || (s.boxShadow !== 'none' && s.boxShadow !== '');
    })() });
  }, true);
  return all.filter((el) => el.tabIndex >= 0).length;
})()`;

const DESCRIBE = `(id) => {
  const el = document.querySelector('[data-kb="' + id + '"]');
  if (!el) return id;
  const text = (el.getAttribute('aria-label') || el.textContent || el.getAttribute('name') || el.getAttribute('type') || '').replace(/\\s+/g, ' ').trim().slice(0, 50);
  return el.tagName.toLowerCase() + (el.className && typeof el.className === 'string' ? '.' + el.className.trim().split(/\\s+/).join('.') : '') + ' "' + text + '"';
}`;

export async function auditKeyboard(page: Page): Promise<KeyboardAudit> {
  const tabbable = (await page.evaluate(PREPARE)) as number;
  // From the top of the page.
  await page.evaluate(`(document.activeElement && document.activeElement.blur(), window.scrollTo(0, 0))`);
  const limit = tabbable + 10;
  let presses = 0;
  let firstId: string | null | undefined;
  for (; presses < limit; presses++) {
    await page.keyboard.press('Tab');
    // Came round to the first stop again: done (checked every few presses, cheaply).
    if (presses > 0 && presses % 8 === 0) {
      const seen = (await page.evaluate(`window.__kb.map((x) => x.id)`)) as (string | null)[];
      firstId ??= seen[0];
      if (firstId !== undefined && seen.slice(1).includes(firstId)) break;
    }
  }
  const seen = (await page.evaluate(`window.__kb`)) as { id: string | null; look: string; visibleRing: boolean; obscured: string }[];
  const reachedByTab = new Set(seen.map((x) => x.id).filter((x): x is string => x !== null));
  // Roving groups (and list boxes, whose options are one tab stop): enter at the stop, walk with
  // ArrowDown to the end; every member is reached. List boxes last: moving in one selects.
  const groups = (await page.evaluate(`[
    ...[...document.querySelectorAll('[data-roving]')].map((g) => [g, g.dataset.roving]),
    ...[...document.querySelectorAll('[role="listbox"]')].map((g) => [g, '[role="option"]']),
  ].map(([g, sel]) => {
    const members = [...g.querySelectorAll(sel)].filter((el) => el.hasAttribute('data-kb'));
    const stop = members.find((el) => el.tabIndex === 0);
    return { stop: stop ? stop.getAttribute('data-kb') : null, members: members.map((el) => el.getAttribute('data-kb')) };
  })`)) as { stop: string | null; members: string[] }[];
  for (const g of groups) {
    if (!g.stop || !reachedByTab.has(g.stop)) continue;
    await page.focus(`[data-kb="${g.stop}"]`);
    for (let i = 0; i < g.members.length; i++) await page.keyboard.press('ArrowDown');
  }
  const after = (await page.evaluate(`window.__kb`)) as { id: string | null; look: string; visibleRing: boolean; obscured: string }[];
  const reached = new Set(after.map((x) => x.id).filter((x): x is string => x !== null));
  // Unfocused looks, to compare with the focused ones.
  await page.evaluate(`document.activeElement && document.activeElement.blur()`);
  const ids = (await page.evaluate(`[...document.querySelectorAll('[data-kb]')].map((el) => el.getAttribute('data-kb'))`)) as string[];
  const unfocused = (await page.evaluate(`Object.fromEntries([...document.querySelectorAll('[data-kb]')].map((el) => [el.getAttribute('data-kb'), window.__kbLook(el)]))`)) as Record<string, string>;
  const describe = async (id: string) => (await page.evaluate(`(${DESCRIBE})(${JSON.stringify(id)})`)) as string;
  const unreachable: string[] = [];
  for (const id of ids) if (!reached.has(id)) unreachable.push(await describe(id));
  const noIndicator: string[] = [];
  const judged = new Set<string>();
  for (const x of after) {
    if (x.id === null || judged.has(x.id)) continue;
    judged.add(x.id);
    if (!x.visibleRing || x.look === unfocused[x.id]) noIndicator.push(await describe(x.id));
  }
  // Described as they were when focused (a list box moved afterwards may have re-rendered them).
  const obscured = [...new Set(after.map((x) => x.obscured).filter((x) => x !== ''))];
  return { controls: ids.length, tabStops: reachedByTab.size, unreachable, noIndicator, obscured, presses };
}
