import { createHash } from "node:crypto";
import type { Language } from "../shared/vocabulary";

/**
 * The consent texts, one per policy version and language. A sign-up names the version it showed; the
 * ledger stores the server's text for that version and its hash, never text sent by the client.
 * Add a new version here (and make it CURRENT_POLICY_VERSION) when the wording changes; never edit an
 * old one, since ledger records point at it.
 */
export const CONSENT_TEXTS: Record<string, Record<Language, string>> = {
  "2026-11": {
    sv:
      "Jag vill få e-post från Missions om de missioner och ämnen jag har valt. Jag kan när som helst ändra mina val " +
      "eller avsluta prenumerationen via länken i varje utskick. Min e-postadress används bara för dessa utskick och " +
      "sparas tills jag avslutar prenumerationen eller begär radering.",
    en:
      "I want to receive email from Missions about the missions and topics I have chosen. I can change my choices or " +
      "unsubscribe at any time through the link in every email. My email address is used only for these emails and " +
      "is kept until I unsubscribe or ask for it to be erased.",
  },
};

export const CURRENT_POLICY_VERSION = "2026-11";

/** The consent text of a policy version in one language, with its SHA-256, or undefined if unknown. */
export function policyText(version: string, language: Language): { text: string; hash: string } | undefined {
  const texts = Object.prototype.hasOwnProperty.call(CONSENT_TEXTS, version) ? CONSENT_TEXTS[version] : undefined;
  if (!texts) return undefined;
  const text = texts[language];
  return { text, hash: createHash("sha256").update(text, "utf8").digest("hex") };
}

/** What `GET /api/consent` returns. */
export function currentPolicy(): { policyVersion: string; text: Record<Language, string> } {
  return { policyVersion: CURRENT_POLICY_VERSION, text: CONSENT_TEXTS[CURRENT_POLICY_VERSION]! };
}
