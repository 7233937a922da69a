import { createHash, timingSafeEqual } from "node:crypto";
import type { Config } from "@mission-mail/core/config";
import { AppError } from "@mission-mail/core/errors";
import type { HttpEvent } from "./http";

const digest = (s: string) => createHash("sha256").update(s).digest();

/**
 * Checks the caller of a staff route. For now that is the local-only STAFF_TOKEN shortcut, which
 * stands for a configured staff identity and is refused outside MODE=local; staff sign-in through
 * Cognito JWTs replaces it in AWS.
 */
export function requireStaff(event: HttpEvent, cfg: Config): void {
  const header = event.headers?.authorization ?? "";
  const token = /^Bearer (.+)$/i.exec(header)?.[1]?.trim();
  const challenge = { "www-authenticate": 'Bearer realm="mission-mail-staff"' };
  if (!token) throw new AppError(401, "unauthorized", "Staff routes need an Authorization: Bearer token.", undefined, challenge);
  if (cfg.MODE !== "local" || !cfg.STAFF_TOKEN) throw new AppError(401, "unauthorized", "Staff sign-in is not configured here; the STAFF_TOKEN shortcut only works locally.", undefined, challenge);
  // Compare digests, so the comparison takes the same time whatever the token's length.
  if (!timingSafeEqual(digest(token), digest(cfg.STAFF_TOKEN))) throw new AppError(401, "unauthorized", "The staff token is not valid.", undefined, challenge);
}
