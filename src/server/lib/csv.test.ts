import { describe, expect, it } from "vitest";

import { csvCell, csvDocument, csvRow } from "./csv";

describe("csv", () => {
  it("neutralises cells a spreadsheet would run as formulas", () => {
    for (const start of ["=", "+", "-", "@", "\t", "\r"]) {
      const cell = csvCell(`${start}HYPERLINK("http://evil.example","x")`);
      expect(cell.replace(/^"/, "").startsWith("'")).toBe(true);
    }
    expect(csvCell("=1+1")).toBe("'=1+1");
    expect(csvCell("@SUM(A1)")).toBe("'@SUM(A1)");
    expect(csvCell("-2")).toBe("'-2");
    expect(csvCell("\tcmd")).toBe("'\tcmd");
    expect(csvCell("\r=x")).toBe(`"'\r=x"`);
    // Not at the start: left alone.
    expect(csvCell("a=b")).toBe("a=b");
    expect(csvCell("user@example.com")).toBe("user@example.com");
  });

  it("quotes commas, quotes and line breaks, and writes empty cells for null", () => {
    expect(csvCell('say "hi", bye')).toBe('"say ""hi"", bye"');
    expect(csvCell("two\nlines")).toBe('"two\nlines"');
    expect(csvCell(null)).toBe("");
    expect(csvCell(undefined)).toBe("");
    expect(csvCell(new Date("2026-11-27T01:02:03.000Z"))).toBe("2026-11-27T01:02:03.000Z");
    expect(csvCell({ a: 1, b: "x,y" })).toBe('"{""a"":1,""b"":""x,y""}"');
    expect(csvCell('=cmd|" /C calc"!A0')).toBe(`"'=cmd|"" /C calc""!A0"`);
    expect(csvRow(["a", 1, null, "=x"])).toBe("a,1,,'=x");
  });

  it("builds a document with a BOM and CRLF lines", () => {
    const doc = csvDocument(["h1", "h2"], [["a", "b"], ["c", "d"]]);
    expect(doc).toBe("\uFEFFh1,h2\r\na,b\r\nc,d\r\n");
  });
});
