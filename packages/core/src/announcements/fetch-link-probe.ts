import type { LinkProbe, LinkProbeResult } from "./ports";

/** Statuses that mean "this server does not do HEAD" rather than "the page is gone": ask again with GET. */
const HEAD_REFUSED = new Set([400, 403, 405, 406, 501]);

/**
 * Requests links with `fetch`: HEAD first, GET where HEAD is refused or fails, each with its own
 * timeout and redirects followed. A GET's body is not read (the request is cancelled once the status
 * is known). 2xx and 3xx are `ok`, 4xx and 5xx `broken`, no answer in time `unreachable`.
 */
export class FetchLinkProbe implements LinkProbe {
  constructor(private readonly options: { timeoutMs: number; fetch?: typeof fetch; userAgent?: string }) {}

  private async request(url: string, method: "HEAD" | "GET"): Promise<number> {
    const res = await (this.options.fetch ?? fetch)(url, {
      method,
      redirect: "follow",
      signal: AbortSignal.timeout(this.options.timeoutMs),
      headers: { "user-agent": this.options.userAgent ?? "MissionMail-LinkCheck/1.0" },
    });
    await res.body?.cancel().catch(() => undefined);
    return res.status;
  }

  async probe(url: string): Promise<LinkProbeResult> {
    let status: number | undefined;
    try {
      status = await this.request(url, "HEAD");
    } catch {
      status = undefined;
    }
    if (status === undefined || HEAD_REFUSED.has(status)) {
      try {
        status = await this.request(url, "GET");
      } catch {
        return { url, status: "unreachable" };
      }
    }
    return status < 400 ? { url, status: "ok", httpStatus: status } : { url, status: "broken", httpStatus: status };
  }
}

/** The probe where links are not requested (no way out, or switched off): every link `not-checked`. */
export class OfflineLinkProbe implements LinkProbe {
  async probe(url: string): Promise<LinkProbeResult> {
    return { url, status: "not-checked" };
  }
}
