import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, posix, relative, sep } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";
import { describe, expect, it } from "vitest";

/**
 * The layering of packages/core/src (docs/design.md, "Core by capability"):
 * - `shared/` (vocabulary, errors, escaping, tokens, small helpers) imports nothing else in core;
 * - `platform/` (clock, ids, queues, configuration, DynamoDB, table keys) imports only `shared/`;
 * - a capability imports `shared/`, `platform/`, its own files, and other capabilities only through
 *   their `index.ts`, never another capability's adapter or internal file;
 * - adapters (the modules that use an AWS SDK client or fetch keys with jose: `dynamo-*`,
 *   `ses-mailer`, `sqs-queue`, `eventbridge-*`, `jwt-staff-verifier`, `platform/dynamo`) are imported
 *   only by other adapters and by the wiring outside core, so no index re-exports one and importing
 *   a use case never pulls an AWS SDK client into a bundle.
 */

const CORE = join(dirname(fileURLToPath(import.meta.url)), "../../packages/core/src");
const CAPABILITIES = ["subscription", "consent", "content", "digest", "campaigns", "emails", "announcements", "missions", "feedback", "audit", "stats", "staff", "departures", "health"];
const LAYERS = ["shared", "platform"];

/** A module of core as a path relative to packages/core/src, with `/` separators and no extension. */
type Module = string;

const folderOf = (m: Module) => (m.includes("/") ? m.slice(0, m.indexOf("/")) : "");
const baseOf = (m: Module) => m.slice(m.lastIndexOf("/") + 1);
/** Whether a module's imports make it an adapter: it talks to AWS (an SDK client) or fetches keys (jose). */
const usesInfrastructure = (specs: string[]) => specs.some((s) => s.startsWith("@aws-sdk/") || s === "jose");

/** Every .ts file under packages/core/src, as modules. */
function coreModules(dir = CORE): Module[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return coreModules(path);
    return entry.name.endsWith(".ts") ? [relative(CORE, path).split(sep).join("/").replace(/\.ts$/, "")] : [];
  });
}

/** The specifiers a file imports: static imports and re-exports, and dynamic `import()` calls. */
function importSpecifiers(source: string): string[] {
  return ts.preProcessFile(source, true, true).importedFiles.map((f) => f.fileName);
}

/** The module a relative specifier names, from the importing module (a folder means its index). */
function resolveTarget(from: Module, spec: string, modules: ReadonlySet<Module>): Module {
  const target = posix.normalize(posix.join(posix.dirname(from), spec)).replace(/\.(ts|js)$/, "");
  return !modules.has(target) && modules.has(`${target}/index`) ? `${target}/index` : target;
}

/**
 * What an import breaks, if anything: `from` is the importing module, `spec` the specifier as
 * written. Non-relative specifiers are packages (node:*, zod, the AWS SDK…), except our own
 * workspace packages, which core never imports.
 */
function violation(from: Module, spec: string, modules: ReadonlySet<Module>, adapters: ReadonlySet<Module>): string | undefined {
  if (spec.startsWith("@mission-mail/")) return `${from} imports the workspace package ${spec}`;
  if (!spec.startsWith(".")) return undefined;
  const target = resolveTarget(from, spec, modules);
  if (target.startsWith("..")) return `${from} imports ${spec}, outside packages/core/src`;
  if (!modules.has(target)) return `${from} imports ${spec}, which is not a module of core`;
  const source = folderOf(from);
  const dest = folderOf(target);
  if (adapters.has(target) && !adapters.has(from)) return `${from} imports the adapter ${target}; only adapters and the wiring outside core may`;
  if (source === "shared") return dest === "shared" ? undefined : `${from} (shared) imports ${target}; shared imports nothing else in core`;
  if (source === "platform") return dest === "shared" || dest === "platform" ? undefined : `${from} (platform) imports ${target}; platform imports only shared`;
  if (source === "") return undefined; // the package's own index.ts: one namespace per capability
  if (dest === "") return `${from} imports the package index ${target}`;
  if (dest === source || LAYERS.includes(dest)) return undefined;
  if (target !== `${dest}/index`) return `${from} imports ${target}, an internal file of ${dest}; import ${dest}'s index instead`;
  return undefined;
}

/** Every import in core with its target folder, and every broken rule. */
function scan(): { problems: string[]; edges: Map<string, Set<string>> } {
  const modules = coreModules();
  const known = new Set(modules);
  const specifiers = new Map(modules.map((m) => [m, importSpecifiers(readFileSync(join(CORE, `${m}.ts`), "utf8"))]));
  const adapters = new Set(modules.filter((m) => usesInfrastructure(specifiers.get(m)!)));
  const problems: string[] = [];
  const edges = new Map<string, Set<string>>();
  for (const m of modules) {
    const folder = folderOf(m);
    if (folder && !CAPABILITIES.includes(folder) && !LAYERS.includes(folder)) problems.push(`${m} is in ${folder}/, which is neither a capability nor a layer`);
    if (!folder && m !== "index") problems.push(`${m} sits at the root of packages/core/src; put it in a capability, shared/ or platform/`);
    for (const spec of specifiers.get(m)!) {
      const problem = violation(m, spec, known, adapters);
      if (problem) problems.push(problem);
      else if (spec.startsWith(".") && CAPABILITIES.includes(folder)) {
        const dest = folderOf(resolveTarget(m, spec, known));
        if (dest !== folder && CAPABILITIES.includes(dest)) edges.set(folder, new Set([...(edges.get(folder) ?? []), dest]));
      }
    }
  }
  return { problems, edges };
}

/** A cycle among capabilities (each importing the next), or undefined. */
function findCycle(edges: Map<string, Set<string>>): string[] | undefined {
  const state = new Map<string, "open" | "done">();
  const path: string[] = [];
  const visit = (node: string): string[] | undefined => {
    if (state.get(node) === "done") return undefined;
    if (state.get(node) === "open") return [...path.slice(path.indexOf(node)), node];
    state.set(node, "open");
    path.push(node);
    for (const next of edges.get(node) ?? []) {
      const cycle = visit(next);
      if (cycle) return cycle;
    }
    path.pop();
    state.set(node, "done");
    return undefined;
  };
  for (const node of edges.keys()) {
    const cycle = visit(node);
    if (cycle) return cycle;
  }
  return undefined;
}

describe("core layering", () => {
  const { problems, edges } = scan();

  it("keeps shared, platform and the capabilities in their layers", () => {
    expect(problems).toEqual([]);
  });

  it("has no cycle among capabilities", () => {
    expect(findCycle(edges)).toBeUndefined();
  });

  it("has a public index for every capability", () => {
    const modules = new Set(coreModules());
    expect(CAPABILITIES.filter((c) => !modules.has(`${c}/index`))).toEqual([]);
  });

  it("keeps every port small: no interface in a ports module has more than ten methods", () => {
    const large = coreModules()
      .filter((m) => baseOf(m) === "ports" || m === "shared/missions")
      .flatMap((m) => {
        const source = ts.createSourceFile(m, readFileSync(join(CORE, `${m}.ts`), "utf8"), ts.ScriptTarget.Latest);
        return source.statements.filter(ts.isInterfaceDeclaration).flatMap((port) => {
          const methods = port.members.filter((member) => ts.isMethodSignature(member)).length;
          return methods > 10 ? [`${m}: ${port.name.text} has ${methods} methods`] : [];
        });
      });
    expect(large).toEqual([]);
  });
});

describe("the layering check", () => {
  const modules = new Set(["shared/errors", "platform/ports", "platform/dynamo", "campaigns/index", "campaigns/send-batch", "campaigns/dynamo-outbox", "subscription/index", "subscription/subscribe", "index"]);
  const adapters = new Set(["platform/dynamo", "campaigns/dynamo-outbox"]);
  const check = (from: string, spec: string) => violation(from, spec, modules, adapters);

  it("reads static imports, re-exports, type imports and dynamic import()", () => {
    const source = [
      'import { a } from "./one";',
      'import type { B } from "../two";',
      'export * from "./three";',
      'export { c } from "./four";',
      'const lazy = await import("../five");',
    ].join("\n");
    expect(importSpecifiers(source)).toEqual(["./one", "../two", "./three", "./four", "../five"]);
  });

  it("flags each kind of violation", () => {
    expect(check("shared/errors", "../platform/ports")).toMatch(/shared imports nothing else/);
    expect(check("platform/ports", "../campaigns")).toMatch(/platform imports only shared/);
    expect(check("subscription/subscribe", "../campaigns/send-batch")).toMatch(/internal file of campaigns/);
    expect(check("subscription/subscribe", "../campaigns/dynamo-outbox")).toMatch(/adapter/);
    expect(check("campaigns/index", "./dynamo-outbox")).toMatch(/adapter/);
    expect(check("campaigns/send-batch", "../index")).toMatch(/package index/);
    expect(check("campaigns/send-batch", "@mission-mail/functions/src/wiring/wiring")).toMatch(/workspace package/);
  });

  it("allows what the layers allow", () => {
    expect(check("platform/dynamo", "../shared/errors")).toBeUndefined();
    expect(check("subscription/subscribe", "../campaigns")).toBeUndefined();
    expect(check("subscription/subscribe", "../campaigns/index")).toBeUndefined();
    expect(check("campaigns/dynamo-outbox", "../platform/dynamo")).toBeUndefined();
    expect(check("campaigns/send-batch", "zod")).toBeUndefined();
    expect(check("index", "./subscription")).toBeUndefined();
  });
});
