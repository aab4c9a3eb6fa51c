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
  let truncated = false;
  const n = text.length;
  const dc = d.charCodeAt(0);
  // Unquoted runs are sliced, not built a character at a time: a 20 MB download reads in about
  // half the time. A field that starts with a quote is quoted ("" is a quote inside it); a quote
  // elsewhere is a literal character, as before.
  let i = 0;
  let atFieldStart = true;
  const endRow = (): boolean => {
    row.push(field);
    field = '';
    if (!(row.length === 1 && row[0] === '')) records.push(row);
    row = [];
    atFieldStart = true;
    return records.length > maxRows;
  };
  while (i < n) {
    if (atFieldStart && text.charCodeAt(i) === 34) {
      // Quoted field.
      let j = i + 1;
      let buf = '';
      for (;;) {
        const qi = text.indexOf('"', j);
        if (qi < 0) {
          buf += text.slice(j);
          j = n;
          break;
        }
        buf += text.slice(j, qi);
        if (text.charCodeAt(qi + 1) === 34) {
          buf += '"';
          j = qi + 2;
        } else {
          j = qi + 1;
          break;
        }
      }
      field += buf;
      i = j;
      atFieldStart = false;
      continue;
    }
    // Unquoted run up to the next delimiter or line break.
    let j = i;
    while (j < n) {
      const c = text.charCodeAt(j);
      if (c === dc || c === 10 || c === 13) break;
      j++;
    }
    field += text.slice(i, j);
    atFieldStart = false;
    if (j >= n) {
      i = n;
      break;
    }
    const c = text.charCodeAt(j);
    if (c === dc) {
      row.push(field);
      field = '';
      atFieldStart = true;
      i = j + 1;
      continue;
    }
    // A line break (CRLF, LF or CR) ends the record.
    i = c === 13 && text.charCodeAt(j + 1) === 10 ? j + 2 : j + 1;
    if (endRow()) {
      truncated = true;
      break;
    }
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
