// The decoded XML, pretty-printed with syntax highlighting and collapsible elements, built as
// Preact elements from the parsed tree (lib/saml/xml.ts): captured text is only ever a text node,
// never markup. Findings are pinned to the element they concern; the selected one is highlighted
// and scrolled into view, its ancestors opened.
import { useRovingFocus } from './roving.ts';
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { ComponentChildren } from 'preact';
import { parseXml, type XElement, type XNode } from '../lib/saml/xml.ts';
import type { Pin } from '../lib/store/fullview-selectors.ts';

const SEV_ICON = { error: '✖', warning: '▲', info: 'ℹ' } as const;


/** Elements closed at first: long and rarely the cause. */
const COLLAPSED_BY_DEFAULT = new Set(['KeyInfo', 'SignedInfo']);

interface Ctx {
  pins: Map<string, Pin[]>;
  selected?: { element: string; attr?: string } | undefined;
  collapsed: Set<string>;
  toggle(path: string): void;
  onPin(key: string): void;
}

function Text({ value }: { value: string }) {
  // Whitespace at either end is part of the value (a NameID with a trailing space): make it visible.
  const m = /^(\s*)([\s\S]*?)(\s*)$/.exec(value)!;
  return (
    <span class="x-text">
      {m[1] ? <span class="x-ws" title="whitespace">{m[1]}</span> : null}
      {m[2]}
      {m[3] ? <span class="x-ws" title="whitespace">{m[3]}</span> : null}
    </span>
  );
}

function Attrs({ el, ctx }: { el: XElement; ctx: Ctx }) {
  const hl = ctx.selected?.element === el.path ? ctx.selected.attr : undefined;
  return (
    <>
      {Object.entries(el.attrs).map(([k, v]) => (
        <span key={k} class={`x-attr-pair${hl === k ? ' x-attr-selected' : ''}`}>
          {' '}
          <span class="x-attr">{k}</span>
          <span class="x-punc">="</span>
          <span class="x-val">{v}</span>
          <span class="x-punc">"</span>
        </span>
      ))}
    </>
  );
}

function Pins({ pins, ctx }: { pins: Pin[] | undefined; ctx: Ctx }) {
  if (!pins?.length) return null;
  return (
    <span class="x-pins">
      {pins.map((p) => (
        <button
          key={p.key}
          type="button"
          class={`x-pin sev-${p.severity}`}
          data-finding-key={p.key}
          title={`${p.severity}: ${p.title}`}
          onClick={(e) => {
            e.stopPropagation();
            ctx.onPin(p.key);
          }}
        >
          <span aria-hidden="true">{SEV_ICON[p.severity]} </span>
          {p.checkId}
        </button>
      ))}
    </span>
  );
}

function Node({ n, ctx, depth }: { n: XNode; ctx: Ctx; depth: number }): preact.JSX.Element | null {
  if (n.kind === 'text') return n.value.trim() === '' ? null : <div class="x-line x-textline" style={{ paddingLeft: `${depth * 14 + 16}px` }}><Text value={n.value} /></div>;
  if (n.kind === 'comment') {
    return (
      <div class="x-line" style={{ paddingLeft: `${depth * 14 + 16}px` }}>
        <span class="x-comment">{`<!--${n.value}-->`}</span>
      </div>
    );
  }
  if (n.kind === 'pi') {
    return (
      <div class="x-line" style={{ paddingLeft: `${depth * 14 + 16}px` }}>
        <span class="x-comment">{`<?${n.target} ${n.value}?>`}</span>
      </div>
    );
  }
  return <Element el={n} ctx={ctx} depth={depth} />;
}

function Element({ el, ctx, depth }: { el: XElement; ctx: Ctx; depth: number }) {
  const hasElements = el.children.some((c) => c.kind === 'element');
  const inline = !hasElements && el.children.every((c) => c.kind !== 'element');
  const closed = hasElements && ctx.collapsed.has(el.path);
  const selected = ctx.selected?.element === el.path;
  const pins = ctx.pins.get(el.path);
  const pad = { paddingLeft: `${depth * 14}px` };
  const open = (
    <>
      <span class="x-punc">&lt;</span>
      <span class="x-tag">{el.name}</span>
      <Attrs el={el} ctx={ctx} />
    </>
  );
  const toggle = hasElements ? (
    <button type="button" class="x-toggle" aria-expanded={!closed} aria-label={`${closed ? 'Expand' : 'Collapse'} ${el.local}`} onClick={() => ctx.toggle(el.path)}>
      {closed ? '▸' : '▾'}
    </button>
  ) : (
    <span class="x-toggle-space" />
  );
  const cls = `x-el${selected ? ' x-selected' : ''}${pins?.length ? ` x-pinned sev-${pins[0]!.severity}` : ''}`;
  if (el.children.length === 0) {
    return (
      <div class={cls} data-path={el.path}>
        <div class="x-line" style={pad}>
          {toggle}
          {open}
          <span class="x-punc">/&gt;</span>
          <Pins pins={pins} ctx={ctx} />
        </div>
      </div>
    );
  }
  if (inline) {
    const body: ComponentChildren[] = el.children.map((c, i) =>
      c.kind === 'text' ? <Text key={i} value={c.value} /> : c.kind === 'comment' ? <span key={i} class="x-comment x-inline-comment">{`<!--${c.value}-->`}</span> : <span key={i} class="x-comment">{`<?${c.kind === 'pi' ? c.target : ''}?>`}</span>,
    );
    return (
      <div class={cls} data-path={el.path}>
        <div class="x-line" style={pad}>
          {toggle}
          {open}
          <span class="x-punc">&gt;</span>
          {body}
          <span class="x-punc">&lt;/</span>
          <span class="x-tag">{el.name}</span>
          <span class="x-punc">&gt;</span>
          <Pins pins={pins} ctx={ctx} />
        </div>
      </div>
    );
  }
  return (
    <div class={cls} data-path={el.path}>
      <div class="x-line" style={pad}>
        {toggle}
        {open}
        <span class="x-punc">&gt;</span>
        {closed ? (
          <button type="button" class="x-ellipsis" onClick={() => ctx.toggle(el.path)} aria-label={`Show the ${el.children.filter((c) => c.kind === 'element').length} child elements of ${el.local}`}>
            …
          </button>
        ) : null}
        {closed ? (
          <>
            <span class="x-punc">&lt;/</span>
            <span class="x-tag">{el.name}</span>
            <span class="x-punc">&gt;</span>
          </>
        ) : null}
        <Pins pins={pins} ctx={ctx} />
      </div>
      {closed ? null : (
        <>
          {el.children.map((c, i) => (
            <Node key={i} n={c} ctx={ctx} depth={depth + 1} />
          ))}
          <div class="x-line" style={pad}>
            <span class="x-toggle-space" />
            <span class="x-punc">&lt;/</span>
            <span class="x-tag">{el.name}</span>
            <span class="x-punc">&gt;</span>
          </div>
        </>
      )}
    </div>
  );
}

export interface XmlViewProps {
  xml: string;
  pins: Map<string, Pin[]>;
  selected?: { element: string; attr?: string } | undefined;
  onPin(key: string): void;
  label: string;
}

export function XmlView({ xml, pins, selected, onPin, label }: XmlViewProps) {
  const doc = useMemo(() => parseXml(xml), [xml]);
  const root = 'root' in doc ? doc.root : undefined;
  const [collapsed, setCollapsed] = useState<Set<string>>(() => {
    const s = new Set<string>();
    if (root) {
      const walk = (el: XElement) => {
        if (COLLAPSED_BY_DEFAULT.has(el.local)) s.add(el.path);
        for (const c of el.children) if (c.kind === 'element') walk(c);
      };
      walk(root);
    }
    return s;
  });
  const box = useRef<HTMLDivElement>(null);
  useRovingFocus(box, 'button', [xml]);
  // Open the ancestors of the selected element (and any collapsed pinned ones stay as they are).
  useEffect(() => {
    if (!selected) return;
    const parts = selected.element.split('/');
    let changed = false;
    const next = new Set(collapsed);
    for (let i = 2; i <= parts.length; i++) {
      const p = parts.slice(0, i).join('/');
      if (p !== selected.element && next.delete(p)) changed = true;
    }
    if (changed) setCollapsed(next);
  }, [selected?.element]);
  useEffect(() => {
    if (!selected || !box.current) return;
    const c = box.current;
    const line = [...c.querySelectorAll<HTMLElement>('[data-path]')].find((e) => e.dataset.path === selected.element)?.querySelector<HTMLElement>('.x-line');
    if (!line) return;
    // Bring the XML box into the window (least movement), then the element to the box's middle.
    const boxRect = c.getBoundingClientRect();
    if (boxRect.top < 90 || boxRect.bottom > window.innerHeight) c.scrollIntoView({ block: boxRect.height > window.innerHeight - 100 ? 'start' : 'nearest' });
    const lineRect = line.getBoundingClientRect();
    c.scrollTop += lineRect.top - c.getBoundingClientRect().top - c.clientHeight / 2 + lineRect.height / 2;
  }, [selected?.element, selected?.attr, collapsed]);
  if (!root) {
    return (
      <pre class="xml-raw" aria-label={label}>
        {xml}
      </pre>
    );
  }
  const ctx: Ctx = {
    pins,
    selected,
    collapsed,
    toggle(path) {
      const next = new Set(collapsed);
      if (!next.delete(path)) next.add(path);
      setCollapsed(next);
    },
    onPin,
  };
  return (
    <div class="xml" ref={box} role="region" aria-label={label}>
      {'prolog' in doc
        ? doc.prolog.map((n, i) => (
            <Node key={`p${i}`} n={n} ctx={ctx} depth={0} />
          ))
        : null}
      <Element el={root} ctx={ctx} depth={0} />
    </div>
  );
}
