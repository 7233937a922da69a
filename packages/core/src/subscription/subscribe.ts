import { AppError, zodProblems, type FieldProblem } from "../shared/errors";
import { addressHmac, normaliseAddress } from "../shared/email-address";
import { rateLimitAddress, rateLimitIp } from "../shared/rate-limit-keys";
import { hashIp, type ConsentSource, policyText } from "../consent";
import type { Clock, Ids, SignUpQueue } from "../platform/ports";
import type { MissionDirectory } from "../shared/missions";
import type { RateLimiter, SignUpRequest, SignUpRequests } from "./ports";
import { SubscribeRequest } from "./schema";
import { cadenceByMissionProblems, normaliseCadences } from "./cadences";

/** What taking a sign-up request needs: nothing that reads what is stored about an address. */
export interface SignUpRequestDeps {
  store: SignUpRequests & MissionDirectory;
  limiter: RateLimiter;
  queue: SignUpQueue;
  clock: Clock;
  ids: Ids;
  settings: {
    addressPepper: string;
    ipSalt: string;
    rateLimitPerAddress: number;
    rateLimitPerIp: number;
    rateWindowSeconds: number;
  };
}

export interface RequestMeta {
  ip?: string;
  source: ConsentSource;
}

/** A problem for every listed mission that is not an active mission of the catalogue (and has no problem yet). */
export async function unknownMissions(store: MissionDirectory, missions: unknown, problems: FieldProblem[]): Promise<FieldProblem[]> {
  if (!Array.isArray(missions) || !missions.every((m) => typeof m === "string")) return [];
  const known = new Set((await store.listMissions()).filter((m) => m.status === "active").map((m) => m.id));
  return (missions as string[]).flatMap((id, i) =>
    !known.has(id) && !problems.some((p) => p.field === `missions.${i}`) ? [{ field: `missions.${i}`, message: `Unknown mission "${id.slice(0, 64)}".` }] : [],
  );
}

/** How long a sign-up request waits for the worker before it expires: as long as its queue keeps messages. */
export const SIGN_UP_REQUEST_SECONDS = 4 * 24 * 3600;

/**
 * Takes a double opt-in sign-up request: validates it, applies the rate limits, stores the request
 * (the address and the consent context: when, from where, which policy version, the cookie choices)
 * under a new id that expires, and puts only that id on the sign-up queue. Whether the address is
 * new, pending or active is decided by the worker (`processSignUp`), never here: the request path
 * reads nothing about the address, so the answer and the time it takes are the same for all three.
 * Nothing is stored for a refused request.
 */
export async function requestSignUp(deps: SignUpRequestDeps, body: unknown, meta: RequestMeta): Promise<{ status: "pending" }> {
  const parsed = SubscribeRequest.safeParse(body);
  const problems: FieldProblem[] = parsed.success ? [] : zodProblems(parsed.error);

  const raw = (typeof body === "object" && body !== null ? body : {}) as Record<string, unknown>;
  let address: string | undefined;
  if (typeof raw.email === "string" && !problems.some((p) => p.field === "email")) {
    const normalised = normaliseAddress(raw.email);
    if (normalised.ok) address = normalised.address;
    else problems.push({ field: "email", message: normalised.reason });
  }
  problems.push(...(await unknownMissions(deps.store, raw.missions, problems)));
  const active = new Set((await deps.store.listMissions()).filter((m) => m.status === "active").map((m) => m.id));
  problems.push(...cadenceByMissionProblems(raw, (id) => active.has(id), problems));
  if (!parsed.success || problems.length > 0 || !address) {
    throw new AppError(400, "validation_failed", "The request has invalid fields; see fields for each problem.", problems);
  }
  const input = parsed.data;

  if (input.website) return { status: "pending" }; // honeypot: bots get the same answer, nothing is stored
  if (input.consent.newsletter !== true) {
    throw new AppError(422, "consent_required", "Consent to receive the newsletter (consent.newsletter: true) is required.");
  }
  if (!policyText(input.consent.policyVersion, input.language)) {
    throw new AppError(422, "unknown_policy_version", `Consent policy version "${input.consent.policyVersion.slice(0, 64)}" is not known; fetch GET /api/consent for the current one.`);
  }

  const now = deps.clock.now();
  const { settings } = deps;
  // The ledger keeps the full IP's hash; the limits count the variants of one mailbox, and an IPv6 /64, as one.
  // The counters are keyed by the address and the network, never by what is stored about the address.
  const ipHash = hashIp(meta.ip, settings.ipSalt);
  const ipKey = meta.ip ? hashIp(rateLimitIp(meta.ip), settings.ipSalt) : undefined;
  if (ipKey) await limit(deps, "ip", ipKey, settings.rateLimitPerIp, now);
  await limit(deps, "address", addressHmac(rateLimitAddress(address), settings.addressPepper), settings.rateLimitPerAddress, now);

  const missions = [...new Set(input.missions)];
  const cadenceByMission = normaliseCadences({ missions, cadence: input.cadence, ...(input.cadenceByMission ? { cadenceByMission: input.cadenceByMission } : {}) });
  const request: SignUpRequest = {
    id: deps.ids.next(),
    at: new Date(now).toISOString(),
    email: address,
    addressHmac: addressHmac(address, settings.addressPepper),
    language: input.language,
    missions,
    topics: [...new Set(input.topics)],
    cadence: input.cadence,
    ...(cadenceByMission ? { cadenceByMission } : {}),
    policyVersion: input.consent.policyVersion,
    ...(input.consent.cookies ? { cookies: input.consent.cookies } : {}),
    source: meta.source,
    ...(ipHash ? { ipHash } : {}),
  };
  await deps.store.putSignUpRequest(request, Math.floor(now / 1000) + SIGN_UP_REQUEST_SECONDS);
  await deps.queue.enqueue({ kind: "sign-up", requestId: request.id });
  return { status: "pending" };
}

async function limit(deps: SignUpRequestDeps, scope: "address" | "ip", subject: string, max: number, now: number) {
  const result = await deps.limiter.hit(scope, subject, max, deps.settings.rateWindowSeconds, now);
  if (!result.allowed) {
    throw new AppError(
      429,
      "rate_limited",
      scope === "ip"
        ? "Too many sign-ups from this network. Please try again later."
        : "Too many sign-ups for this address. Please check your inbox or try again later.",
      undefined,
      { "Retry-After": String(result.retryAfterSeconds) },
    );
  }
}
