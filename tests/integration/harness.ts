import { randomBytes } from "node:crypto";
import { signWebhook } from "../../packages/functions/src/lib/webhook-signature";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient, QueryCommand, ScanCommand } from "@aws-sdk/lib-dynamodb";
import { inject } from "vitest";
import { startLocalCloud, type LocalCloud, type LocalCloudOptions } from "../../packages/local/src/cloud";
import { freePort } from "../../packages/local/src/ports";
import { generateStaffSigningKey } from "../../packages/local/src/staff-issuer";

export interface StoredEmail {
  messageId: string;
  from: string;
  /** The Reply-To addresses the mailbox recorded (SES v2 ReplyToAddresses). */
  replyTo: string[];
  destination: { to: string[] };
  subject: string;
  body: { html?: string; text?: string };
  headers?: { name: string; value: string }[];
  at: number;
}

/** A running local cloud for one test file, with helpers to call it as a client would. */
export interface Harness {
  cloud: LocalCloud;
  doc: DynamoDBDocumentClient;
  request(method: string, path: string, init?: { json?: unknown; body?: string; headers?: Record<string, string> }): Promise<{ status: number; headers: Headers; body: any; text: string }>;
  mailbox(): Promise<StoredEmail[]>;
  mailTo(address: string): Promise<StoredEmail[]>;
  /** Waits until the sign-up queue, then the send queue, have nothing left to do (sign-ups are decided, their mail sent). */
  drain(): Promise<void>;
  /** Waits until the bus, the plan queue and the send queue are all quiet. */
  idle(): Promise<void>;
  /** Posts a content event to the signed webhook, as a CMS would. */
  publish(event: unknown): Promise<{ status: number; body: any }>;
  /** Signs up, confirms, and answers the new active subscriber's address. */
  subscribe(overrides?: Record<string, unknown>): Promise<string>;
  /** Every item in this file's table (test-only inspection; the product never scans). */
  allItems(): Promise<Record<string, unknown>[]>;
  partition(pk: string): Promise<Record<string, unknown>[]>;
  stop(): Promise<void>;
}

export const TEST_SECRETS = {
  TOKEN_KEYS: "test-token-key-current-000000,test-token-key-previous-00000",
  ADDRESS_PEPPER: "test-address-pepper-0000000",
  IP_SALT: "test-ip-salt-000000000000000",
  WEBHOOK_SECRET: "test-webhook-secret-000000000",
  STAFF_TOKEN: "test-staff-token-00000000000",
  /** The local staff issuer's key, new for each run; sign with `signStaffToken` from packages/local/src/staff-issuer.ts. */
  STAFF_SIGNING_KEY: generateStaffSigningKey(),
};

export async function startHarness(
  env: Record<string, string> = {},
  options: Pick<LocalCloudOptions, "sesEndpoint" | "delayScale" | "dynamodbEndpoint" | "wiring"> = {},
): Promise<Harness> {
  const tableName = `t-${randomBytes(6).toString("hex")}`;
  const cloud = await startLocalCloud({
    httpPort: await freePort(),
    mailboxPort: await freePort(),
    dynamodbEndpoint: inject("dynamodbEndpoint"),
    tableName,
    secrets: TEST_SECRETS,
    env,
    retryDelayMs: 50,
    ...options,
  });
  const doc = DynamoDBDocumentClient.from(
    new DynamoDBClient({ endpoint: cloud.urls.dynamodb, region: "eu-north-1", credentials: { accessKeyId: "local", secretAccessKey: "local" } }),
  );
  const mailbox = async (): Promise<StoredEmail[]> => {
    const res = await fetch(`${cloud.urls.mailbox}/store`);
    return ((await res.json()) as { emails: StoredEmail[] }).emails;
  };
  const h: Harness = {
    cloud,
    doc,
    async request(method, path, init = {}) {
      const res = await fetch(`${cloud.urls.site}${path}`, {
        method,
        headers: { ...(init.json !== undefined ? { "content-type": "application/json" } : {}), ...init.headers },
        ...(init.json !== undefined ? { body: JSON.stringify(init.json) } : init.body !== undefined ? { body: init.body } : {}),
        redirect: "manual",
      });
      const text = await res.text();
      let body: unknown = text;
      try {
        body = JSON.parse(text);
      } catch {
        /* not JSON */
      }
      return { status: res.status, headers: res.headers, body, text };
    },
    mailbox,
    mailTo: async (address) => (await mailbox()).filter((e) => e.destination.to.includes(address)),
    drain: async () => {
      await cloud.signUpQueue.idle();
      await cloud.sendQueue.idle();
    },
    idle: () => cloud.idle(),
    async publish(event) {
      const body = JSON.stringify(event);
      return h.request("POST", "/webhooks/content", { body, headers: { "content-type": "application/json", ...signWebhook(body, TEST_SECRETS.WEBHOOK_SECRET, Date.now()) } });
    },
    async subscribe(overrides = {}) {
      const body = signUp(overrides);
      const res = await h.request("POST", "/api/subscriptions", { json: body });
      if (res.status !== 202) throw new Error(`sign-up refused: ${res.text}`);
      await h.drain();
      const mail = (await h.mailTo(body.email)).filter((m) => /confirm/i.test(m.body.text ?? "") && m.body.text?.includes("/confirm?token=")).at(-1);
      if (!mail) throw new Error("no confirmation email");
      const confirmed = await h.request("POST", "/api/subscriptions/confirm", { json: { token: linkToken(mail, "/confirm") } });
      if (confirmed.status !== 200) throw new Error(`confirm refused: ${confirmed.text}`);
      // The welcome the confirmation queued is in the mailbox before the test goes on.
      await h.drain();
      return body.email as string;
    },
    allItems: async () => (await doc.send(new ScanCommand({ TableName: tableName }))).Items ?? [],
    partition: async (pk) =>
      (await doc.send(new QueryCommand({ TableName: tableName, KeyConditionExpression: "PK = :pk", ExpressionAttributeValues: { ":pk": pk } }))).Items ?? [],
    stop: () => cloud.stop(),
  };
  return h;
}

/** A valid sign-up body; override any field. */
export function signUp(overrides: Record<string, unknown> = {}) {
  return {
    email: `person-${randomBytes(4).toString("hex")}@example.org`,
    language: "en",
    missions: ["food-system"],
    topics: ["seminar", "publication"],
    cadence: "weekly",
    consent: { newsletter: true, policyVersion: "2026-11", cookies: { functional: true, statistics: false } },
    ...overrides,
  };
}

/** Whether an email is about the subscription itself (confirmation, welcome), not content. */
export const isSubscriptionMail = (email: Pick<StoredEmail, "subject">): boolean => /confirm|bekräfta|welcome|välkommen/i.test(email.subject);

/** The token in the first link to `path` in an email body. */
export function linkToken(email: StoredEmail, path: string): string {
  const match = new RegExp(`${path}\\?token=([A-Za-z0-9_.-]+)`).exec(email.body.text ?? "");
  if (!match) throw new Error(`No ${path} link in email "${email.subject}"`);
  return match[1]!;
}
