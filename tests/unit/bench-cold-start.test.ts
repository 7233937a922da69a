import { describe, expect, it } from "vitest";
import { busEvent, describeOutcome, firstRoute, httpEvent, sqsEvent } from "../../bench/lib/cold-start";
import { bundleVerdicts, renderBundles, type BundleResult, type BundleSizeResult } from "../../bench/lib/report";
import { deployedHandlers, firstInvocationFigures, type FirstInvocationRun } from "../../scripts/bundle-sizes";
import { AUDIENCES, ROUTES, routeKey, type RouteSpec } from "../../packages/functions/src/routes";
import { PIPELINE_HANDLERS } from "../../stacks/handlers";

const run = (importMs: number, invokeMs: number, ok = true, outcome = "HTTP 200"): FirstInvocationRun => ({ importMs, invokeMs, label: "GET /missions", outcome, ok, calls: { sqsMessages: 0, events: 0, sesSends: 0 } });

const fn = (handler: string, kind: "http" | "pipeline", totals: [number, number][], ok = true): BundleSizeResult => {
  const figures = firstInvocationFigures(totals.map(([i, v]) => run(i, v, ok, ok ? "HTTP 200" : "HTTP 500")));
  return { handler, kind, bytes: 500_000, startBytes: kind === "http" ? 40_000 : 500_000, hasMjml: false, mjmlAtStart: false, importMs: figures.importMs, importRuns: figures.runs.map((r) => r.importMs), firstInvocation: figures };
};

const result = (sizes: BundleSizeResult[], extra: Partial<BundleResult> = {}): BundleResult => ({
  available: true,
  sender: "queues/send-mail",
  sizes,
  importRuns: 3,
  httpImportMaxMs: 150,
  routesPerFunction: { "http/public": 14 },
  measuredAt: "2026-12-02T17:00:00.000Z",
  machine: { cpus: 2, node: "v20.20.2" },
  process: { maxRssMB: 100, cpuSeconds: 1, wallSeconds: 1 },
  ...extra,
});

describe("the cold-start figures", () => {
  it("takes the median of each process's import + invocation, not the sum of the two medians", () => {
    // Medians: import 20, invocation 100, but no single process took 120: the sums are 130, 60, 300.
    const f = firstInvocationFigures([run(10, 120), run(20, 40), run(200, 100)]);
    expect(f.importMs).toBe(20);
    expect(f.invokeMs).toBe(100);
    expect(f.totalMs).toBe(130);
    expect(f.ok).toBe(true);
    expect(firstInvocationFigures([run(10, 10), run(10, 10, false)]).ok).toBe(false);
  });

  it("passes the HTTP functions only when every one is within 150 ms and answered as expected", () => {
    const fast = ["http/public", "http/subscriber"].map((h) => fn(h, "http", [[20, 100], [25, 110], [30, 90]]));
    expect(bundleVerdicts(result(fast)).httpColdStart).toBe(true);
    const slow = [...fast, fn("http/staff", "http", [[20, 200], [20, 180], [20, 190]])];
    const v = bundleVerdicts(result(slow));
    expect(v.httpColdStart).toBe(false);
    expect(v.slowestHttpColdStart?.handler).toBe("http/staff");
    expect(bundleVerdicts(result([...fast, fn("http/webhook", "http", [[10, 10]], false)])).httpColdStart).toBe(false);
  });

  it("judges the sender and the planner against 250 ms and leaves the other pipeline functions without a target", () => {
    const sizes = [fn("queues/send-mail", "pipeline", [[150, 80]]), fn("queues/plan", "pipeline", [[700, 300]]), fn("schedules/sweep", "pipeline", [[900, 900]])];
    const v = bundleVerdicts(result(sizes));
    expect(v.slowestPipelineColdStart?.handler).toBe("queues/plan");
    expect(v.pipelineColdStart).toBe(false);
    expect(bundleVerdicts(result(sizes.slice(0, 1))).pipelineColdStart).toBe(true);
    const coldStarts = renderBundles(result(sizes)).split("### Cold starts")[1]!.split("\n");
    const row = (handler: string) => coldStarts.find((l) => l.startsWith(`| **${handler}**`) || l.startsWith(`| ${handler} |`)) ?? "";
    expect(row("queues/plan")).toContain("| 1000 ms (1000 ms) |");
    expect(row("queues/plan")).toMatch(/\| ≤ 250 ms \| \*\*FAIL\*\* \|$/);
    expect(row("queues/send-mail")).toMatch(/\| ≤ 250 ms \| \*\*pass\*\* \|$/);
    expect(row("schedules/sweep")).toMatch(/\| 1800 ms \(1800 ms\) \| HTTP 200 \|  \|  \|$/);
  });

  it("writes a row per measured function with its event, timings and answer, and says why when nothing was measured", () => {
    const md = renderBundles(result([fn("http/public", "http", [[20, 100], [30, 120], [25, 80]])]));
    expect(md).toContain("### Cold starts: import and first invocation");
    const row = md.split("\n").find((l) => l.startsWith("| **http/public** | GET /missions"))!;
    expect(row).toBeDefined();
    expect(row).toContain("| 25 ms | 100 ms | 120 ms (105 ms) | HTTP 200 | ≤ 150 ms | **pass** |");
    const none = renderBundles(result([{ handler: "http/public", kind: "http", bytes: 1, hasMjml: false, importMs: 10, importRuns: [10] }], { firstInvocationError: "java not found" }));
    expect(none).toContain("Not measured: the local stack did not start (java not found)");
  });
});

describe("the representative first events", () => {
  it("gives every audience in the route table a route of its own, the named ones first", () => {
    for (const audience of AUDIENCES) expect(firstRoute(audience)?.audience, audience).toBe(audience);
    expect(routeKey(firstRoute("public")!)).toBe("GET /missions");
    expect(routeKey(firstRoute("subscriber")!)).toBe("GET /api/preferences");
    expect(routeKey(firstRoute("webhook")!)).toBe("POST /webhooks/content");
    expect(firstRoute("staff")!.path.startsWith("/api/staff/")).toBe(true);
    // A new audience the bench does not know gets its first GET without path parameters.
    const extra: RouteSpec[] = [...ROUTES, { audience: "partners" as never, method: "GET", path: "/partners/{id}", handler: "api/partners/one", table: "read" }, { audience: "partners" as never, method: "GET", path: "/partners", handler: "api/partners/list", table: "read" }];
    expect(firstRoute("partners", extra)?.path).toBe("/partners");
  });

  it("measures every deployed function, the pipeline's from stacks/handlers.ts", () => {
    const handlers = deployedHandlers().map((h) => h.handler);
    for (const h of Object.values(PIPELINE_HANDLERS)) expect(handlers).toContain(h);
    expect(handlers.filter((h) => h.startsWith("http/"))).toHaveLength(AUDIENCES.length);
  });

  it("builds events in the shapes Lambda delivers", () => {
    const e = httpEvent({ method: "GET", path: "/api/preferences" }, { query: { token: "t" } });
    expect(e.routeKey).toBe("GET /api/preferences");
    expect(e.requestContext.routeKey).toBe("GET /api/preferences");
    expect(e.rawQueryString).toBe("token=t");
    expect(e.queryStringParameters).toEqual({ token: "t" });
    const q = sqsEvent("send", [{ kind: "welcome" }]);
    expect(q.Records).toHaveLength(1);
    expect(JSON.parse(q.Records[0]!.body)).toEqual({ kind: "welcome" });
    expect(q.Records[0]!.attributes.ApproximateReceiveCount).toBe("1");
    const b = busEvent("missions.content", "content.published", { id: "x" });
    expect(b["detail-type"]).toBe("content.published");
    expect(b.detail).toEqual({ id: "x" });
  });

  it("reads a handler's answer: a 2xx, no failed records, or no error is as expected", () => {
    expect(describeOutcome({ statusCode: 200 }, undefined)).toEqual({ outcome: "HTTP 200", ok: true });
    expect(describeOutcome({ statusCode: 403 }, undefined)).toEqual({ outcome: "HTTP 403", ok: false });
    expect(describeOutcome({ batchItemFailures: [] }, undefined)).toEqual({ outcome: "no failed records", ok: true });
    expect(describeOutcome({ batchItemFailures: [{ itemIdentifier: "a" }] }, undefined).ok).toBe(false);
    expect(describeOutcome(undefined, "boom")).toEqual({ outcome: "threw: boom", ok: false });
    expect(describeOutcome({ requeued: 0 }, undefined)).toEqual({ outcome: "done", ok: true });
  });
});
