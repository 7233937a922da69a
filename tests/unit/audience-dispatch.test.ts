import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { APIGatewayProxyEventV2, Context } from "aws-lambda";
import { describe, expect, it } from "vitest";
import * as publicFunction from "../../packages/functions/src/http/public";
import * as staffFunction from "../../packages/functions/src/http/staff";
import * as subscriberFunction from "../../packages/functions/src/http/subscriber";
import * as webhookFunction from "../../packages/functions/src/http/webhook";
import { AUDIENCES, ROUTES, audienceEntry, routeKey, type Audience } from "../../packages/functions/src/routes";
import { ASSET_FILES } from "../../packages/web/src/assets/asset-files";
import { audienceFunction, type AudienceModules, type RouteModule } from "../../packages/functions/src/lib/route-dispatch";
import { json } from "../../packages/functions/src/lib/http";

/**
 * The HTTP routes are served by one function per audience: its entry module dispatches on API
 * Gateway's route key to the route's own module. The entries' module lists are checked against the
 * route table by the compiler (AudienceModules); these tests check the dispatch itself, and the table's
 * promises about what each audience may do.
 */

const FUNCTIONS: Record<Audience, { handler: (event: APIGatewayProxyEventV2, context: Context) => Promise<unknown> }> = {
  public: publicFunction,
  subscriber: subscriberFunction,
  webhook: webhookFunction,
  staff: staffFunction,
};
const context = {} as Context;
const event = (key: string, pathParameters?: Record<string, string>): APIGatewayProxyEventV2 => {
  const [method, path] = key.split(" ") as [string, string];
  return {
    version: "2.0",
    routeKey: key,
    rawPath: path,
    rawQueryString: "",
    headers: {},
    isBase64Encoded: false,
    ...(pathParameters ? { pathParameters } : {}),
    requestContext: { http: { method, path, protocol: "HTTP/1.1", sourceIp: "127.0.0.1", userAgent: "test" }, routeKey: key } as APIGatewayProxyEventV2["requestContext"],
  };
};
const call = async (audience: Audience, key: string, pathParameters?: Record<string, string>) =>
  (await FUNCTIONS[audience].handler(event(key, pathParameters), context)) as { statusCode: number; headers?: Record<string, string>; body: string };

describe("the route table's audiences", () => {
  it("puts every route in one of the four audiences, each with an entry file", () => {
    expect([...new Set(ROUTES.map((r) => r.audience))].sort()).toEqual([...AUDIENCES].sort());
    for (const audience of AUDIENCES) expect(existsSync(join("packages/functions/src", `${audienceEntry(audience)}.ts`)), audience).toBe(true);
    for (const route of ROUTES) expect(existsSync(join("packages/functions/src", `${route.handler}.ts`)), route.handler).toBe(true);
  });

  it("keeps the public audience read-only: no route writes the table, enqueues, puts events or sends mail", () => {
    for (const route of ROUTES.filter((r) => r.audience === "public")) {
      expect(route.table, routeKey(route)).not.toBe("write");
      expect([route.queue, route.planQueue, route.bus, route.webhookSecret, route.mail, route.scheduler, route.staffConsole].some(Boolean), routeKey(route)).toBe(false);
    }
  });

  it("keeps the webhook audience to the bus and the webhook secret", () => {
    for (const route of ROUTES.filter((r) => r.audience === "webhook")) {
      expect(route.table, routeKey(route)).toBe("none");
      expect([route.queue, route.planQueue, route.mail, route.scheduler].some(Boolean), routeKey(route)).toBe(false);
    }
  });

  it("gives every staff API route to the staff audience", () => {
    for (const route of ROUTES.filter((r) => r.path.startsWith("/api/staff/") || r.staffConsole)) expect(route.audience, routeKey(route)).toBe("staff");
  });
});

describe("an audience's function", () => {
  it("passes a route of its audience to the route's module", async () => {
    const consent = await call("public", "GET /api/consent");
    expect(consent.statusCode).toBe(200);
    expect(JSON.parse(consent.body)).toHaveProperty("policyVersion");
    const [file, asset] = Object.entries(ASSET_FILES)[0]!;
    const served = await call("public", "GET /assets/{file}", { file });
    expect(served.statusCode).toBe(200);
    expect(served.headers?.["content-type"]).toBe(asset.type);
    // The route's own refusal, not the dispatcher's: the route key was found, the file was not.
    const missing = await call("public", "GET /assets/{file}", { file: "nothing.css" });
    expect(missing.statusCode).toBe(404);
    expect(JSON.parse(missing.body).error.code).toBe("not_found");
  });

  it.each(AUDIENCES.map((a) => [a] as const))("%s answers 404 route_not_found for a route key it does not serve", async (audience) => {
    const foreign = ROUTES.find((r) => r.audience !== audience)!;
    for (const key of [routeKey(foreign), "GET /nowhere", "$default"]) {
      const res = await call(audience, key);
      expect(res.statusCode, key).toBe(404);
      expect(res.headers?.["content-type"]).toContain("application/json");
      const body = JSON.parse(res.body);
      expect(body.error.code).toBe("route_not_found");
      expect(body.error.message).toEqual(expect.any(String));
    }
  });
});

describe("an audience's route modules, loaded on demand", () => {
  /** The webhook audience with a stand-in module that counts how often it is imported and called. */
  const counted = (load: () => Promise<RouteModule>) => {
    const seen = { imports: 0, calls: 0 };
    const modules = {
      "api/webhook/content-webhook": async () => {
        seen.imports++;
        return load();
      },
    } as AudienceModules<"webhook">;
    return { fn: audienceFunction("webhook", modules), seen };
  };
  const module: RouteModule = {
    route: async () => json(202, { ok: true }),
    handler: async () => json(202, { ok: true }),
  };
  const key = routeKey(ROUTES.find((r) => r.audience === "webhook")!);

  it("imports nothing when the function loads, a route's module on its first request, and only once", async () => {
    const { fn, seen } = counted(async () => module);
    expect(seen.imports).toBe(0);
    expect((await fn.handler(event("GET /nowhere"))).statusCode).toBe(404);
    expect(seen.imports).toBe(0);
    const [a, b] = await Promise.all([fn.handler(event(key)), fn.handler(event(key))]);
    expect([a.statusCode, b.statusCode]).toEqual([202, 202]);
    expect((await fn.handler(event(key))).statusCode).toBe(202);
    expect(seen.imports).toBe(1);
  });

  it("tries a failed import again on the next request", async () => {
    let fail = true;
    const { fn, seen } = counted(async () => {
      if (fail) throw new Error("chunk not readable");
      return module;
    });
    await expect(fn.handler(event(key))).rejects.toThrow("chunk not readable");
    fail = false;
    expect((await fn.handler(event(key))).statusCode).toBe(202);
    expect(seen.imports).toBe(2);
  });

  it("lists every route module of each audience as a loader in its entry, none imported statically", () => {
    for (const audience of AUDIENCES) {
      const source = readFileSync(join("packages/functions/src", `${audienceEntry(audience)}.ts`), "utf8");
      expect(source, audience).not.toMatch(/^import .* from "\.\.\/api\//m);
      for (const route of ROUTES.filter((r) => r.audience === audience)) expect(source, route.handler).toContain(`() => import("../${route.handler}")`);
    }
  });
});

