/**
 * CSV (RFC 4180) for files people open in a spreadsheet. Cells are CSV-injection safe: a cell that
 * starts with = + - @ or a tab / carriage return would be read as a formula by Excel, LibreOffice
 * or Google Sheets (e.g. =HYPERLINK(...) or =cmd|...), so it gets a leading apostrophe and is read
 * as text. Every cell is quoted when it holds a comma, a quote or a line break.
 */
const FORMULA_START = /^[=+\-@\t\r]/;

export function csvCell(value: unknown): string {
  let text = value === null || value === undefined ? "" : value instanceof Date ? value.toISOString() : typeof value === "object" ? JSON.stringify(value) : String(value as string | number | boolean);
  if (FORMULA_START.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvRow(values: readonly unknown[]): string {
  return values.map(csvCell).join(",");
}

/** Lines joined with CRLF (as RFC 4180 and Excel expect), with a BOM so Excel reads UTF-8 accents. */
export function csvDocument(header: readonly string[], rows: Iterable<readonly unknown[]>): string {
  const lines = [csvRow(header)];
  for (const row of rows) lines.push(csvRow(row));
  return `\uFEFF${lines.join("\r\n")}\r\n`;
}
