// A small RFC 4180 CSV reader: quoted fields with commas, quotes ("") and line breaks, CRLF or LF,
// a UTF-8 byte-order mark, and a delimiter guessed from the header (Excel in some locales writes
// semicolons). Pure and bounded.

export interface CsvTable {
  headers: string[];
  rows: string[][];
  delimiter: string;
  /** Rows whose field count differed from the header's (kept, padded or cut). */
  ragged: number;
  truncated: boolean;
}

function guessDelimiter(text: string): string {
  const line = text.slice(0, text.search(/\r?\n|$/));
  const count = (d: string) => {
    let n = 0;
    let q = false;
    for (const c of line) {
      if (c === '"') q = !q;
      else if (!q && c === d) n++;
    }
    return n;
  };
  const cands = [',', ';', '\t'].map((d) => [d, count(d)] as const).sort((a, b) => b[1] - a[1]);
  return cands[0]![1] > 0 ? cands[0]![0] : ',';
}

export function parseCsv(input: string, maxRows = 300_000): CsvTable {
  const text = input.replace(/^\uFEFF/, '');
  const d = guessDelimiter(text);
  const records: string[][] = [];
  let field = '';
  let row: string[] = [];
  let q = false;
  let truncated = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (q) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else q = false;
      } else field += c;
      continue;
    }
    if (c === '"' && field === '') q = true;
    else if (c === d) {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      field = '';
      if (!(row.length === 1 && row[0] === '')) records.push(row);
      row = [];
      if (records.length > maxRows) {
        truncated = true;
        break;
      }
    } else field += c;
  }
  if (!truncated && (field !== '' || row.length)) {
    row.push(field);
    if (!(row.length === 1 && row[0] === '')) records.push(row);
  }
  const headers = (records.shift() ?? []).map((h) => h.trim());
  let ragged = 0;
  const rows = records.map((r) => {
    if (r.length === headers.length) return r;
    ragged++;
    return r.length > headers.length ? r.slice(0, headers.length) : [...r, ...Array<string>(headers.length - r.length).fill('')];
  });
  return { headers, rows, delimiter: d, ragged, truncated };
}

/** A header as a comparable key: lower case, letters and digits only ("Change ID" → changeid). */
export const headerKey = (h: string) => h.toLowerCase().replace(/[^a-z0-9]/g, '');
