import { randomBytes } from "node:crypto";
import { Agent as HttpAgent, createServer, request as httpRequest, type IncomingHttpHeaders, type IncomingMessage, type OutgoingHttpHeaders, type ServerResponse } from "node:http";
import { Agent as HttpsAgent, request as httpsRequest } from "node:https";

/** Request paths of the SES v2 REST operations the sink emulates, as the AWS SDK v3 serializes them. */
export const SES_SINK_ROUTES = { sendEmail: "/v2/email/outbound-emails", sendBulkEmail: "/v2/email/outbound-bulk-emails" } as const;

/** How the sink listens, what quota it enforces, which faults it injects and where it forwards. */
export interface SesSinkOptions {
  /** Port to listen on (127.0.0.1); 0 or absent picks a free one. */
  port?: number;
  /** Sending-rate quota in recipients per second, with a burst of at most one second's worth (as SES). */
  maxPerSecond?: number;
  /** Fraction (0–1) of send calls answered 429 TooManyRequestsException before anything is accepted. */
  throttleFraction?: number;
  /** Fraction (0–1) of send calls answered with a server error before anything is accepted. */
  failFraction?: number;
  /** Status of injected server errors: 500 InternalFailure (default) or 503 ServiceUnavailable. */
  failStatus?: 500 | 503;
  /**
   * Base URL of another SES v2 endpoint to pass accepted sends (and all other requests) on to. A
   * partly throttled bulk call is passed on with only its admitted entries, so its body differs from
   * what the client signed: fine for the mailbox emulator, not for an endpoint that checks signatures.
   */
  forwardTo?: string;
  /** Source of randomness for fault injection, so tests can make it deterministic. */
  random?: () => number;
  /** Clock in epoch ms for the rate window and histogram, so tests can control time. */
  now?: () => number;
}

/** Per-call tallies of what the sink answered, so tests can check how a client reacted to faults. */
export interface SesSinkCalls {
  /** SendEmail calls received, including throttled and failed ones. */
  sendEmail: number;
  /** SendBulkEmail calls received, including throttled and failed ones. */
  bulk: number;
  /** Calls answered 429 as a whole (rate quota or injected). */
  throttled: number;
  /** Calls answered with an injected server error. */
  failed: number;
  /** Bulk entries answered ACCOUNT_THROTTLED inside a 200 response. */
  throttledEntries: number;
  /** Calls answered 400 because the body was not a valid request. */
  rejected: number;
  /** Send calls the SDK marked as a retry (its `amz-sdk-request` header says attempt > 1). */
  retried: number;
  /** Calls answered 502 because the forward target could not be reached. */
  forwardErrors: number;
}

/** A running sink: its endpoint, what it delivered, and controls for tests. */
export interface SesSink {
  /** Endpoint to give an SESv2Client. */
  url: string;
  /** Deliveries per recipient address (a copy). With `forwardTo`, only sends the target accepted. */
  counts(): Map<string, number>;
  /** Total deliveries over all recipients. */
  total(): number;
  /** Per recipient, the configuration set each delivery named ("" for none), in order. */
  configurationSets(): Map<string, string[]>;
  /** A snapshot of the per-call tallies. */
  calls(): SesSinkCalls;
  /**
   * Recipients admitted per wall-clock second (epoch seconds → recipients), for measuring the send
   * rate a client achieved. Counts admission by the rate quota, before any forwarding.
   */
  acceptedPerSecond(): Map<number, number>;
  /** Clears counts, tallies, the histogram and the rate window. */
  reset(): void;
  /** Stops listening and drops open keep-alive connections. */
  close(): Promise<void>;
}

interface Destination {
  ToAddresses?: unknown;
  CcAddresses?: unknown;
  BccAddresses?: unknown;
}

interface Reply {
  status: number;
  headers: OutgoingHttpHeaders;
  body: string | Buffer;
}

const RATE_MESSAGE = "Maximum sending rate exceeded.";
const HOP_BY_HOP = new Set(["connection", "keep-alive", "transfer-encoding", "upgrade", "proxy-connection", "te", "trailer", "expect", "host", "content-length"]);

/**
 * The sending-rate quota as SES describes it: "the maximum number of recipients that Amazon SES can
 * accept from your account per second. You can exceed this quota for short bursts, but not for a
 * sustained period of time." A token bucket refilled at the limit per second, holding at most one
 * second's worth: a sender above the limit is throttled as soon as the burst is spent, and a sender at
 * the limit whose calls arrive with some jitter is not. A single send with more recipients than the
 * bucket holds is admitted only into a full bucket, or it could never go out.
 */
class RateBucket {
  private tokens: number;
  private updatedAt: number | undefined;

  constructor(private readonly limit: number) {
    this.tokens = limit;
  }

  tryAdmit(n: number, now: number): boolean {
    if (this.updatedAt !== undefined) this.tokens = Math.min(this.limit, this.tokens + ((now - this.updatedAt) * this.limit) / 1000);
    this.updatedAt = now;
    if (n > this.tokens && !(n > this.limit && this.tokens >= this.limit)) return false;
    this.tokens -= n;
    return true;
  }

  clear(): void {
    this.tokens = this.limit;
    this.updatedAt = undefined;
  }
}

function recipientsOf(destination: unknown): string[] | undefined {
  if (destination === undefined) return [];
  if (typeof destination !== "object" || destination === null) return undefined;
  const out: string[] = [];
  for (const key of ["ToAddresses", "CcAddresses", "BccAddresses"] as const) {
    const list = (destination as Destination)[key];
    if (list === undefined) continue;
    if (!Array.isArray(list) || !list.every((a) => typeof a === "string")) return undefined;
    out.push(...(list as string[]));
  }
  return out;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

function json(status: number, body: unknown, requestId: string, errorType?: string): Reply {
  const headers: OutgoingHttpHeaders = { "content-type": "application/json", "x-amzn-requestid": requestId };
  if (errorType) headers["x-amzn-errortype"] = errorType;
  return { status, headers, body: JSON.stringify(body) };
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function sdkAttempt(headers: IncomingHttpHeaders): number {
  const value = headers["amz-sdk-request"];
  const match = typeof value === "string" ? /attempt=(\d+)/.exec(value) : null;
  return match ? Number(match[1]) : 1;
}

/**
 * Starts a lightweight SES v2 endpoint that an SESv2Client can send through (SendEmail and
 * SendBulkEmail). It keeps per-recipient counts only, never message bodies, so benchmarks can send to
 * 100,000 recipients, and it injects faults the mailbox emulator cannot: quota throttling, random
 * 429s and server errors. With `forwardTo` it sits in front of another SES endpoint (the mailbox
 * emulator) as a fault layer, passing accepted sends through so their mail can still be read there.
 *
 * Behaviour, modelled on real SES as far as it is documented or observed:
 * - The sending rate counts recipients (To, Cc and Bcc), not calls.
 * - SendEmail over the rate: HTTP 429, TooManyRequestsException, "Maximum sending rate exceeded.".
 * - SendBulkEmail over the rate: HTTP 200 with per-entry results. Entries are admitted in order
 *   while they fit; from the first that does not, every entry gets ACCOUNT_THROTTLED (even when
 *   none fit). Only the injected `throttleFraction` rejects a bulk call as a whole with a 429.
 * - Injected faults happen before anything is admitted, so nothing is counted for those calls.
 * - The AWS SDK retries 429 and 500/502/503/504 on its own (three attempts by default), and each
 *   attempt reaches the sink as a separate call; use `maxAttempts: 1` to see every fault. The SDK never
 *   retries ACCOUNT_THROTTLED entries: callers must resend those.
 */
export async function startSesSink(options: SesSinkOptions = {}): Promise<SesSink> {
  const random = options.random ?? Math.random;
  const now = options.now ?? Date.now;
  const throttleFraction = options.throttleFraction ?? 0;
  const failFraction = options.failFraction ?? 0;
  const failStatus = options.failStatus ?? 500;
  for (const [name, value] of [["throttleFraction", throttleFraction], ["failFraction", failFraction]] as const) {
    if (!(value >= 0 && value <= 1)) throw new Error(`${name} must be between 0 and 1, got ${value}.`);
  }
  if (options.maxPerSecond !== undefined && !(options.maxPerSecond > 0)) throw new Error(`maxPerSecond must be positive, got ${options.maxPerSecond}.`);
  const window = options.maxPerSecond !== undefined ? new RateBucket(options.maxPerSecond) : undefined;
  const target = options.forwardTo ? new URL(options.forwardTo) : undefined;
  const agent = target ? (target.protocol === "https:" ? new HttpsAgent({ keepAlive: true }) : new HttpAgent({ keepAlive: true })) : undefined;

  let counts = new Map<string, number>();
  let total = 0;
  let perSecond = new Map<number, number>();
  const emptyCalls = (): SesSinkCalls => ({ sendEmail: 0, bulk: 0, throttled: 0, failed: 0, throttledEntries: 0, rejected: 0, retried: 0, forwardErrors: 0 });
  let calls = emptyCalls();
  const idPrefix = randomBytes(4).toString("hex");
  let sequence = 0;
  const nextId = () => `${idPrefix}-${(++sequence).toString(36).padStart(8, "0")}`;

  let sets = new Map<string, string[]>();
  const deliver = (recipients: string[], configurationSet: unknown) => {
    for (const address of recipients) {
      counts.set(address, (counts.get(address) ?? 0) + 1);
      sets.set(address, [...(sets.get(address) ?? []), typeof configurationSet === "string" ? configurationSet : ""]);
    }
    total += recipients.length;
  };

  const admit = (n: number, at: number): boolean => {
    if (window && !window.tryAdmit(n, at)) return false;
    const second = Math.floor(at / 1000);
    perSecond.set(second, (perSecond.get(second) ?? 0) + n);
    return true;
  };

  const fault = (requestId: string): Reply | undefined => {
    if (throttleFraction > 0 && random() < throttleFraction) {
      calls.throttled++;
      return json(429, { message: "Too many requests." }, requestId, "TooManyRequestsException");
    }
    if (failFraction > 0 && random() < failFraction) {
      calls.failed++;
      return failStatus === 503
        ? json(503, { message: "Service unavailable." }, requestId, "ServiceUnavailable")
        : json(500, { message: "Internal failure." }, requestId, "InternalFailure");
    }
    return undefined;
  };

  const badRequest = (requestId: string, message: string): Reply => {
    calls.rejected++;
    return json(400, { message }, requestId, "BadRequestException");
  };

  const forward = (req: IncomingMessage, body: Buffer | string): Promise<Reply> =>
    new Promise((resolve) => {
      const headers: OutgoingHttpHeaders = {};
      for (const [name, value] of Object.entries(req.headers)) if (!HOP_BY_HOP.has(name) && value !== undefined) headers[name] = value;
      headers["content-length"] = Buffer.byteLength(body);
      const url = new URL(req.url ?? "/", target);
      const send = url.protocol === "https:" ? httpsRequest : httpRequest;
      const upstream = send(url, { method: req.method, headers, agent }, (res) => {
        readBody(res).then(
          (buffer) => {
            const out: OutgoingHttpHeaders = {};
            for (const [name, value] of Object.entries(res.headers)) if (!HOP_BY_HOP.has(name) && value !== undefined) out[name] = value;
            resolve({ status: res.statusCode ?? 502, headers: out, body: buffer });
          },
          (err: Error) => resolve(forwardFailure(err)),
        );
      });
      upstream.once("error", (err) => resolve(forwardFailure(err)));
      upstream.end(body);
    });

  const forwardFailure = (err: Error): Reply => {
    calls.forwardErrors++;
    return json(502, { message: `Forwarding to ${options.forwardTo} failed: ${err.message}` }, nextId(), "InternalFailure");
  };

  /** The checks both sends start with: injected faults, then a JSON body with its content field. */
  const open = (raw: Buffer, requestId: string, contentField: string): { reply: Reply } | { body: Record<string, unknown>; content: Record<string, unknown> } => {
    const injected = fault(requestId);
    if (injected) return { reply: injected };
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw.toString("utf8"));
    } catch {
      return { reply: badRequest(requestId, "Request body is not valid JSON.") };
    }
    if (!isObject(parsed) || !isObject(parsed[contentField])) return { reply: badRequest(requestId, `${contentField} is required.`) };
    return { body: parsed, content: parsed[contentField] as Record<string, unknown> };
  };

  const sendEmail = async (req: IncomingMessage, raw: Buffer, requestId: string): Promise<Reply> => {
    calls.sendEmail++;
    const opened = open(raw, requestId, "Content");
    if ("reply" in opened) return opened.reply;
    const parsed = opened.body;
    const recipients = recipientsOf(parsed.Destination);
    if (!recipients) return badRequest(requestId, "Destination addresses must be lists of strings.");
    if (recipients.length === 0 && !isObject(opened.content.Raw)) return badRequest(requestId, "At least one recipient is required.");
    if (!admit(recipients.length, now())) {
      calls.throttled++;
      return json(429, { message: RATE_MESSAGE }, requestId, "TooManyRequestsException");
    }
    if (!target) {
      deliver(recipients, parsed.ConfigurationSetName);
      return json(200, { MessageId: nextId() }, requestId);
    }
    const reply = await forward(req, raw);
    if (reply.status >= 200 && reply.status < 300) deliver(recipients, parsed.ConfigurationSetName);
    return reply;
  };

  const sendBulkEmail = async (req: IncomingMessage, raw: Buffer, requestId: string): Promise<Reply> => {
    calls.bulk++;
    const opened = open(raw, requestId, "DefaultContent");
    if ("reply" in opened) return opened.reply;
    const parsed = opened.body;
    const entries = parsed.BulkEmailEntries;
    if (!Array.isArray(entries) || entries.length === 0) return badRequest(requestId, "BulkEmailEntries must be a non-empty list.");
    const perEntry: string[][] = [];
    for (const entry of entries) {
      const recipients = isObject(entry) && isObject(entry.Destination) ? recipientsOf(entry.Destination) : undefined;
      if (!recipients) return badRequest(requestId, "Each bulk entry needs a Destination with lists of addresses.");
      perEntry.push(recipients);
    }

    type EntryResult = { Status: string; MessageId?: string; Error?: string };
    const results: EntryResult[] = [];
    const admitted: number[] = [];
    const at = now();
    let throttling = false;
    perEntry.forEach((recipients, i) => {
      if (recipients.length === 0) {
        results.push({ Status: "INVALID_PARAMETER", Error: "The entry has no recipients." });
      } else if (throttling || !admit(recipients.length, at)) {
        throttling = true;
        calls.throttledEntries++;
        results.push({ Status: "ACCOUNT_THROTTLED", Error: RATE_MESSAGE });
      } else {
        admitted.push(i);
        results.push({ Status: "SUCCESS" });
      }
    });

    if (!target || admitted.length === 0) {
      for (const i of admitted) {
        deliver(perEntry[i]!, parsed.ConfigurationSetName);
        results[i] = { Status: "SUCCESS", MessageId: nextId() };
      }
      return json(200, { BulkEmailEntryResults: results }, requestId);
    }

    const reply = await forward(req, admitted.length === entries.length ? raw : JSON.stringify({ ...parsed, BulkEmailEntries: admitted.map((i) => entries[i]) }));
    if (reply.status < 200 || reply.status >= 300) return reply;
    let upstream: unknown;
    try {
      upstream = JSON.parse(reply.body.toString());
    } catch {
      upstream = undefined;
    }
    const upstreamResults = isObject(upstream) && Array.isArray(upstream.BulkEmailEntryResults) ? (upstream.BulkEmailEntryResults as unknown[]) : [];
    admitted.forEach((i, j) => {
      const result = upstreamResults[j];
      if (isObject(result) && typeof result.Status === "string") {
        results[i] = result as EntryResult;
        if (result.Status === "SUCCESS") deliver(perEntry[i]!, parsed.ConfigurationSetName);
      } else {
        results[i] = { Status: "FAILED", Error: "The forward target returned no result for this entry." };
      }
    });
    return { ...json(200, { BulkEmailEntryResults: results }, requestId), headers: { ...reply.headers, "content-type": "application/json" } };
  };

  const route = async (req: IncomingMessage): Promise<Reply> => {
    const raw = await readBody(req);
    const requestId = nextId();
    const path = (req.url ?? "/").split("?")[0];
    if (req.method === "POST" && (path === SES_SINK_ROUTES.sendEmail || path === SES_SINK_ROUTES.sendBulkEmail)) {
      if (sdkAttempt(req.headers) > 1) calls.retried++;
      return path === SES_SINK_ROUTES.sendEmail ? sendEmail(req, raw, requestId) : sendBulkEmail(req, raw, requestId);
    }
    if (target) return forward(req, raw);
    return json(404, { message: `${req.method} ${path} is not an operation this endpoint emulates.` }, requestId, "NotFoundException");
  };

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    route(req)
      .catch((err: unknown) => json(500, { message: err instanceof Error ? err.message : String(err) }, nextId(), "InternalFailure"))
      .then((reply) => {
        const body = typeof reply.body === "string" ? Buffer.from(reply.body) : reply.body;
        res.writeHead(reply.status, { ...reply.headers, "content-length": body.length });
        res.end(body);
      })
      .catch(() => res.destroy());
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  const { port } = server.address() as { port: number };

  return {
    url: `http://127.0.0.1:${port}`,
    counts: () => new Map(counts),
    configurationSets: () => new Map(sets),
    total: () => total,
    calls: () => ({ ...calls }),
    acceptedPerSecond: () => new Map(perSecond),
    reset: () => {
      counts = new Map();
      sets = new Map();
      total = 0;
      perSecond = new Map();
      calls = emptyCalls();
      window?.clear();
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
        agent?.destroy();
      }),
  };
}
