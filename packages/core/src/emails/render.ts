import type { Language } from "../shared/vocabulary";
import type { CompiledVariant } from "./compiled-variant";
import { compiledTemplate, type TransactionalTemplate } from "./compiled-templates";
import { escapeHtml, headerSafe } from "../shared/escape";

export type TemplateName = TransactionalTemplate;

export interface RenderedEmail {
  subject: string;
  html: string;
  text: string;
}

/** Per-recipient repeated blocks: `{{#name}}…{{/name}}` is filled once per item, with the item's values over the others. */
export type SectionValues = Record<string, Record<string, string>[]>;

/**
 * Fills a compiled variant's `{{placeholders}}` for one recipient: HTML-escaped in the HTML part, as
 * plain text in the text part, header-safe in the subject. A `{{#list}}…{{/list}}` section repeats
 * its body for each item of `sections.list` (none: left out). This is the only per-recipient work;
 * MJML never runs here. An unknown placeholder or section is an error rather than a silent blank.
 */
export function personalise(variant: CompiledVariant, values: Record<string, string>, sections: SectionValues = {}): RenderedEmail {
  const placeholders = (source: string, vals: Record<string, string>, escape: (s: string) => string) =>
    source.replace(/\{\{([A-Za-z]+)\}\}/g, (_, key: string) => {
      const value = vals[key];
      if (value === undefined) throw new Error(`No value for placeholder {{${key}}}`);
      return escape(value);
    });
  const fill = (source: string, escape: (s: string) => string) =>
    placeholders(
      source.replace(/\{\{#([A-Za-z]+)\}\}([\s\S]*?)\{\{\/\1\}\}/g, (_, key: string, body: string) => {
        const items = sections[key];
        if (items === undefined) throw new Error(`No items for section {{#${key}}}`);
        return items.map((item) => placeholders(body, { ...values, ...item }, escape)).join("");
      }),
      values,
      escape,
    );
  return {
    subject: headerSafe(fill(variant.subject, (s) => s)),
    html: fill(variant.html, escapeHtml),
    text: fill(variant.text, (s) => s.replace(/\r/g, "")),
  };
}

/** Renders a fixed transactional template in one language. */
export function renderTransactional(name: TemplateName, language: Language, values: Record<string, string>, sections: SectionValues = {}): RenderedEmail {
  return personalise(compiledTemplate(name, language), values, sections);
}
