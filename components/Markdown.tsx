// A small Markdown renderer for the project's own documents (PRIVACY.md): headings, paragraphs,
// bullet and numbered lists, tables, `code`, **bold** and [links](url). Everything becomes text
// nodes and elements, never HTML markup.
import type { ComponentChildren } from 'preact';

function inline(text: string): ComponentChildren[] {
  const out: ComponentChildren[] = [];
  const re = /`([^`]+)`|\*\*([^*]+)\*\*|\[([^\]]+)\]\(([^)\s]+)\)/g;
  let last = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    if (m.index > last) out.push(text.slice(last, m.index));
    if (m[1] !== undefined) out.push(<code>{m[1]}</code>);
    else if (m[2] !== undefined) out.push(<strong>{m[2]}</strong>);
    else if (/^https:\/\//.test(m[4]!)) out.push(<a href={m[4]} target="_blank" rel="noopener noreferrer">{m[3]}</a>);
    else out.push(m[3]);
    last = m.index + m[0].length;
  }
  if (last < text.length) out.push(text.slice(last));
  return out;
}

const cells = (row: string) => row.trim().replace(/^\||\|$/g, '').split('|').map((c) => c.trim());

export function Markdown({ text }: { text: string }) {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  const blocks: ComponentChildren[] = [];
  let i = 0;
  while (i < lines.length) {
    const line = lines[i]!;
    if (!line.trim()) {
      i++;
      continue;
    }
    const h = /^(#{1,4})\s+(.*)$/.exec(line);
    if (h) {
      const level = h[1]!.length;
      const Tag = (['h1', 'h2', 'h3', 'h4'] as const)[level - 1]!;
      blocks.push(<Tag>{inline(h[2]!)}</Tag>);
      i++;
      continue;
    }
    if (line.startsWith('|')) {
      const rows: string[] = [];
      while (i < lines.length && lines[i]!.startsWith('|')) rows.push(lines[i++]!);
      const [head, , ...body] = rows;
      blocks.push(
        <table>
          <thead>
            <tr>{cells(head!).map((c) => <th>{inline(c)}</th>)}</tr>
          </thead>
          <tbody>
            {body.map((r) => (
              <tr>{cells(r).map((c) => <td>{inline(c)}</td>)}</tr>
            ))}
          </tbody>
        </table>,
      );
      continue;
    }
    const item = /^(\s*)([-*]|\d+\.)\s+(.*)$/;
    if (item.test(line)) {
      const ordered = /\d/.test(item.exec(line)![2]!);
      const items: string[] = [];
      while (i < lines.length && lines[i]!.trim()) {
        const m = item.exec(lines[i]!);
        if (m) items.push(m[3]!);
        else items[items.length - 1] += ` ${lines[i]!.trim()}`;
        i++;
      }
      const lis = items.map((t) => <li>{inline(t)}</li>);
      blocks.push(ordered ? <ol>{lis}</ol> : <ul>{lis}</ul>);
      continue;
    }
    const para: string[] = [];
    while (i < lines.length && lines[i]!.trim() && !/^(#|\|)/.test(lines[i]!) && !item.test(lines[i]!)) para.push(lines[i++]!.trim());
    blocks.push(<p>{inline(para.join(' '))}</p>);
  }
  return <article class="markdown">{blocks}</article>;
}
