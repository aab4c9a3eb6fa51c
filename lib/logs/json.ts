// JSON as people paste it from vendor pages and consoles. Microsoft's Graph samples and AWS's
// CloudTrail examples are printed with trailing commas (`"accessKeyId":"", }`, `},\n ]`); AWS's
// SCIM page ends a CloudTrail fragment with a typographic quote; the AWS CLI's
// `--query "Events[].CloudTrailEvent" --output text` prints one JSON object after another,
// separated by tabs. These readers accept exactly that and nothing looser. Pure.

export type JsonRead = { ok: true; value: unknown; repaired: string[] } | { ok: false; message: string };

/** Removes commas that stand right before a closing bracket, outside strings. */
function dropTrailingCommas(s: string): { text: string; n: number } {
  let out = '';
  let n = 0;
  let inStr = false;
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (inStr) {
      out += c;
      if (c === '\\') {
        out += s[i + 1] ?? '';
        i++;
      } else if (c === '"') inStr = false;
      continue;
    }
    if (c === '"') {
      inStr = true;
      out += c;
      continue;
    }
    if (c === ',') {
      let j = i + 1;
      while (j < s.length && /\s/.test(s[j]!)) j++;
      if (s[j] === '}' || s[j] === ']') {
        n++;
        continue;
      }
    }
    out += c;
  }
  return { text: out, n };
}

/** JSON.parse, then the one repair vendor samples need (trailing commas), said aloud. */
export function parseLenientJson(input: string): JsonRead {
  const text = input.replace(/^\uFEFF/, '').trim();
  try {
    return { ok: true, value: JSON.parse(text), repaired: [] };
  } catch (e) {
    const first = (e as Error).message;
    const d = dropTrailingCommas(text);
    if (d.n) {
      try {
        return { ok: true, value: JSON.parse(d.text), repaired: [`${d.n} trailing comma${d.n === 1 ? '' : 's'} ignored (as printed in vendor samples)`] };
      } catch {
        /* fall through */
      }
    }
    return { ok: false, message: first };
  }
}

/**
 * Several JSON values one after another (whitespace or tabs between them), as the AWS CLI's text
 * output of `Events[].CloudTrailEvent` prints them. Undefined when the text is not such a list.
 */
export function parseJsonSequence(input: string, max = 100_000): unknown[] | undefined {
  const text = input.replace(/^\uFEFF/, '');
  const out: unknown[] = [];
  let i = 0;
  while (i < text.length) {
    while (i < text.length && /\s/.test(text[i]!)) i++;
    if (i >= text.length) break;
    if (text[i] !== '{') return undefined;
    // Find the end of this object by bracket depth, outside strings.
    let depth = 0;
    let inStr = false;
    let j = i;
    for (; j < text.length; j++) {
      const c = text[j]!;
      if (inStr) {
        if (c === '\\') j++;
        else if (c === '"') inStr = false;
        continue;
      }
      if (c === '"') inStr = true;
      else if (c === '{' || c === '[') depth++;
      else if (c === '}' || c === ']') {
        depth--;
        if (depth === 0) break;
      }
    }
    if (depth !== 0) return undefined;
    const r = parseLenientJson(text.slice(i, j + 1));
    if (!r.ok) return undefined;
    out.push(r.value);
    if (out.length > max) return undefined;
    i = j + 1;
  }
  return out.length ? out : undefined;
}
