import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadSstSecrets } from "../../packages/functions/src/wiring/secrets";

/**
 * The secrets loader against a stand-in for SSM's GetParameters (JSON 1.1), reached through the
 * SDK's own endpoint setting: the stage's parameters first, the app-wide fallback for the rest.
 */
describe("loading a function's SST secrets from SSM", () => {
  const parameters = new Map<string, string>();
  const asked: string[][] = [];
  let server: Server;
  const saved: Record<string, string | undefined> = {};
  const sdkEnv = { AWS_ENDPOINT_URL_SSM: "", AWS_ACCESS_KEY_ID: "local", AWS_SECRET_ACCESS_KEY: "local", AWS_REGION: "eu-north-1" };

  beforeAll(async () => {
    server = createServer((req, res) => {
      let raw = "";
      req.on("data", (d) => (raw += d));
      req.on("end", () => {
        const target = req.headers["x-amz-target"];
        const names = (JSON.parse(raw) as { Names: string[] }).Names;
        if (target !== "AmazonSSM.GetParameters") return res.writeHead(400).end();
        asked.push(names);
        const found = names.filter((n) => parameters.has(n));
        res.writeHead(200, { "content-type": "application/x-amz-json-1.1" });
        res.end(JSON.stringify({ Parameters: found.map((n) => ({ Name: n, Value: parameters.get(n), Type: "SecureString" })), InvalidParameters: names.filter((n) => !parameters.has(n)) }));
      });
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
    sdkEnv.AWS_ENDPOINT_URL_SSM = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    for (const [k, v] of Object.entries(sdkEnv)) (saved[k] = process.env[k]), (process.env[k] = v);
  });
  afterAll(async () => {
    for (const [k, v] of Object.entries(saved)) (v === undefined ? delete process.env[k] : (process.env[k] = v));
    await new Promise((r) => server.close(r));
  });

  const bound = (...names: string[]) => ({ SST_SSM_PREFIX: "/sst/mission-mail/test/", SST_APP: "mission-mail", SST_STAGE: "test", ...Object.fromEntries(names.map((n) => [`SST_Secret_value_${n}`, "__FETCH_FROM_SSM__"])) }) as NodeJS.ProcessEnv;

  it("puts the stage's values into the environment, and the app-wide fallback's where the stage has none", async () => {
    parameters.clear();
    asked.length = 0;
    parameters.set("/sst/mission-mail/test/Secret/TOKEN_KEYS/value", "stage-token-keys");
    parameters.set("/sst/mission-mail/.fallback/Secret/ADDRESS_PEPPER/value", "fallback-pepper");
    const env = bound("TOKEN_KEYS", "ADDRESS_PEPPER");
    await loadSstSecrets(env);
    expect(env.TOKEN_KEYS).toBe("stage-token-keys");
    expect(env.ADDRESS_PEPPER).toBe("fallback-pepper");
    expect(asked).toEqual([
      ["/sst/mission-mail/test/Secret/TOKEN_KEYS/value", "/sst/mission-mail/test/Secret/ADDRESS_PEPPER/value"],
      ["/sst/mission-mail/.fallback/Secret/ADDRESS_PEPPER/value"],
    ]);
  });

  it("names the secrets set nowhere", async () => {
    parameters.clear();
    await expect(loadSstSecrets(bound("WEBHOOK_SECRET"))).rejects.toThrow(/Secrets not set for stage "test": WEBHOOK_SECRET/);
  });

  it("asks SSM nothing when no secret is bound, or the bound ones are already set", async () => {
    asked.length = 0;
    await loadSstSecrets({});
    await loadSstSecrets({ ...bound("IP_SALT"), IP_SALT: "already-here" });
    expect(asked).toEqual([]);
  });
});
