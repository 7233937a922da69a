import { STATEMENT_PATHS, statementPage } from "@mission-mail/web/statement-pages";
import type { Language } from "@mission-mail/core/shared/vocabulary";
import { html, httpRoute, type HttpEvent } from "../../lib/http";
import { staticWiring } from "../../wiring/static";

/** Each statement route (`GET <path>`, as the route table names it): which statement, in which language. */
const BY_ROUTE = new Map<string, { kind: keyof typeof STATEMENT_PATHS; language: Language }>(
  Object.entries(STATEMENT_PATHS).flatMap(([kind, paths]) =>
    (Object.entries(paths) as [Language, string][]).map(([language, path]) => [`GET ${path}`, { kind: kind as keyof typeof STATEMENT_PATHS, language }] as const),
  ),
);

/**
 * GET /tillganglighet and /en/accessibility (the accessibility statement), GET /personuppgifter and
 * /en/privacy (the privacy notice): the text staff keep in templates/pages, with the agency's name.
 * `?lang=en` on a Swedish path, as every other page takes it, redirects to the English page.
 */
export const route = httpRoute(async (event) => {
  const key = event.routeKey ?? event.requestContext?.routeKey ?? "";
  const page = BY_ROUTE.get(key);
  if (!page) return html(404, "");
  if (page.language === "sv" && event.queryStringParameters?.lang === "en") {
    return { statusCode: 301, headers: { location: STATEMENT_PATHS[page.kind].en, "cache-control": "no-store" }, body: "" };
  }
  return html(200, statementPage(page.kind, page.language));
});

/** The Lambda function: the route on a wiring without AWS access (the page names the agency). */
export const handler = (event: HttpEvent) => route(event, staticWiring());
