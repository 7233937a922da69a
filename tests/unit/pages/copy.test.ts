import { describe, expect, it } from "vitest";
import en from "../../../templates/strings/pages.en.json";
import sv from "../../../templates/strings/pages.sv.json";

type Tree = { [key: string]: string | string[] | Tree };
const leaves = (tree: Tree, prefix = ""): [string, string][] =>
  Object.entries(tree).flatMap(([k, v]) =>
    typeof v === "string" ? [[`${prefix}${k}`, v] as [string, string]] : Array.isArray(v) ? v.map((s, i) => [`${prefix}${k}.${i}`, s] as [string, string]) : leaves(v, `${prefix}${k}.`),
  );
const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe("the pages' copy deck", () => {
  const svTexts = new Map(leaves(sv as Tree));
  const enTexts = new Map(leaves(en as Tree));

  it("has every text in Swedish and English, in the same order, none empty", () => {
    expect([...enTexts.keys()]).toEqual([...svTexts.keys()]);
    for (const [key, text] of svTexts) {
      expect(text.trim(), key).not.toBe("");
      expect(enTexts.get(key)!.trim(), key).not.toBe("");
    }
  });

  it("uses the same placeholders in both languages", () => {
    for (const [key, text] of svTexts) expect(placeholders(enTexts.get(key)!), key).toEqual(placeholders(text));
  });

  it("holds text, not markup: pages put links and emphasis around it", () => {
    for (const [key, text] of [...svTexts, ...enTexts]) expect(text, key).not.toMatch(/<\/?[a-z][^>]*>/i);
  });

  it("writes each sentence once: no long text appears under two keys", () => {
    for (const texts of [svTexts, enTexts]) {
      const seen = new Map<string, string>();
      for (const [key, text] of texts) {
        if (text.length < 40) continue;
        expect(seen.get(text), `${key} repeats ${seen.get(text)}`).toBeUndefined();
        seen.set(text, key);
      }
    }
  });
});
