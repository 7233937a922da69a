import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Template } from "aws-cdk-lib/assertions";
import { initProject } from "sst/project.js";
import { App, getStack } from "sst/constructs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ROUTES, isStaffRoute, type RouteSpec } from "../../packages/functions/src/routes";
import config from "../../sst.config";
import { Api } from "../../stacks/api";
import { Auth } from "../../stacks/auth";

/**
 * Staff sign-in in AWS: the Cognito user pool, its staff group and Hosted UI, the console's app
 * client, and the JWT authorizer on exactly the staff routes. The app is synthesized offline without
 * bundling functions (their configuration is all these tests read); stacks.test.ts bundles them.
 */

type Resource = { Type: string; Properties?: Record<string, any>; DeletionPolicy?: string };
type Templates = { Auth: Template; Api: Template };

const outdirs: string[] = [];
afterAll(() => {
  for (const dir of outdirs) rmSync(dir, { recursive: true, force: true });
});

async function synthesize(stage: string): Promise<Templates> {
  const outdir = mkdtempSync(join(tmpdir(), "mission-mail-auth-synth-"));
  outdirs.push(outdir);
  const app = new App({ mode: "deploy", name: "mission-mail", stage, region: "eu-north-1", account: "123456789012", isActiveStack: () => false }, { outdir });
  await config.stacks(app);
  await app.finish();
  return { Auth: Template.fromStack(getStack(Auth)), Api: Template.fromStack(getStack(Api)) };
}

const resources = (t: Template, type: string): [string, Resource][] => Object.entries(t.findResources(type) as Record<string, Resource>);
const resource = (t: Template, id: string) => t.toJSON().Resources[id] as Resource;
const only = <T>(items: T[], what: string): T => {
  expect(items, what).toHaveLength(1);
  return items[0]!;
};

/** Settings the stacks read from the environment; initProject may load them from a developer's .env. */
const STACK_ENV = ["MAIL_DOMAIN", "MAIL_FROM", "PUBLIC_URL", "UNSUBSCRIBE_MAILTO", "STAFF_AUTH_DOMAIN_PREFIX"];

let test: Templates;
let prod: Templates;
beforeAll(async () => {
  await initProject({ stage: "test" });
  for (const name of STACK_ENV) delete process.env[name];
  test = await synthesize("test");
  prod = await synthesize("prod");
}, 180_000);

const pool = (t: Templates) => only(resources(t.Auth, "AWS::Cognito::UserPool"), "one user pool");
const poolId = () => pool(test)[0];
const client = () => only(resources(test.Api, "AWS::Cognito::UserPoolClient"), "one app client");
const authorizer = () => only(resources(test.Api, "AWS::ApiGatewayV2::Authorizer"), "one authorizer");
/** Whether a value is the pool's issuer, `https://cognito-idp.<region>.amazonaws.com/<pool id>`, with the pool id imported from the Auth stack. */
function isIssuer(value: any): boolean {
  const parts = value?.["Fn::Join"]?.[1];
  return (
    Array.isArray(parts) &&
    parts.length === 2 &&
    parts[0] === "https://cognito-idp.eu-north-1.amazonaws.com/" &&
    new RegExp(`ExportsOutputRef${poolId()}`).test(JSON.stringify(parts[1]))
  );
}

function routeOf(route: RouteSpec): Resource {
  const key = `${route.method} ${route.path}`;
  return only(
    resources(test.Api, "AWS::ApiGatewayV2::Route").filter(([, r]) => r.Properties!.RouteKey === key),
    `route ${key}`,
  )[1];
}

function functionEnv(route: RouteSpec): Record<string, unknown> {
  const target: any[] = routeOf(route).Properties!.Target["Fn::Join"][1];
  const integrationId: string = target.find((p) => typeof p === "object" && p.Ref).Ref;
  const fnId: string = resource(test.Api, integrationId).Properties!.IntegrationUri["Fn::GetAtt"][0];
  return resource(test.Api, fnId).Properties!.Environment.Variables;
}

const staffRoutes = ROUTES.filter(isStaffRoute);
const publicRoutes = ROUTES.filter((r) => !isStaffRoute(r));

describe("the staff user pool", () => {
  it("signs in by email, has no self sign-up, a strong password policy and TOTP as a required second factor", () => {
    const p = pool(test)[1].Properties!;
    expect(p.UsernameAttributes).toEqual(["email"]);
    expect(p.AdminCreateUserConfig.AllowAdminCreateUserOnly).toBe(true);
    expect(p.Policies.PasswordPolicy).toMatchObject({ RequireLowercase: true, RequireUppercase: true, RequireNumbers: true, RequireSymbols: true });
    expect(p.Policies.PasswordPolicy.MinimumLength).toBeGreaterThanOrEqual(12);
    expect(p.MfaConfiguration).toBe("ON");
    expect(p.EnabledMfas).toEqual(["SOFTWARE_TOKEN_MFA"]);
    expect(p.AccountRecoverySetting).toEqual({ RecoveryMechanisms: [{ Name: "verified_email", Priority: 1 }] });
  });

  it("has the staff group", () => {
    const [, group] = only(resources(test.Auth, "AWS::Cognito::UserPoolGroup").filter(([, g]) => g.Properties!.GroupName === "staff"), "one staff group");
    expect(group.Properties!.GroupName).toBe("staff");
    expect(group.Properties!.UserPoolId).toEqual({ Ref: poolId() });
  });

  it("has the publisher group beside it, and no other", () => {
    const groups = resources(test.Auth, "AWS::Cognito::UserPoolGroup");
    expect(groups.map(([, g]) => g.Properties!.GroupName).sort()).toEqual(["publisher", "staff"]);
    const [, publisher] = only(groups.filter(([, g]) => g.Properties!.GroupName === "publisher"), "one publisher group");
    expect(publisher.Properties!.UserPoolId).toEqual({ Ref: poolId() });
    expect(publisher.Properties!.Description).toMatch(/approve/);
  });

  it("has a Hosted UI domain named after the app and stage", () => {
    const [, domain] = only(resources(test.Auth, "AWS::Cognito::UserPoolDomain"), "one domain");
    expect(domain.Properties!.Domain).toBe("mission-mail-test");
    expect(domain.Properties!.UserPoolId).toEqual({ Ref: poolId() });
  });

  it("is destroyed with a non-production stage", () => {
    expect(pool(test)[1].DeletionPolicy).toBe("Delete");
    expect(pool(test)[1].Properties!.DeletionProtection).toBe("INACTIVE");
  });

  it("is retained and protected from deletion on prod", () => {
    const [, p] = pool(prod);
    expect(p.DeletionPolicy).toBe("Retain");
    expect(p.Properties!.DeletionProtection).toBe("ACTIVE");
  });
});

describe("the staff console's app client", () => {
  it("is a public client (no secret) on the authorization-code grant only, for PKCE through the Hosted UI", () => {
    const c = client()[1].Properties!;
    expect(c.GenerateSecret ?? false).toBe(false);
    expect(c.AllowedOAuthFlows).toEqual(["code"]);
    expect(c.AllowedOAuthFlowsUserPoolClient).toBe(true);
    expect(c.SupportedIdentityProviders).toEqual(["COGNITO"]);
    expect([...c.AllowedOAuthScopes].sort()).toEqual(["email", "openid", "profile"]);
    expect(c.PreventUserExistenceErrors).toBe("ENABLED");
    expect(JSON.stringify(c.UserPoolId)).toMatch(new RegExp(`ExportsOutputRef${poolId()}`));
  });

  it("calls back to /staff/callback and signs out to /staff under the public URL (the API's URL by default)", () => {
    const c = client()[1].Properties!;
    const httpApiId = only(Object.keys(test.Api.findResources("AWS::ApiGatewayV2::Api")), "one HTTP API");
    expect(c.CallbackURLs).toHaveLength(1);
    expect(JSON.stringify(c.CallbackURLs[0])).toContain(httpApiId);
    expect(JSON.stringify(c.CallbackURLs[0])).toMatch(/"\/staff\/callback"\]/);
    expect(c.LogoutURLs).toHaveLength(1);
    expect(JSON.stringify(c.LogoutURLs[0])).toMatch(/"\/staff"\]/);
  });
});

describe("the HTTP API's staff authorizer", () => {
  it("is a JWT authorizer for the pool's issuer with the console client as audience", () => {
    const [, a] = authorizer();
    expect(a.Properties!.AuthorizerType).toBe("JWT");
    expect(a.Properties!.IdentitySource).toEqual(["$request.header.Authorization"]);
    expect(isIssuer(a.Properties!.JwtConfiguration.Issuer)).toBe(true);
    expect(a.Properties!.JwtConfiguration.Audience).toEqual([{ Ref: client()[0] }]);
  });

  it("covers the staff routes, and staff routes are exactly those under /api/staff/", () => {
    expect(staffRoutes.length).toBeGreaterThanOrEqual(3);
    expect(staffRoutes.map((r) => r.path)).toEqual(ROUTES.map((r) => r.path).filter((p) => p.startsWith("/api/staff/")));
  });

  it.each(staffRoutes.map((r) => [`${r.method} ${r.path}`, r] as const))("guards %s", (_key, route) => {
    const r = routeOf(route).Properties!;
    expect(r.AuthorizationType).toBe("JWT");
    expect(r.AuthorizerId).toEqual({ Ref: authorizer()[0] });
  });

  it.each(publicRoutes.map((r) => [`${r.method} ${r.path}`, r] as const))("leaves %s public", (_key, route) => {
    const r = routeOf(route).Properties!;
    expect(r.AuthorizationType ?? "NONE").toBe("NONE");
    expect(r.AuthorizerId).toBeUndefined();
  });
});

describe("the staff console's page", () => {
  const pages = ROUTES.filter((r) => r.staffConsole);

  it("is /staff and the Hosted UI's callback, both public, served by the staff function", () => {
    expect(pages.map((r) => `${r.method} ${r.path}`)).toEqual(["GET /staff", "GET /staff/callback"]);
    for (const route of pages) {
      expect(routeOf(route).Properties!.AuthorizationType ?? "NONE").toBe("NONE");
      expect(route.audience).toBe("staff");
    }
  });

  it.each(pages.map((r) => [r.path, r] as const))("%s gets the console's client id and the Hosted UI (public values, nothing secret)", (_path, route) => {
    const env = functionEnv(route);
    expect(env.STAFF_CLIENT_ID).toEqual({ Ref: client()[0] });
    const domain = JSON.stringify(env.STAFF_AUTH_DOMAIN);
    expect(domain).toContain("https://");
    expect(domain).toContain(".auth.eu-north-1.amazoncognito.com");
    const [domainId] = only(resources(test.Auth, "AWS::Cognito::UserPoolDomain"), "one domain");
    expect(domain).toMatch(new RegExp(`ExportsOutputRef${domainId}`));
  });
});

describe("staff sign-in configuration of the functions", () => {
  it.each(staffRoutes.map((r) => [`${r.method} ${r.path}`, r] as const))("%s knows the issuer and the console's client id", (_key, route) => {
    const env = functionEnv(route);
    expect(isIssuer(env.STAFF_ISSUER)).toBe(true);
    expect(env.STAFF_CLIENT_ID).toEqual({ Ref: client()[0] });
  });

  it("the other audiences' functions get none of it, and no function gets a static key or the local shortcut", () => {
    for (const route of ROUTES.filter((r) => r.audience !== "staff")) {
      const env = functionEnv(route);
      expect(env.STAFF_ISSUER, route.path).toBeUndefined();
      expect(env.STAFF_CLIENT_ID, route.path).toBeUndefined();
      expect(env.STAFF_AUTH_DOMAIN, route.path).toBeUndefined();
    }
    for (const route of ROUTES) {
      const names = Object.keys(functionEnv(route));
      expect(names.filter((n) => n === "STAFF_PUBLIC_JWK" || n === "STAFF_TOKEN" || n === "STAFF_JWKS_URL"), route.path).toEqual([]);
    }
  });
});
