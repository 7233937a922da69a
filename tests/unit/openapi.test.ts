import { Validator } from "@seriousme/openapi-schema-validator";
import { describe, expect, it } from "vitest";
import * as z from "zod";
import { buildOpenApiDocument, routeKey } from "../../packages/functions/src/openapi/document";
import { OPERATIONS } from "../../packages/functions/src/openapi/operations";
import { SCHEMAS } from "../../packages/functions/src/openapi/schemas";
import { ROUTES, isStaffRoute } from "../../packages/functions/src/routes";
import { DEAD_LETTER_QUEUES } from "../../packages/core/src/health";

/**
 * The OpenAPI document is built from the route table, the operations map and the handlers' zod
 * schemas. These tests keep the three together: every route is in the document and described, the
 * document is valid OpenAPI 3.1, and its request schemas are the ones the handlers validate with.
 */

type Doc = {
  openapi: string;
  paths: Record<string, Record<string, { operationId: string; security?: unknown; parameters?: { name: string; in: string }[]; responses: Record<string, unknown> }>>;
  components: { schemas: Record<string, unknown>; securitySchemes: Record<string, unknown> };
};
const doc = buildOpenApiDocument() as Doc;

/** Every `$ref` in a JSON value. */
function refs(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(refs);
  if (value && typeof value === "object") {
    return Object.entries(value).flatMap(([k, v]) => (k === "$ref" && typeof v === "string" ? [v] : refs(v)));
  }
  return [];
}

describe("the OpenAPI document", () => {
  it("is a valid OpenAPI 3.1 document", async () => {
    const validator = new Validator();
    const result = await validator.validate(doc);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(validator.version).toBe("3.1");
    expect(doc.openapi).toBe("3.1.0");
  });

  it("has every route of the route table, by method and path", () => {
    const inDoc = Object.entries(doc.paths).flatMap(([path, ops]) => Object.keys(ops).map((method) => `${method.toUpperCase()} ${path}`));
    expect(inDoc.sort()).toEqual(ROUTES.map(routeKey).sort());
  });

  it("describes every route, and nothing that is not a route", () => {
    expect(Object.keys(OPERATIONS).sort()).toEqual(ROUTES.map(routeKey).sort());
    for (const op of Object.values(OPERATIONS)) expect(op.summary.length).toBeGreaterThan(0);
  });

  it("refuses to build for a route it has no description of", () => {
    expect(() => buildOpenApiDocument([...ROUTES, { audience: "public", method: "GET", path: "/undocumented", handler: "api/undocumented", table: "none" }])).toThrow(/GET \/undocumented/);
  });

  it("gives each operation a unique id and each {parameter} of a path a path parameter", () => {
    const ids = Object.values(doc.paths).flatMap((ops) => Object.values(ops).map((op) => op.operationId));
    expect(new Set(ids).size).toBe(ROUTES.length);
    for (const route of ROUTES) {
      const op = doc.paths[route.path]![route.method.toLowerCase()]!;
      const names = [...route.path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]);
      expect(op.parameters?.filter((p) => p.in === "path").map((p) => p.name) ?? [], routeKey(route)).toEqual(names);
    }
  });

  it("puts the staff bearer scheme on every staff route and on no other", () => {
    expect(doc.components.securitySchemes.staffBearer).toMatchObject({ type: "http", scheme: "bearer", bearerFormat: "JWT" });
    for (const route of ROUTES) {
      const op = doc.paths[route.path]![route.method.toLowerCase()]!;
      expect(op.security, routeKey(route)).toEqual(isStaffRoute(route) ? [{ staffBearer: [] }] : undefined);
      if (isStaffRoute(route)) expect(Object.keys(op.responses)).toEqual(expect.arrayContaining(["401", "403"]));
    }
  });

  it("answers errors with the shared envelope", () => {
    expect(doc.components.schemas.ErrorEnvelope).toMatchObject({
      type: "object",
      required: ["error"],
      properties: { error: { required: ["code", "message"], properties: { fields: { type: "array", items: { $ref: "#/components/schemas/FieldProblem" } } } } },
    });
    const subscribe = doc.paths["/api/subscriptions"]!.post!.responses as Record<string, { content?: Record<string, { schema?: unknown }> }>;
    expect(subscribe["400"]!.content!["application/json"]!.schema).toEqual({ $ref: "#/components/schemas/ErrorEnvelope" });
  });

  it("uses the handlers' own zod schemas for request bodies", () => {
    for (const name of ["SubscribeRequest", "PreferencesUpdate", "AnnouncementInput", "ContentEvent", "NewMission", "ImportRequest"] as const) {
      const { $schema: _dialect, ...own } = z.toJSONSchema(SCHEMAS[name], { target: "draft-2020-12", io: "input", unrepresentable: "any" }) as Record<string, unknown>;
      expect(doc.components.schemas[name], name).toEqual(own);
    }
    const body = (path: string, method: string) => (doc.paths[path]![method] as unknown as { requestBody: { content: Record<string, { schema: unknown }> } }).requestBody.content["application/json"]!.schema;
    expect(body("/api/subscriptions", "post")).toEqual({ $ref: "#/components/schemas/SubscribeRequest" });
    expect(body("/api/staff/announcements", "post")).toEqual({ $ref: "#/components/schemas/AnnouncementInput" });
    expect(body("/webhooks/content", "post")).toEqual({ $ref: "#/components/schemas/ContentEvent" });
  });

  it("names the health view's dead-letter queues as the domain lists them, the sign-up queue among them", () => {
    const health = doc.components.schemas.ServiceHealth as { properties: { deadLetters: { items: { properties: { queue: { enum: string[] } } } } } };
    const names = health.properties.deadLetters.items.properties.queue.enum;
    expect(names).toEqual([...DEAD_LETTER_QUEUES]);
    expect(names).toEqual(["send", "signUp", "plan", "content", "feedback"]);
  });

  it("refers only to components it has", () => {
    const all = refs(doc);
    expect(all.length).toBeGreaterThan(0);
    for (const r of new Set(all)) {
      expect(r, r).toMatch(/^#\/components\/schemas\//);
      expect(doc.components.schemas[r.slice("#/components/schemas/".length)], r).toBeDefined();
    }
  });
});
