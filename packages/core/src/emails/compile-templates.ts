import { readFileSync, writeFileSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import mjml2html from "mjml";
import { LANGUAGES, type Language } from "../shared/vocabulary";
import type { CompiledVariant } from "./compiled-variant";
import { escapeHtml } from "../shared/escape";

/**
 * Build-time compiler for the fixed transactional templates. MJML is slow to load and render, so it
 * never runs on the send path: `npm run templates` compiles every template × language once into
 * `compiled-templates.ts`, leaving `{{placeholders}}` for per-recipient substitution. A unit test
 * checks that the committed output matches the templates.
 *
 * Content emails (digests and alerts) depend on the items they list, so they are compiled later, once
 * per variant, by `compile-content.ts`. For them this step writes `content-template-sources.ts`: each
 * content template's MJML and text with partials inlined and `[[strings]]` filled per language, plus
 * the content strings chosen at compile time (subjects, headings), so that no file is read at run time.
 */
export const TEMPLATES_DIR = resolve(dirname(fileURLToPath(import.meta.url)), "../../../../templates");
/** Fixed templates; the two `mission-retired` ones are sent as a campaign to a retired mission's followers. */
export const TRANSACTIONAL = ["confirm", "already-subscribed", "data-export", "data-erase", "mission-retired", "mission-retired-last"] as const;
export type TransactionalTemplate = (typeof TRANSACTIONAL)[number];
/** Content templates; the digest template also serves the alert bundle, and `announcement` staff announcements. */
export const CONTENT_TEMPLATES = ["digest", "seminar-alert", "publication-alert", "seminar-changed", "announcement"] as const;
export type ContentTemplate = (typeof CONTENT_TEMPLATES)[number];
/** Strings whose keys start with these are also embedded as a table, for content emails to pick from. */
const CONTENT_STRING_PREFIXES = ["content.", "alert-bundle.", ...CONTENT_TEMPLATES.map((name) => `${name}.`)];

function strings(language: Language): Record<string, string> {
  return JSON.parse(readFileSync(join(TEMPLATES_DIR, "strings", `${language}.json`), "utf8"));
}

function fillStrings(source: string, dict: Record<string, string>, escape: (s: string) => string, file: string): string {
  return source.replace(/\[\[([a-z.-]+)\]\]/gi, (_, key: string) => {
    if (key === "lang") return dict.__lang!;
    const value = dict[key];
    if (value === undefined) throw new Error(`${file}: no string "${key}" in templates/strings`);
    return escape(value);
  });
}

/** Inlines `<mj-include path="./partials/…" />` (MJML partials in templates/partials, text ones in templates/text/partials). */
const partials = (src: string, dir = TEMPLATES_DIR) =>
  src.replace(/<mj-include path="\.\/(partials\/[a-z-]+\.(?:mjml|txt))" \/>\n?/g, (_, p: string) => readFileSync(join(dir, p), "utf8"));
const TEXT_DIR = join(TEMPLATES_DIR, "text");

/** Compiles one template in one language to HTML and text, with placeholders left in. */
export async function compileVariant(name: string, language: Language): Promise<CompiledVariant> {
  const dict: Record<string, string> = { ...strings(language), __lang: language };
  const mjmlPath = join(TEMPLATES_DIR, `${name}.mjml`);
  const subjectKey = `${name}.subject`;
  const source = partials(readFileSync(mjmlPath, "utf8")).replace("[[subject]]", `[[${subjectKey}]]`).replace("[[preview]]", `[[${name}.preview]]`);
  const withStrings = fillStrings(source, dict, escapeHtml, mjmlPath);
  const result = await mjml2html(withStrings, { validationLevel: "strict", filePath: mjmlPath, minify: false });
  if (result.errors.length) throw new Error(`${mjmlPath}: ${result.errors.map((e) => e.formattedMessage).join("; ")}`);
  const textPath = join(TEXT_DIR, `${name}.txt`);
  const text = fillStrings(partials(readFileSync(textPath, "utf8"), TEXT_DIR), dict, (s) => s, textPath);
  return { subject: dict[subjectKey]!, html: result.html, text };
}

/** Compiles every transactional template in every language. */
export async function compileAll(): Promise<Record<TransactionalTemplate, Record<Language, CompiledVariant>>> {
  const out = {} as Record<TransactionalTemplate, Record<Language, CompiledVariant>>;
  for (const name of TRANSACTIONAL) {
    out[name] = {} as Record<Language, CompiledVariant>;
    for (const lang of LANGUAGES) out[name][lang] = await compileVariant(name, lang);
  }
  return out;
}

/**
 * The source of `compiled-templates.ts` for a compilation result. The compiled HTML is gzipped into
 * the module (a fifth of its size) and unpacked on first use, so every function that can send
 * transactional mail, the sender included, stays small.
 */
export function moduleSource(compiled: Awaited<ReturnType<typeof compileAll>>): string {
  const packed = gzipSync(JSON.stringify(compiled), { level: 9 }).toString("base64");
  return (
    "// Generated by `npm run templates` from templates/. Do not edit by hand.\n" +
    'import { gunzipSync } from "node:zlib";\n' +
    'import type { CompiledVariant } from "./compiled-variant";\n\n' +
    `export const TRANSACTIONAL_TEMPLATES = ${JSON.stringify(TRANSACTIONAL)} as const;\n` +
    "export type TransactionalTemplate = (typeof TRANSACTIONAL_TEMPLATES)[number];\n\n" +
    "/** Every template × language, as JSON, gzipped and base64-encoded. */\n" +
    `const PACKED = ${JSON.stringify(packed)};\n\n` +
    "let unpacked: Record<TransactionalTemplate, Record<\"sv\" | \"en\", CompiledVariant>> | undefined;\n\n" +
    "/** One compiled transactional template in one language (unpacked once per process). */\n" +
    'export function compiledTemplate(name: TransactionalTemplate, language: "sv" | "en"): CompiledVariant {\n' +
    '  unpacked ??= JSON.parse(gunzipSync(Buffer.from(PACKED, "base64")).toString("utf8"));\n' +
    "  return unpacked![name][language];\n" +
    "}\n"
  );
}

export const COMPILED_MODULE = join(dirname(fileURLToPath(import.meta.url)), "compiled-templates.ts");

export interface ContentTemplateSources {
  /** Per template and language: MJML and text with `[[strings]]` filled and `((slots))` left for compile-content. */
  templates: Record<ContentTemplate, Record<Language, { mjml: string; text: string }>>;
  /** Per language: the content strings, unescaped, that compile-content picks at compile time. */
  strings: Record<Language, Record<string, string>>;
}

/**
 * Prepares the content templates: partials inlined, `[[strings]]` filled (HTML-escaped in MJML, plain
 * in text), the head's `[[subject]]` and `[[preview]]` turned into the `((subject))` and `((preview))` slots. Both string tables must have
 * the same keys, so a string added in one language is not forgotten in the other.
 */
export function contentSources(): ContentTemplateSources {
  const tables = Object.fromEntries(LANGUAGES.map((lang) => [lang, strings(lang)])) as Record<Language, Record<string, string>>;
  for (const lang of LANGUAGES) {
    for (const other of LANGUAGES) {
      const missing = Object.keys(tables[lang]).filter((key) => !(key in tables[other]));
      if (missing.length) throw new Error(`templates/strings/${other}.json lacks ${missing.map((k) => `"${k}"`).join(", ")} (present in ${lang}.json)`);
    }
  }
  const out: ContentTemplateSources = { templates: {} as ContentTemplateSources["templates"], strings: {} as ContentTemplateSources["strings"] };
  for (const lang of LANGUAGES) {
    const dict: Record<string, string> = { ...tables[lang], __lang: lang };
    out.strings[lang] = Object.fromEntries(Object.entries(tables[lang]).filter(([key]) => CONTENT_STRING_PREFIXES.some((p) => key.startsWith(p))));
    for (const name of CONTENT_TEMPLATES) {
      const mjmlPath = join(TEMPLATES_DIR, `${name}.mjml`);
      const textPath = join(TEMPLATES_DIR, "text", `${name}.txt`);
      out.templates[name] ??= {} as Record<Language, { mjml: string; text: string }>;
      out.templates[name][lang] = {
        mjml: fillStrings(partials(readFileSync(mjmlPath, "utf8")).replace("[[subject]]", "((subject))").replace("[[preview]]", "((preview))"), dict, escapeHtml, mjmlPath),
        text: fillStrings(partials(readFileSync(textPath, "utf8"), TEXT_DIR), dict, (s) => s, textPath),
      };
    }
  }
  return out;
}

/** The source of `content-template-sources.ts`. */
export function contentModuleSource(sources: ContentTemplateSources): string {
  return (
    "// Generated by `npm run templates` from templates/. Do not edit by hand.\n" +
    "// Content email templates with partials inlined and [[strings]] filled; compile-content fills the ((slots)).\n\n" +
    `export type ContentTemplate = "${CONTENT_TEMPLATES.join('" | "')}";\n\n` +
    `export const CONTENT_TEMPLATE_SOURCES: Record<ContentTemplate, Record<"sv" | "en", { mjml: string; text: string }>> = ${JSON.stringify(sources.templates, null, 2)};\n\n` +
    `export const CONTENT_STRINGS: Record<"sv" | "en", Record<string, string>> = ${JSON.stringify(sources.strings, null, 2)};\n`
  );
}

export const CONTENT_MODULE = join(dirname(fileURLToPath(import.meta.url)), "content-template-sources.ts");

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  compileAll()
    .then((compiled) => {
      writeFileSync(COMPILED_MODULE, moduleSource(compiled));
      console.log(`Compiled ${TRANSACTIONAL.length} templates × ${LANGUAGES.length} languages into ${COMPILED_MODULE}`);
      writeFileSync(CONTENT_MODULE, contentModuleSource(contentSources()));
      console.log(`Prepared ${CONTENT_TEMPLATES.length} content templates × ${LANGUAGES.length} languages in ${CONTENT_MODULE}`);
    })
    .catch((err) => {
      console.error(err instanceof Error ? err.message : err);
      process.exit(1);
    });
}
