/**
 * CSV as the product writes it (the staff's subscriber export): one helper, so every cell is both
 * quoted and neutralised the same way wherever a CSV is written.
 */

/** What a spreadsheet reads as the start of a formula (OWASP's CSV injection list). */
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * One cell's text, safe to open in a spreadsheet: a cell that starts with `=`, `+`, `-`, `@`, a tab or
 * a carriage return is prefixed with `'`, so it is shown as text and never run as a formula (an
 * address such as `=cmd|'/Ccalc'!A0+x@example.org` is valid and can be signed up). The quote is
 * visible in the cell, which is the point: the value is shown, not evaluated.
 */
export function csvCell(value: string): string {
  return FORMULA_START.test(value) ? `'${value}` : value;
}

/**
 * A cell's value as read back from a CSV the product wrote: the `'` that `csvCell` put before a
 * formula start is taken off again, so an exported file can be imported as it is. Only that quote:
 * a cell that starts with `'` followed by anything else is left as it is.
 */
export function csvCellValue(cell: string): string {
  return cell.startsWith("'") && FORMULA_START.test(cell.slice(1)) ? cell.slice(1) : cell;
}

/** A cell as a CSV field (RFC 4180): quoted when it holds a comma, a quote or a line break. */
const field = (value: string) => {
  const cell = csvCell(value);
  return /[",\r\n]/.test(cell) ? `"${cell.replace(/"/g, '""')}"` : cell;
};

/** Rows as CSV text, each cell neutralised by `csvCell` and quoted where needed, each row ending in a line feed. */
export function toCsv(rows: readonly (readonly string[])[]): string {
  return rows.map((row) => `${row.map(field).join(",")}\n`).join("");
}
