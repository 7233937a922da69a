import { describe, expect, it } from "vitest";
import { compileContentEmail, digestAssembler, DIGEST_SECTION_LIMIT } from "../../packages/core/src/emails/compile-content";
import { assembleVariant, MissingPart } from "../../packages/core/src/emails";
import type { ContentItem, Seminar } from "../../packages/core/src/content";
import type { Language } from "../../packages/core/src/shared/vocabulary";

/** A small deterministic generator, so a failure names a seed that reproduces it. */
function random(seed: number) {
  let s = seed >>> 0;
  const next = () => ((s = (Math.imul(s ^ (s >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0) / 2 ** 32);
  return { next, int: (n: number) => Math.floor(next() * n), pick: <T>(xs: readonly T[]) => xs[Math.floor(next() * xs.length)]! };
}

const ODD = [
  "Plain title",
  "Mat & hälsa <b>inte fet</b> \"citat\" 'apostrof'",
  "Klammer {{preferencesUrl}} och }} {{ {x}",
  "Emoji 👩‍🔬🚲 and ZWJ, e\u0301 combining",
  "Line\nbreak\r\nand\ttab   spaces",
  "MMHOLE7Qpreview.countQ7MMEND is only text here",
  "  leading and trailing  ",
  "<script>alert(1)</script> &amp; &lt;",
];
const URLS = [
  "https://missions.example.org/a?b=1&c=2",
  "https://missions.example.org/sök/ä ö?q=\"x\"&y=<z>",
  "http://example.org/{{unsubscribeUrl}}/{x}",
  "https://example.org/#fragment'quote",
];
const MISSIONS = ["mat", "mobilitet", "halsa", "impact"];

function items(rng: ReturnType<typeof random>, kind: "seminar" | "article", count: number, long: boolean): ContentItem[] {
  return Array.from({ length: count }, (_, i) => {
    const day = 1 + rng.int(27);
    const title = `${rng.pick(ODD)} ${i}${long ? " " + "lång titel ".repeat(900) : ""}`;
    const base = {
      id: `${kind}-${i}-${rng.int(1000)}`,
      version: rng.int(5),
      missions: [rng.pick(MISSIONS), ...(rng.next() < 0.3 ? [rng.pick(MISSIONS)] : [])].filter((m, j, a) => a.indexOf(m) === j),
      language: rng.pick(["sv", "en"] as const),
      title,
      summary: `${rng.pick(ODD)} ${"sammanfattning ".repeat(rng.int(40))}`,
      url: rng.pick(URLS),
      publishedAt: `2026-11-${String(day).padStart(2, "0")}T0${rng.int(9)}:00:00+01:00`,
    };
    if (kind === "seminar") {
      const seminar: Seminar = {
        ...base,
        kind: "seminar",
        startsAt: `2026-12-${String(day).padStart(2, "0")}T09:00:00+01:00`,
        endsAt: `2026-12-${String(day).padStart(2, "0")}T1${rng.int(9)}:00:00+01:00`,
        location: rng.pick(ODD),
        ...(rng.next() < 0.6 ? { registrationUrl: rng.pick(URLS) } : {}),
      };
      return seminar;
    }
    return { ...base, kind: rng.next() < 0.5 ? "publication" : "news" };
  });
}

const missions = MISSIONS.map((id) => ({ id, name: { sv: `Mission ${id} & <mat>`, en: `Mission ${id} "en"` } }));
const periods = [
  { cadence: "weekly", period: "2026-W48" },
  { cadence: "daily", period: "2026-12-02" },
  { cadence: "monthly", period: "2026-12" },
] as const;

describe("digests assembled item by item", () => {
  it("give byte for byte the email that compiling each variant with MJML gives, over many generated variants", async () => {
    let checked = 0;
    for (const { cadence, period } of periods) {
      const assembler = digestAssembler({ cadence, period, missions });
      const combos = new Set<string>();
      for (let seed = 1; seed <= 14; seed++) {
        const rng = random(seed * 31 + cadence.length);
        const language: Language = seed % 2 ? "sv" : "en";
        // Empty sections, one item, up to the cap, and over it (a "more" line).
        const sizes = [0, 1, 3, DIGEST_SECTION_LIMIT, DIGEST_SECTION_LIMIT + 1 + rng.int(8)];
        let seminars = items(rng, "seminar", rng.pick(sizes), false);
        const publications = items(rng, "article", rng.pick(sizes), seed === 7);
        if (!seminars.length && !publications.length) seminars = items(rng, "seminar", 2, false);
        combos.add(`${language}|${seminars.length > 0}|${publications.length > 0}`);
        const old = await compileContentEmail({ template: "digest", cadence, period, seminars, publications, missions }, language);
        const { subject, recipe } = await assembler.variant(language, seminars, publications);
        const assembled = assembleVariant(recipe, assembler.parts());
        expect(subject).toBe(old.subject);
        expect(assembled.subject).toBe(old.subject);
        expect(assembled.text).toBe(old.text);
        expect(assembled.html).toBe(old.html);
        checked += 1;
      }
      // MJML ran once per skeleton (language × sections present), not once per variant.
      expect(assembler.compilations).toBe(combos.size);
      expect(Object.keys(assembler.parts().skeletons)).toHaveLength(combos.size);
    }
    expect(checked).toBe(42);
  }, 120_000);

  it("shrinks an over-budget digest as the per-variant path does, and renders each item's block once per language", async () => {
    const rng = random(99);
    const publications = items(rng, "article", 12, true);
    const assembler = digestAssembler({ cadence: "weekly", period: "2026-W48", missions });
    const old = await compileContentEmail({ template: "digest", cadence: "weekly", period: "2026-W48", seminars: [], publications, missions }, "sv");
    const first = await assembler.variant("sv", [], publications);
    expect(assembleVariant(first.recipe, assembler.parts()).html).toBe(old.html);
    expect(first.recipe.fills["publications.items"]!.length).toBeLessThan(DIGEST_SECTION_LIMIT);
    const ids = () => Object.keys(assembler.parts().blocks);
    const swedish = ids().length;
    expect(swedish).toBeGreaterThan(0);
    await assembler.variant("sv", [], publications);
    expect(ids()).toHaveLength(swedish);
    await assembler.variant("en", [], publications);
    expect(ids().filter((id) => id.startsWith("en|"))).toHaveLength(swedish);
  }, 60_000);

  it("refuses to assemble a recipe whose parts are missing, so a sender reloads them rather than sending a hole", async () => {
    const rng = random(5);
    const assembler = digestAssembler({ cadence: "weekly", period: "2026-W48", missions });
    const { recipe } = await assembler.variant("en", items(rng, "seminar", 2, false), []);
    expect(() => assembleVariant(recipe, { skeletons: assembler.parts().skeletons, blocks: {} })).toThrow(MissingPart);
    expect(() => assembleVariant(recipe, { skeletons: {}, blocks: assembler.parts().blocks })).toThrow(MissingPart);
  });
});
