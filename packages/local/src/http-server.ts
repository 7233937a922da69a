import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { randomUUID } from "node:crypto";
import { fileURLToPath } from "node:url";
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from "aws-lambda";
import { ROUTES, audienceEntry, matchPath, type Audience, type RouteSpec } from "@mission-mail/functions/routes";
import type { Wiring } from "@mission-mail/functions/wiring/wiring";

type HttpRoute = (event: APIGatewayProxyEventV2, wiring: Wiring) => Promise<APIGatewayProxyStructuredResultV2>;

/** Bodies above this are cut off before the handler (API Gateway's own limit is 10 MB). */
const MAX_READ_BYTES = 1024 * 1024;

/**
 * The function that serves an audience's routes, loaded on its first request: its entry module, which
 * dispatches on the route key to the route's module, exactly as the function does in AWS (here on the
 * local cloud's wiring rather than the Lambda process's).
 */
const functions = new Map<Audience, Promise<HttpRoute>>();
function load(audience: Audience): Promise<HttpRoute> {
  let h = functions.get(audience);
  if (!h) {
    const file = fileURLToPath(new URL(`../../functions/src/${audienceEntry(audience)}.ts`, import.meta.url));
    h = import(/* @vite-ignore */ file).then((m: { route: HttpRoute }) => m.route);
    functions.set(audience, h);
  }
  return h;
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size <= MAX_READ_BYTES) chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/**
 * Builds the API Gateway HTTP API (payload v2) event the Lambda would get in AWS. As there, request
 * cookies arrive in `cookies` (one `name=value` per entry) and not as a `cookie` header, and the
 * `x-forwarded-*` headers say how the client reached the API.
 */
function toEvent(req: IncomingMessage, url: URL, body: Buffer, route: RouteSpec, params: Record<string, string>): APIGatewayProxyEventV2 {
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers)) if (v !== undefined) headers[k] = Array.isArray(v) ? v.join(",") : v;
  const cookies = (headers.cookie ?? "")
    .split(";")
    .map((c) => c.trim())
    .filter(Boolean);
  delete headers.cookie;
  headers["x-forwarded-proto"] ??= "http";
  headers["x-forwarded-port"] ??= String(req.socket.localPort ?? "");
  const query: Record<string, string> = {};
  for (const [k, v] of url.searchParams) query[k] = query[k] === undefined ? v : `${query[k]},${v}`;
  // Like API Gateway: text arrives as a string, anything else (here: bytes that are not UTF-8) base64.
  const asText = body.toString("utf8");
  const isText = Buffer.from(asText, "utf8").equals(body);
  return {
    version: "2.0",
    routeKey: `${route.method} ${route.path}`,
    rawPath: url.pathname,
    rawQueryString: url.search.slice(1),
    headers,
    ...(cookies.length ? { cookies } : {}),
    ...(url.search ? { queryStringParameters: query } : {}),
    ...(Object.keys(params).length ? { pathParameters: params } : {}),
    requestContext: {
      accountId: "000000000000",
      apiId: "local",
      domainName: url.host,
      domainPrefix: "local",
      http: { method: req.method ?? "GET", path: url.pathname, protocol: "HTTP/1.1", sourceIp: req.socket.remoteAddress ?? "127.0.0.1", userAgent: headers["user-agent"] ?? "" },
      requestId: randomUUID(),
      routeKey: `${route.method} ${route.path}`,
      stage: "$default",
      time: new Date().toISOString(),
      timeEpoch: Date.now(),
    },
    ...(body.length ? { body: isText ? asText : body.toString("base64") } : {}),
    isBase64Encoded: body.length > 0 && !isText,
  };
}

/**
 * Writes a handler's result as API Gateway does: each entry of `cookies` becomes its own
 * `Set-Cookie` header, after any `set-cookie` header the result sets itself.
 */
function send(res: ServerResponse, result: APIGatewayProxyStructuredResultV2) {
  const headers: Record<string, string | string[]> = {};
  const setCookies: string[] = [];
  for (const [name, value] of Object.entries(result.headers ?? {})) {
    if (name.toLowerCase() === "set-cookie") setCookies.push(String(value));
    else headers[name] = String(value);
  }
  setCookies.push(...(result.cookies ?? []));
  if (setCookies.length) headers["set-cookie"] = setCookies;
  res.writeHead(result.statusCode ?? 200, headers);
  res.end(result.isBase64Encoded ? Buffer.from(result.body ?? "", "base64") : (result.body ?? ""));
}

function notFound(res: ServerResponse, path: string) {
  res.writeHead(404, { "content-type": "application/json; charset=utf-8" });
  res.end(JSON.stringify({ error: { code: "not_found", message: `No route for ${path}.` } }));
}

/**
 * The local HTTP API: the same route table, and the same functions (one per audience), as API Gateway
 * in AWS, each run on the local cloud's wiring (`wiring()`, the current one). `extra` serves
 * local-only pages (the index) before the route table.
 */
export function startHttpServer(port: number, wiring: () => Wiring, extra?: (req: IncomingMessage, res: ServerResponse, url: URL) => boolean): Promise<Server> {
  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? "/", `http://${req.headers.host ?? "localhost"}`);
    try {
      if (extra?.(req, res, url)) return;
      let candidates: RouteSpec[] = [];
      let params: Record<string, string> = {};
      try {
        candidates = ROUTES.filter((r) => matchPath(r.path, url.pathname));
        params = candidates.length ? matchPath(candidates[0]!.path, url.pathname)! : {};
      } catch {
        return notFound(res, url.pathname);
      }
      const route = candidates.find((r) => r.method === req.method);
      if (!route) {
        if (candidates.length) {
          res.writeHead(405, { allow: candidates.map((r) => r.method).join(", "), "content-type": "application/json; charset=utf-8" });
          res.end(JSON.stringify({ error: { code: "method_not_allowed", message: `${req.method} is not allowed on ${url.pathname}.` } }));
          return;
        }
        return notFound(res, url.pathname);
      }
      const body = await readBody(req);
      const routeFn = await load(route.audience);
      send(res, await routeFn(toEvent(req, url, body, route, params), wiring()));
    } catch (err) {
      console.error(`[http] ${req.method} ${url.pathname}: ${(err as Error).stack ?? err}`);
      if (!res.headersSent) res.writeHead(500, { "content-type": "application/json; charset=utf-8" });
      res.end(JSON.stringify({ error: { code: "internal_error", message: "Something went wrong on our side." } }));
    }
  });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => resolve(server));
  });
}
