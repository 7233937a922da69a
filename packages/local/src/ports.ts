import { createServer } from "node:net";

/** Fails with a clear message if a TCP port is already taken, before anything starts on it. */
export async function assertPortFree(port: number, what: string, envVar: string): Promise<void> {
  if (port === 0) return;
  await new Promise<void>((resolve, reject) => {
    const probe = createServer();
    probe.once("error", (err: NodeJS.ErrnoException) => {
      reject(
        new Error(
          err.code === "EADDRINUSE"
            ? `Port ${port} (${what}) is already in use. Stop whatever is using it, or choose another port with ${envVar}=<port>.`
            : `Cannot use port ${port} (${what}): ${err.message}`,
        ),
      );
    });
    probe.listen({ port, host: "127.0.0.1", exclusive: true }, () => probe.close(() => resolve()));
  });
}

/** Asks the OS for a free port (for tests and helpers). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}
