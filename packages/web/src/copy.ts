import en from "../../../templates/strings/pages.en.json";
import sv from "../../../templates/strings/pages.sv.json";
import type { Language } from "./core";

/**
 * The words of every page and of the staff console: one deck per language, beside the email strings
 * in templates/strings. Each language must have exactly the other's keys: a key missing from either
 * file fails the type check here, so no page can show a hole in one language.
 */
export type PageCopy = typeof sv;

const SV: PageCopy = sv satisfies typeof en;
const EN: PageCopy = en satisfies typeof sv;

/** The deck of a language. */
export const copy = (language: Language): PageCopy => (language === "en" ? EN : SV);

/** Fills `{name}` placeholders from `values`; a placeholder without a value stays as it is. */
export function fill(template: string, values: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (whole, key: string) => (values[key] === undefined ? whole : String(values[key])));
}

/**
 * Splits a text at its `{name}` placeholders, for markup that goes inside a sentence (a link, a
 * highlighted address): the text parts stay text, so they are escaped like every other.
 */
export function fillParts<T>(template: string, values: Record<string, T>): (string | T)[] {
  return template.split(/(\{\w+\})/).filter(Boolean).map((part) => {
    const key = /^\{(\w+)\}$/.exec(part)?.[1];
    return key !== undefined && key in values ? values[key]! : part;
  });
}
