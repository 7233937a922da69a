import { afterAll, beforeAll, expect, it } from "vitest";
import { buildOpenApiDocument } from "../../packages/functions/src/openapi/document";
import { ROUTES } from "../../packages/functions/src/routes";
import { startHarness, type Harness } from "./harness";

/** `GET /api/openapi.json` on the local cloud: the document, public, from the same route table as AWS. */

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h?.stop());

it("serves the OpenAPI document at GET /api/openapi.json, without signing in", async () => {
  const res = await h.request("GET", "/api/openapi.json");
  expect(res.status).toBe(200);
  expect(res.headers.get("content-type")).toMatch(/^application\/json/);
  expect(res.headers.get("cache-control")).toBe("public, max-age=300");
  expect(res.body).toEqual(JSON.parse(JSON.stringify(buildOpenApiDocument())));
  const paths = res.body.paths as Record<string, Record<string, unknown>>;
  for (const route of ROUTES) expect(paths[route.path]?.[route.method.toLowerCase()], `${route.method} ${route.path}`).toBeDefined();
  expect(paths["/api/openapi.json"]?.get).toBeDefined();
});
