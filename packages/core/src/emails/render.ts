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

/**
 * Fills a compiled variant's `{{placeholders}}` for one recipient: HTML-escaped in the HTML part, as
 * plain text in the text part, header-safe in the subject. This is the only per-recipient work; MJML
 * never runs here. An unknown placeholder is an error rather than a silent blank.
 */
export function personalise(variant: CompiledVariant, values: Record<string, string>): RenderedEmail {
  const fill = (source: string, escape: (s: string) => string) =>
    source.replace(/\{\{([A-Za-z]+)\}\}/g, (_, key: string) => {
      const value = values[key];
      if (value === undefined) throw new Error(`No value for placeholder {{${key}}}`);
      return escape(value);
    });
  return {
    subject: headerSafe(fill(variant.subject, (s) => s)),
    html: fill(variant.html, escapeHtml),
    text: fill(variant.text, (s) => s.replace(/\r/g, "")),
  };
}

/** Renders a fixed transactional template in one language. */
export function renderTransactional(name: TemplateName, language: Language, values: Record<string, string>): RenderedEmail {
  return personalise(compiledTemplate(name, language), values);
}
