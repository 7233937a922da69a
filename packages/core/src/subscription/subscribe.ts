import { AppError, zodProblems, type FieldProblem } from "../shared/errors";
import { addressHmac, normaliseAddress } from "../shared/email-address";
import { rateLimitAddress, rateLimitIp } from "../shared/rate-limit-keys";
import { consentRecord, hashIp, type ConsentSource, policyText } from "../consent";
import type { Clock, Ids, MailQueue } from "../platform/ports";
import type { MissionDirectory } from "../shared/missions";
import type { RateLimiter, Subscriber, SubscriberProfiles } from "./ports";
import { TOKEN_LIFETIMES } from "../shared/tokens";
import { SubscribeRequest } from "./schema";
import { cadenceByMissionProblems, normaliseCadences } from "./cadences";

export interface SubscribeDeps {
  store: SubscriberProfiles & MissionDirectory;
  limiter: RateLimiter;
  queue: MailQueue;
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

/**
 * Starts a double opt-in subscription. The answer is the same `pending` whether the address is new,
 * pending or already active (no enumeration): a new or pending address is sent a confirmation link, an
 * active one a link to its preferences. Nothing is stored for a refused request.
 */
export async function subscribe(deps: SubscribeDeps, body: unknown, meta: RequestMeta, attempt = 0): Promise<{ status: "pending" }> {
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
  const hmac = addressHmac(address, settings.addressPepper);
  // The ledger keeps the full IP's hash; the limits count the variants of one mailbox, and an IPv6 /64, as one.
  const ipHash = hashIp(meta.ip, settings.ipSalt);
  const ipKey = meta.ip ? hashIp(rateLimitIp(meta.ip), settings.ipSalt) : undefined;
  if (ipKey) await limit(deps, "ip", ipKey, settings.rateLimitPerIp, now);
  await limit(deps, "address", addressHmac(rateLimitAddress(address), settings.addressPepper), settings.rateLimitPerAddress, now);

  const missions = [...new Set(input.missions)];
  const topics = [...new Set(input.topics)];
  const cadenceByMission = normaliseCadences({ missions, cadence: input.cadence, ...(input.cadenceByMission ? { cadenceByMission: input.cadenceByMission } : {}) });
  const iso = new Date(now).toISOString();
  const existing = await deps.store.findByAddress(hmac, now);

  if (existing?.status === "active") {
    // The same visible work as a new or repeated sign-up (one store transaction, one enqueue) before the
    // same answer, so the time taken does not tell that the address is subscribed.
    const requestId = deps.ids.next();
    await deps.store.noteRepeatSignUp(existing, requestId, Math.floor(now / 1000) + 24 * 3600);
    await deps.queue.enqueue({ kind: "already-subscribed", subscriberId: existing.id, requestId });
    return { status: "pending" };
  }

  const subscriber: Subscriber = {
    id: existing?.id ?? deps.ids.next(),
    email: address,
    addressHmac: hmac,
    status: "pending",
    policyVersion: input.consent.policyVersion,
    language: input.language,
    missions,
    topics,
    cadence: input.cadence,
    ...(cadenceByMission ? { cadenceByMission } : {}),
    tracking: false,
    createdAt: existing?.createdAt ?? iso,
    expiresAt: Math.floor(now / 1000) + TOKEN_LIFETIMES.confirm,
  };
  const record = consentRecord({
    id: deps.ids.next(),
    subscriberId: subscriber.id,
    at: iso,
    event: "requested",
    missions,
    topics,
    cadence: input.cadence,
    ...(cadenceByMission ? { cadenceByMission } : {}),
    language: input.language,
    policyVersion: input.consent.policyVersion,
    ...(input.consent.cookies ? { cookies: input.consent.cookies } : {}),
    source: meta.source,
    ...(ipHash ? { ipHash } : {}),
  });

  if (existing) {
    await deps.store.refreshPending(subscriber, record);
  } else if ((await deps.store.createPending(subscriber, record)) === "exists") {
    // Another request for the same address won the race; treat this one as a repeat of it.
    if (attempt > 0) throw new AppError(409, "conflict", "The address is being signed up by another request; please try again.");
    return subscribe(deps, body, meta, attempt + 1);
  }
  await deps.queue.enqueue({ kind: "confirm", subscriberId: subscriber.id, requestId: record.id });
  return { status: "pending" };
}

async function limit(deps: SubscribeDeps, scope: "address" | "ip", subject: string, max: number, now: number) {
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
