import { createServer, request as httpRequest, Agent, type IncomingMessage, type ServerResponse } from "node:http";

/** What the proxy does to DynamoDB write calls, and how often. */
export interface DynamoFaultOptions {
  /** The DynamoDB endpoint to pass requests on to (DynamoDB Local). */
  target: string;
  /** Fraction (0–1) of write calls answered with ThrottlingException before anything is written. */
  throttleFraction?: number;
  /**
   * Fraction (0–1) of write calls that are passed on, applied by DynamoDB, and then never answered:
   * the connection is cut, as a timeout would, so the client cannot know the write happened.
   */
  timeoutAfterWriteFraction?: number;
  /** Source of randomness, so tests can make the faults deterministic. */
  random?: () => number;
}

/** A running proxy: its endpoint and what it did. */
export interface DynamoFaultProxy {
  url: string;
  injected(): { throttled: number; timedOutAfterWrite: number; writes: number };
  close(): Promise<void>;
}

/** DynamoDB's JSON API names the operation in X-Amz-Target; these change data. */
const WRITES = new Set(["PutItem", "UpdateItem", "DeleteItem", "BatchWriteItem", "TransactWriteItems"]);

const readBody = async (req: IncomingMessage): Promise<Buffer> => {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
};

/**
 * A fault-injecting HTTP proxy in front of DynamoDB Local, for the reliability suite: the emulator
 * never throttles or times out, and real DynamoDB does both. Reads always pass. Some writes are
 * throttled (the SDK retries them) and some are applied and then left unanswered, which is the
 * ambiguous case every conditional write on the send path has to survive.
 */
export async function startDynamoFaultProxy(options: DynamoFaultOptions): Promise<DynamoFaultProxy> {
  const target = new URL(options.target);
  const random = options.random ?? Math.random;
  const agent = new Agent({ keepAlive: true });
  const counts = { throttled: 0, timedOutAfterWrite: 0, writes: 0 };

  const forward = (req: IncomingMessage, body: Buffer): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }> =>
    new Promise((resolve, reject) => {
      const upstream = httpRequest(
        new URL(req.url ?? "/", target),
        { method: req.method, headers: { ...req.headers, host: target.host, "content-length": body.length }, agent },
        (res) => readBody(res).then((b) => resolve({ status: res.statusCode ?? 502, headers: res.headers, body: b }), reject),
      );
      upstream.once("error", reject);
      upstream.end(body);
    });

  const server = createServer(async (req: IncomingMessage, res: ServerResponse) => {
    try {
      const body = await readBody(req);
      const operation = String(req.headers["x-amz-target"] ?? "").split(".")[1] ?? "";
      if (WRITES.has(operation)) {
        counts.writes++;
        const r = random();
        if (r < (options.throttleFraction ?? 0)) {
          counts.throttled++;
          res.writeHead(400, { "content-type": "application/x-amz-json-1.0", "x-amzn-requestid": `fault-${counts.writes}` });
          res.end(JSON.stringify({ __type: "com.amazonaws.dynamodb.v20120810#ThrottlingException", message: "Rate of requests exceeds the allowed throughput." }));
          return;
        }
        if (r < (options.throttleFraction ?? 0) + (options.timeoutAfterWriteFraction ?? 0)) {
          await forward(req, body);
          counts.timedOutAfterWrite++;
          req.socket.destroy();
          return;
        }
      }
      const out = await forward(req, body);
      const headers: Record<string, string | string[]> = {};
      for (const [k, v] of Object.entries(out.headers)) if (v !== undefined && k !== "connection" && k !== "transfer-encoding") headers[k] = v;
      res.writeHead(out.status, headers);
      res.end(out.body);
    } catch (err) {
      if (!res.headersSent) res.writeHead(502, { "content-type": "application/x-amz-json-1.0" });
      res.end(JSON.stringify({ __type: "com.amazonaws.dynamodb.v20120810#InternalServerError", message: (err as Error).message }));
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  return {
    url: `http://127.0.0.1:${(server.address() as { port: number }).port}`,
    injected: () => ({ ...counts }),
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
        agent.destroy();
      }),
  };
}
