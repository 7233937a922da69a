import type { APIGatewayProxyEventV2 } from "aws-lambda";
import { describe, expect, it } from "vitest";
import { route as putPreferences } from "../../packages/functions/src/api/subscriber/put-preferences";
import { route as subscribe } from "../../packages/functions/src/api/subscriber/subscribe";
import { jsonBody } from "../../packages/functions/src/lib/http";
import { noWiring } from "../../packages/functions/src/wiring/none";

const event = (contentType: string | undefined, body = '{"a":1}') =>
  ({ body, isBase64Encoded: false, headers: contentType ? { "content-type": contentType } : {}, requestContext: { http: { method: "POST" } } }) as unknown as APIGatewayProxyEventV2;

describe("JSON request bodies", () => {
  it("are read when sent as JSON (application/json, with parameters, or a +json type)", () => {
    for (const type of ["application/json", "application/json; charset=utf-8", "Application/JSON", "application/merge-patch+json"]) expect(jsonBody(event(type)), type).toEqual({ a: 1 });
  });

  it("answer 415 unsupported_media_type, in the error envelope, to any other declared type", async () => {
    for (const type of ["text/plain", "text/plain;charset=UTF-8", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "application/jsonp"]) {
      for (const r of [subscribe, putPreferences]) {
        const res = (await r(event(type), noWiring)) as { statusCode: number; body: string };
        expect(res.statusCode, type).toBe(415);
        expect(JSON.parse(res.body).error).toMatchObject({ code: "unsupported_media_type", message: expect.stringContaining("application/json") });
      }
    }
  });
});
