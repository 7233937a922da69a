import type { APIGatewayProxyEventV2 } from "aws-lambda";
import { describe, expect, it } from "vitest";
import { route as publicRoute } from "../../packages/functions/src/http/public";
import { route as subscriberRoute } from "../../packages/functions/src/http/subscriber";
import { createWiring } from "../../packages/functions/src/wiring/wiring";

// The configuration's defaults and no AWS: pages and refusals need nothing more.
const wiring = createWiring();

type Result = { statusCode: number; headers: Record<string, string> };
const request = (routeKey: string, proto: string | undefined, extra: Record<string, string> = {}) => {
  const [method, path] = routeKey.split(" ") as [string, string];
  return {
    routeKey,
    rawPath: path,
    rawQueryString: "",
    headers: { host: "missions.example.org", ...(proto ? { "x-forwarded-proto": proto } : {}), ...extra },
    queryStringParameters: {},
    body: "",
    isBase64Encoded: false,
    requestContext: { http: { method, path, sourceIp: "192.0.2.1" }, routeKey },
  } as unknown as APIGatewayProxyEventV2;
};

describe("security headers", () => {
  it("sends Strict-Transport-Security on every https answer, pages, JSON and refusals alike", async () => {
    for (const [route, key] of [
      [publicRoute, "GET /cookies"],
      [publicRoute, "GET /api/consent"],
      [subscriberRoute, "GET /confirm"],
      [publicRoute, "GET /nowhere"],
    ] as const) {
      const res = (await route(request(key, "https"), wiring)) as Result;
      expect(res.statusCode, key).toBeLessThan(500);
      expect(res.headers["strict-transport-security"], key).toBe("max-age=31536000; includeSubDomains");
    }
    const refused = (await publicRoute(request("POST /cookies", "https", { origin: "https://evil.example" }), wiring)) as Result;
    expect(refused.statusCode).toBe(403);
    expect(refused.headers["strict-transport-security"]).toBe("max-age=31536000; includeSubDomains");
  });

  it("leaves it out over plain http (the local server), where a browser would ignore it anyway", async () => {
    for (const proto of ["http", undefined]) {
      const res = (await publicRoute(request("GET /cookies", proto), wiring)) as Result;
      expect(res.headers["strict-transport-security"]).toBeUndefined();
    }
  });

  it("gives the public pages a CSP with base-uri 'none' and form-action 'self'", async () => {
    const res = (await publicRoute(request("GET /cookies", "https"), wiring)) as Result;
    const csp = res.headers["content-security-policy"]!.split(";").map((d) => d.trim());
    expect(csp).toEqual(expect.arrayContaining(["default-src 'self'", "base-uri 'none'", "form-action 'self'", "frame-ancestors 'none'"]));
  });
});
