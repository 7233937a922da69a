import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { shorten } from "../../packages/core/src/emails/compile-content";

/** The shortening as first written: every grapheme of the text segmented, with a segmenter made per call. */
function reference(text: string, max: number): string {
  const graphemes = Array.from(new Intl.Segmenter(undefined, { granularity: "grapheme" }).segment(text), (s) => s.segment);
  if (graphemes.length <= max) return text;
  const cut = graphemes.slice(0, max - 1).join("");
  const space = cut.lastIndexOf(" ");
  return `${(space > cut.length * 0.7 ? cut.slice(0, space) : cut).replace(/[\s.,;:–-]+$/, "")}…`;
}

const pieces = ["a", "ö", " ", ".", "–", "👩‍👩‍👧", "🇸🇪", "e\u0301", "漢", "word ", ", ", "\u200b"];

describe("shortening a summary", () => {
  it("keeps whole graphemes and cuts at a near word break, exactly as before, for any text and limit", () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...pieces), { maxLength: 400 }), fc.integer({ min: 1, max: 300 }), (parts, max) => {
        const text = parts.join("");
        expect(shorten(text, max)).toBe(reference(text, max));
      }),
      { numRuns: 500 },
    );
  });

  it("cuts a long summary of emoji between graphemes, never inside one", () => {
    const text = "👩‍👩‍👧".repeat(300);
    const out = shorten(text, 240);
    expect(out.endsWith("…")).toBe(true);
    expect(out.slice(0, -1)).toBe("👩‍👩‍👧".repeat(239));
  });
});
