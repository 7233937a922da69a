import { parse } from "csv-parse/sync";
import { describe, expect, it } from "vitest";
import { csvCell, csvCellValue, toCsv } from "../../packages/core/src/shared/csv";

/** Reads CSV as a spreadsheet would import it: the cells' text, quotes removed. */
const read = (text: string) => parse(text, { relax_column_count: false }) as string[][];

describe("CSV written by the product", () => {
  it("neutralises every cell a spreadsheet would read as a formula (=, +, -, @, tab, CR) with a leading quote", () => {
    const hostile = ["=cmd|'/Ccalc'!A0+x@example.org", "+1+1", "-2+3", "@SUM(A1:A2)", "\tindented", "\r=1+1", "=HYPERLINK(\"http://evil\",\"x\")"];
    const [row] = read(toCsv([hostile]));
    expect(row).toEqual(hostile.map((cell) => `'${cell}`));
    for (const cell of row!) expect(cell).not.toMatch(/^[=+\-@\t\r]/);
  });

  it("leaves ordinary cells as they are and round-trips commas, quotes and line breaks", () => {
    const ordinary = ["bo@example.org", "sv", "food-system;mobility", "2026-11-30T08:00:00.000Z", 'a "quoted", value', "two\nlines", "", "true", "x=1"];
    const header = ordinary.map((_, i) => `c${i}`);
    expect(read(toCsv([header, ordinary]))).toEqual([header, ordinary]);
  });

  it("reads back the value csvCell neutralised, and leaves other cells that start with a quote alone", () => {
    const cells = ["=cmd|'/Ccalc'!A0+x@example.org", "+46 8 000 00 00", "-", "@home", "'quoted'", "'", "plain@example.org"];
    expect(read(toCsv([cells]))[0]!.map(csvCellValue)).toEqual(cells);
    expect(csvCellValue("'abc")).toBe("'abc");
    expect(csvCellValue("''=1")).toBe("''=1");
  });

  it("ends every row with a line feed and quotes only where needed", () => {
    expect(toCsv([["a", "b"], ["c", "d e"]])).toBe("a,b\nc,d e\n");
    expect(csvCell("=1")).toBe("'=1");
  });
});
