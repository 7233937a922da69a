import * as z from "zod";
import { ROUTES, isStaffRoute, type RouteSpec } from "../routes";
import { MEDIA, OPERATIONS, type Answer, type Content, type JsonSchema, type Operation, type RouteKey, type SchemaRef } from "./operations";
import { SCHEMAS } from "./schemas";

/** The API's own version, raised when a route or a body changes in a way callers notice. */
export const API_VERSION = "1.0.0";

/** The key of a route in the operations map: `"GET /missions/{id}"`. */
export const routeKey = (route: Pick<RouteSpec, "method" | "path">): RouteKey => `${route.method} ${route.path}` as RouteKey;

type Audience = "public" | "subscriber" | "webhook" | "staff";

const TAGS: { name: Audience; description: string }[] = [
  { name: "public", description: "The public site and its API: mission pages and feeds, the missions catalogue, consent text, cookies, and the style sheets and scripts of every page. No sign-in." },
  { name: "subscriber", description: "Subscriber self-service: the sign-up, and from email links confirming, unsubscribing, preferences and data rights. The link's signed token is the credential." },
  { name: "webhook", description: "Content events from the CMS, signed with the webhook secret." },
  { name: "staff", description: "The staff console's page and sign-in callback (no sign-in), and the staff API under /api/staff/: a bearer JWT of a member of the `staff` group." },
];

/** Which of the four audiences a route serves: the route table's own say where it has one. */
function audienceOf(route: RouteSpec, op: Operation): Audience {
  const declared = (route as RouteSpec & { audience?: Audience }).audience;
  if (declared) return declared;
  if (isStaffRoute(route)) return "staff";
  if (route.path.startsWith("/webhooks/")) return "webhook";
  return op.query?.token ? "subscriber" : "public";
}

const PATH_PARAMETERS: Record<string, string> = {
  missions: "The mission's id (kebab-case).",
  announcements: "The announcement's id (a ULID).",
  runs: "The digest run's id.",
};

const STAFF_ERRORS: Record<number, string> = {
  401:
    "`unauthorized`, with `WWW-Authenticate: Bearer …`: no token, not a JWT, a bad signature, an algorithm other than RS256/ES256, expired or not yet valid, another issuer or client. " +
    'In AWS, API Gateway\'s JWT authorizer refuses a missing or bad token itself, with its own body `{"message":"Unauthorized"}`.',
  403: "`forbidden`: a valid token whose `cognito:groups` includes neither `staff` nor `publisher`.",
  503: "`staff_auth_unavailable`: the issuer's keys (JWKS) could not be fetched; retrying is safe.",
};

const INTERNAL_ERROR = "`internal_error`: something went wrong on the server; nothing about it is told. Try again later.";

const ref = (schema: SchemaRef): JsonSchema => (typeof schema === "string" ? { $ref: `#/components/schemas/${schema}` } : schema);

function contentOf(items: Content[]): Record<string, { schema?: JsonSchema }> {
  return Object.fromEntries(items.map((c) => [MEDIA[c.media], c.schema ? { schema: ref(c.schema) } : {}]));
}

function responsesOf(op: Operation, staff: boolean, role?: RouteSpec["role"]): Record<string, unknown> {
  const errors: Record<number, string> = { ...op.errors };
  if (staff) for (const [status, text] of Object.entries(STAFF_ERRORS)) errors[Number(status)] = errors[Number(status)] ? `${text} ${errors[Number(status)]}` : text;
  if (staff && role === "publisher") errors[403] = `${errors[403]} \`role_required\`: the token is not in the \`publisher\` group, which this route needs ("This needs the publisher role").`;
  errors[500] = INTERNAL_ERROR;
  const statuses = [...new Set([...Object.keys(op.responses), ...Object.keys(errors)].map(Number))].sort((a, b) => a - b);
  return Object.fromEntries(
    statuses.map((status) => {
      const answer: Answer | undefined = op.responses[status];
      const error = errors[status];
      const content = { ...(answer?.content ? contentOf(answer.content) : {}), ...(error ? { [MEDIA.json]: { schema: ref("ErrorEnvelope") } } : {}) };
      const description = answer && error ? `${answer.description} As JSON: ${error}` : (answer?.description ?? error ?? "");
      return [
        String(status),
        {
          description,
          ...(answer?.headers ? { headers: Object.fromEntries(Object.entries(answer.headers).map(([name, text]) => [name, { description: text, schema: { type: "string" } }])) } : {}),
          ...(Object.keys(content).length ? { content } : {}),
        },
      ];
    }),
  );
}

function parametersOf(route: RouteSpec, op: Operation): unknown[] {
  const segments = route.path.split("/");
  const inPath = segments.flatMap((segment, i) =>
    segment.startsWith("{") && segment.endsWith("}")
      ? [{ name: segment.slice(1, -1), in: "path", required: true, description: PATH_PARAMETERS[segments[i - 1] ?? ""] ?? "The item's id.", schema: { type: "string" } }]
      : [],
  );
  const param = (where: "query" | "header") => ([name, p]: [string, { description: string; required?: boolean; schema?: JsonSchema }]) => ({
    name,
    in: where,
    description: p.description,
    ...(p.required ? { required: true } : {}),
    schema: p.schema ?? { type: "string" },
  });
  return [...inPath, ...Object.entries(op.query ?? {}).map(param("query")), ...Object.entries(op.headers ?? {}).map(param("header"))];
}

/** `camelCase` of a handler's file name, e.g. `api/staff/run-digest` → `runDigest`. */
const camel = (text: string) => text.replace(/[^A-Za-z0-9]+(.)?/g, (_m, c: string | undefined) => (c ? c.toUpperCase() : ""));

/** The named schemas as JSON Schema (draft 2020-12, which OpenAPI 3.1 uses), referring to each other by `$ref`. */
function componentSchemas(): Record<string, JsonSchema> {
  const registry = z.registry<{ id: string }>();
  for (const [id, schema] of Object.entries(SCHEMAS)) registry.add(schema, { id });
  const { schemas } = z.toJSONSchema(registry, { target: "draft-2020-12", io: "input", unrepresentable: "any", uri: (id) => `#/components/schemas/${id}` });
  return Object.fromEntries(
    Object.entries(schemas).map(([id, schema]) => {
      const { $schema: _dialect, $id: _id, ...rest } = schema as JsonSchema;
      return [id, rest];
    }),
  );
}

/**
 * The OpenAPI 3.1 document of the HTTP API: one operation per route in the route table, described by
 * the operations map, with the request bodies' zod schemas as components. Throws if a route has no
 * description, so a new route cannot ship undocumented.
 */
export function buildOpenApiDocument(routes: readonly RouteSpec[] = ROUTES): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  const operationIds = new Set<string>();
  for (const route of routes) {
    const key = routeKey(route);
    const op = OPERATIONS[key];
    if (!op) throw new Error(`The route ${key} has no entry in packages/functions/src/openapi/operations.ts.`);
    const staff = isStaffRoute(route);
    let operationId = camel(route.handler.split("/").at(-1) ?? route.handler);
    if (operationIds.has(operationId)) operationId += camel(`-${route.path.split("/").at(-1)}`);
    operationIds.add(operationId);
    const parameters = parametersOf(route, op);
    (paths[route.path] ??= {})[route.method.toLowerCase()] = {
      operationId,
      tags: [audienceOf(route, op)],
      summary: op.summary,
      ...(op.description ? { description: op.description } : {}),
      ...(parameters.length ? { parameters } : {}),
      ...(op.body ? { requestBody: { ...(op.body.required ? { required: true } : {}), ...(op.body.description ? { description: op.body.description } : {}), content: contentOf(op.body.content) } } : {}),
      responses: responsesOf(op, staff, route.role),
      ...(route.role ? { "x-required-role": route.role } : {}),
      ...(staff ? { security: [{ staffBearer: [] }] } : {}),
    };
  }
  return {
    openapi: "3.1.0",
    info: {
      title: "Mission Mail",
      version: API_VERSION,
      description:
        "The HTTP API behind the Missions pages: public pages and the sign-up, subscriber self-service from email links, the CMS's content webhook, and the staff API. " +
        "Every error has the same envelope, `{ \"error\": { \"code\", \"message\", \"fields\"? } }` (the `ErrorEnvelope` schema). Staff routes take a bearer JWT (`staffBearer`).",
    },
    tags: TAGS,
    paths,
    components: {
      schemas: componentSchemas(),
      securitySchemes: {
        staffBearer: {
          type: "http",
          scheme: "bearer",
          bearerFormat: "JWT",
          description:
            "A JWT of a member of the `staff` group: the Cognito user pool's ID or access token in AWS, the local issuer's token locally (`npm run -s mm -- staff-token`). The handler checks the token and the group itself.",
        },
      },
    },
  };
}

let cached: Record<string, unknown> | undefined;

/** The document for the deployed route table, built once per process. */
export const openApiDocument = () => (cached ??= buildOpenApiDocument());
