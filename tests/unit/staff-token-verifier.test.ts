import { createHmac } from "node:crypto";
import { createServer, type Server } from "node:http";
import { SignJWT, createLocalJWKSet, exportJWK, exportSPKI, generateKeyPair, type CryptoKey, type JWK } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { JwtStaffVerifier, localStaffVerifier, remoteStaffVerifier, staffVerifierFromConfig } from "../../packages/core/src/staff/jwt-staff-verifier";
import { InvalidStaffToken, identityFromClaims, isStaff, parseGroups } from "../../packages/core/src/staff/identity";
import { LOCAL_STAFF_CLIENT_ID, LOCAL_STAFF_ISSUER, generateStaffSigningKey, publicStaffKey, signStaffToken } from "../../packages/local/src/staff-issuer";

const ISSUER = "https://cognito-idp.eu-north-1.amazonaws.com/eu-north-1_TestPool";
const CLIENT = "console-client-id";
const NOW = () => Math.floor(Date.now() / 1000);
const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");

let rsa: { privateKey: CryptoKey; publicKey: CryptoKey; publicJwk: JWK };
let verifier: JwtStaffVerifier;

beforeAll(async () => {
  const pair = await generateKeyPair("RS256", { extractable: true });
  rsa = { ...pair, publicJwk: { ...(await exportJWK(pair.publicKey)), kid: "cognito-key-1", alg: "RS256", use: "sig" } };
  verifier = new JwtStaffVerifier({ keys: createLocalJWKSet({ keys: [rsa.publicJwk] }), issuer: ISSUER, clientId: CLIENT });
});

/** A Cognito-shaped token: an access token unless the claims say otherwise. */
function cognitoToken(claims: Record<string, unknown> = {}, options: { kid?: string; key?: CryptoKey } = {}) {
  const now = NOW();
  return new SignJWT({ token_use: "access", client_id: CLIENT, "cognito:groups": ["staff"], username: "u-1", ...claims })
    .setProtectedHeader({ alg: "RS256", kid: options.kid ?? "cognito-key-1" })
    .setIssuer(typeof claims.iss === "string" ? claims.iss : ISSUER)
    .setSubject("0f1e2d3c-staff")
    .setIssuedAt(typeof claims.iat === "number" ? claims.iat : now)
    .setExpirationTime(typeof claims.exp === "number" ? claims.exp : now + 3600)
    .sign(options.key ?? rsa.privateKey);
}

const refused = async (token: string | Promise<string>, message: RegExp) => {
  const err = await verifier.verify(await token).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(InvalidStaffToken);
  expect((err as Error).message).toMatch(message);
};

describe("the staff token verifier", () => {
  it("accepts a good access token and names the identity", async () => {
    expect(await verifier.verify(await cognitoToken())).toEqual({ sub: "0f1e2d3c-staff", groups: ["staff"] });
  });

  it("accepts a good ID token, whose audience is aud, with the address", async () => {
    const token = await cognitoToken({ token_use: "id", client_id: undefined, aud: CLIENT, email: "anna@example.org", "cognito:groups": ["staff", "editors"] });
    expect(await verifier.verify(token)).toEqual({ sub: "0f1e2d3c-staff", email: "anna@example.org", groups: ["staff", "editors"] });
  });

  it('refuses alg "none"', async () => {
    const now = NOW();
    const unsigned = `${b64({ alg: "none", typ: "JWT" })}.${b64({ iss: ISSUER, sub: "x", token_use: "access", client_id: CLIENT, iat: now, exp: now + 600, "cognito:groups": ["staff"] })}.`;
    await refused(unsigned, /algorithm/);
  });

  it("refuses HS256 signed with the public key as the secret (algorithm confusion)", async () => {
    const now = NOW();
    const header = b64({ alg: "HS256", typ: "JWT", kid: "cognito-key-1" });
    const payload = b64({ iss: ISSUER, sub: "attacker", token_use: "access", client_id: CLIENT, iat: now, exp: now + 600, "cognito:groups": ["staff"] });
    for (const secret of [await exportSPKI(rsa.publicKey), JSON.stringify(rsa.publicJwk)]) {
      const signature = createHmac("sha256", secret).update(`${header}.${payload}`).digest("base64url");
      await refused(`${header}.${payload}.${signature}`, /algorithm/);
    }
  });

  it("refuses a token whose payload was changed after signing", async () => {
    const [header, payload, signature] = (await cognitoToken({ "cognito:groups": ["editors"] })).split(".");
    const claims = JSON.parse(Buffer.from(payload!, "base64url").toString());
    const tampered = b64({ ...claims, "cognito:groups": ["staff"] });
    await refused(`${header}.${tampered}.${signature}`, /signature/);
  });

  it("refuses a token signed by a key it does not know", async () => {
    const other = await generateKeyPair("RS256");
    await refused(cognitoToken({}, { key: other.privateKey }), /signature|key/);
    await refused(cognitoToken({}, { key: other.privateKey, kid: "someone-else" }), /key this service does not know/);
  });

  it("refuses an expired token, allowing 30 seconds of clock skew", async () => {
    const now = NOW();
    await refused(cognitoToken({ iat: now - 7200, exp: now - 120 }), /expired/);
    expect((await verifier.verify(await cognitoToken({ iat: now - 3600, exp: now - 10 }))).sub).toBe("0f1e2d3c-staff");
  });

  it("refuses a token that is not valid yet (nbf in the future), allowing the same skew", async () => {
    const now = NOW();
    await refused(cognitoToken({ nbf: now + 300 }), /not valid yet/);
    expect((await verifier.verify(await cognitoToken({ nbf: now + 10 }))).sub).toBe("0f1e2d3c-staff");
  });

  it("refuses a token older than a day, whatever its exp says", async () => {
    const now = NOW();
    await refused(cognitoToken({ iat: now - 25 * 3600, exp: now + 3600 }), /expired/);
  });

  it("refuses another issuer", async () => {
    await refused(cognitoToken({ iss: "https://cognito-idp.eu-north-1.amazonaws.com/eu-north-1_OtherPool" }), /issuer/);
  });

  it("refuses another client or audience, checked per token type", async () => {
    await refused(cognitoToken({ client_id: "other-client" }), /another client/);
    // An access token is judged by client_id: an aud naming our client does not help.
    await refused(cognitoToken({ client_id: "other-client", aud: CLIENT }), /another client/);
    await refused(cognitoToken({ token_use: "id", client_id: undefined, aud: "other-client" }), /another audience/);
    await refused(cognitoToken({ token_use: "id", client_id: CLIENT }), /another audience/);
  });

  it("refuses tokens that are neither access nor ID tokens", async () => {
    await refused(cognitoToken({ token_use: "refresh" }), /token_use/);
    await refused(cognitoToken({ token_use: undefined }), /"token_use"/);
  });

  it("refuses something that is not a JWT", async () => {
    await refused("not-a-jwt", /well-formed/);
    await refused("a.b.c", /well-formed/);
  });

  it("answers no groups for a token without cognito:groups; such an identity is not staff", async () => {
    const identity = await verifier.verify(await cognitoToken({ "cognito:groups": undefined }));
    expect(identity.groups).toEqual([]);
    expect(isStaff(identity)).toBe(false);
  });
});

describe("groups and identity from claims", () => {
  it('parses the JWT authorizer\'s bracketed string, "[staff editors]"', () => {
    expect(parseGroups("[staff editors]")).toEqual(["staff", "editors"]);
    expect(parseGroups("[staff]")).toEqual(["staff"]);
    expect(parseGroups("[]")).toEqual([]);
    expect(parseGroups("[ staff   editors ]")).toEqual(["staff", "editors"]);
  });

  it("takes arrays as they are and ignores what is not a group", () => {
    expect(parseGroups(["staff", "editors"])).toEqual(["staff", "editors"]);
    expect(parseGroups(["staff", 3, ""])).toEqual(["staff"]);
    expect(parseGroups('["staff","editors"]')).toEqual(["staff", "editors"]);
    expect(parseGroups(undefined)).toEqual([]);
    expect(parseGroups(42)).toEqual([]);
  });

  it("does not mistake a group that merely contains the word for staff", () => {
    expect(isStaff({ sub: "s", groups: parseGroups("[staff-readers notstaff]") })).toBe(false);
    expect(isStaff({ sub: "s", groups: parseGroups("[editors staff]") })).toBe(true);
  });

  it("reads an identity from the authorizer's claims, where every value is a string", () => {
    expect(identityFromClaims({ sub: "abc", email: "anna@example.org", "cognito:groups": "[staff editors]", token_use: "id" })).toEqual({
      sub: "abc",
      email: "anna@example.org",
      groups: ["staff", "editors"],
    });
    expect(() => identityFromClaims({ "cognito:groups": "[staff]" })).toThrow(InvalidStaffToken);
  });
});

describe("the local issuer", () => {
  const key = generateStaffSigningKey();
  const local = localStaffVerifier({ issuer: LOCAL_STAFF_ISSUER, clientId: LOCAL_STAFF_CLIENT_ID, publicJwk: JSON.parse(publicStaffKey(key)) });

  it("signs ES256 tokens for any identity and groups that the local verifier accepts", async () => {
    const token = await signStaffToken(key, { email: "a@example.org", groups: ["staff", "editors"] });
    expect(JSON.parse(Buffer.from(token.split(".")[0]!, "base64url").toString()).alg).toBe("ES256");
    const identity = await local.verify(token);
    expect(identity).toMatchObject({ email: "a@example.org", groups: ["staff", "editors"] });
    expect(identity.sub).toMatch(/^local-[0-9a-f]{24}$/);
    expect((await local.verify(await signStaffToken(key, { email: "A@Example.org", groups: [] }))).sub).toBe(identity.sub);
  });

  it("hands out only the public half", () => {
    const pub = JSON.parse(publicStaffKey(key));
    expect(pub.d).toBeUndefined();
    expect(pub).toMatchObject({ kty: "EC", crv: "P-256", alg: "ES256" });
  });

  it("is not trusted by a verifier for another key, and Cognito's verifier refuses its tokens", async () => {
    const token = await signStaffToken(generateStaffSigningKey(), { email: "a@example.org", groups: ["staff"] });
    await expect(local.verify(token)).rejects.toThrow(InvalidStaffToken);
    await expect(verifier.verify(await signStaffToken(key, { email: "a@example.org", groups: ["staff"] }))).rejects.toThrow(InvalidStaffToken);
  });

  it("refuses lifetimes beyond a day", async () => {
    await expect(signStaffToken(key, { email: "a@example.org", groups: [], lifetimeSeconds: 25 * 3600 })).rejects.toThrow(/24 hours/);
  });

  it("is honoured only in local mode: elsewhere the configuration means the issuer's JWKS", async () => {
    const cfg = { STAFF_ISSUER: LOCAL_STAFF_ISSUER, STAFF_CLIENT_ID: LOCAL_STAFF_CLIENT_ID, STAFF_PUBLIC_JWK: publicStaffKey(key) };
    const token = await signStaffToken(key, { email: "a@example.org", groups: ["staff"] });
    expect((await staffVerifierFromConfig({ MODE: "local", ...cfg })!.verify(token)).email).toBe("a@example.org");
    // In AWS mode the static key is ignored: the verifier looks for a JWKS at the issuer (here not even a URL).
    const aws = staffVerifierFromConfig({ MODE: "aws", ...cfg, STAFF_ISSUER: ISSUER, STAFF_JWKS_URL: "http://127.0.0.1:9/jwks.json" })!;
    await expect(aws.verify(token)).rejects.not.toBeInstanceOf(InvalidStaffToken);
    expect(staffVerifierFromConfig({ MODE: "aws" })).toBeUndefined();
  });
});

describe("the remote JWKS (Cognito's)", () => {
  let server: Server;
  let url: string;
  let fetches = 0;
  beforeAll(async () => {
    server = createServer((_req, res) => {
      fetches++;
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ keys: [rsa.publicJwk] }));
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
    url = `http://127.0.0.1:${(server.address() as { port: number }).port}/eu-north-1_TestPool/.well-known/jwks.json`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it("fetches the key set once and reuses it for later tokens and later verifiers", async () => {
    const remote = remoteStaffVerifier({ issuer: ISSUER, clientId: CLIENT, jwksUrl: url });
    expect((await remote.verify(await cognitoToken())).groups).toEqual(["staff"]);
    expect((await remote.verify(await cognitoToken())).groups).toEqual(["staff"]);
    expect((await remoteStaffVerifier({ issuer: ISSUER, clientId: CLIENT, jwksUrl: url }).verify(await cognitoToken())).sub).toBe("0f1e2d3c-staff");
    expect(fetches).toBe(1);
  });

  it("reports an unreachable key set as an outage, not as a bad token", async () => {
    const remote = remoteStaffVerifier({ issuer: ISSUER, clientId: CLIENT, jwksUrl: "http://127.0.0.1:9/.well-known/jwks.json" });
    const err = await remote.verify(await cognitoToken()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Error);
    expect(err).not.toBeInstanceOf(InvalidStaffToken);
  });
});
