import { currentPolicy } from "@mission-mail/core/consent/policies";
import { AppError } from "@mission-mail/core/shared/errors";
import { CADENCES, LANGUAGES, TOPICS, type Cadence, type Language, type Topic } from "@mission-mail/core/shared/vocabulary";
import { requestSignUp } from "@mission-mail/core/subscription/subscribe";
import { localHref, pageLanguage } from "@mission-mail/web/layout";
import { refusalPage, signupResultPage } from "@mission-mail/web/missions-pages";
import { signupErrors, type SignupValues } from "@mission-mail/web/signup-widget";
import { cookieChoice, safeReturnPath } from "../../lib/cookies";
import { cadenceByMissionOf, refusalMessage } from "../../lib/form";
import { clientIp, formBody, html, httpRoute, type HttpEvent } from "../../lib/http";
import { activeMissions } from "../../lib/public-page";
import { signUpRequests, subscriberStore } from "../../wiring/subscription";
import { lambdaWiring } from "../../wiring/lambda";

/** Refusals of the sign-up use case that the form shows next to its fields; anything else is a fault. */
const FORM_STATUSES = new Set([400, 422, 429]);

/** More list entries than this are cut off: the schema refuses more than 30 missions anyway. */
const MAX_LIST = 40;

const isOneOf = <T extends string>(list: readonly T[], value: string | null): value is T => value !== null && (list as readonly string[]).includes(value);

const withCadences = (map: Record<string, string> | undefined) => (map ? { cadenceByMission: map as Record<string, Cadence> } : {});

/** The form's fields as the sign-up form shows them again, keeping only values it can show. */
function formValues(form: URLSearchParams, language: Language): SignupValues {
  const language_ = form.get("language");
  const cadence = form.get("cadence");
  return {
    email: (form.get("email") ?? "").slice(0, 320),
    language: isOneOf(LANGUAGES, language_) ? language_ : language,
    missions: form.getAll("missions").slice(0, MAX_LIST),
    topics: form.getAll("topics").filter((t): t is Topic => isOneOf(TOPICS, t)),
    cadence: isOneOf(CADENCES, cadence) ? (cadence as Cadence) : "weekly",
    ...withCadences(cadenceByMissionOf(form, form.getAll("missions"))),
    consent: form.get("consent") === "yes",
  };
}

/**
 * POST /subscribe: the sign-up widget's plain form post. It builds the body `POST /api/subscriptions`
 * takes and calls the same use case, with `source: "web"` and the cookie choices read from the
 * visitor's consent cookie, never from the form. Without functional cookies the form is refused
 * (403, with the notice), so the cookie gate holds without JavaScript. Success is the "check your
 * inbox" page; a refusal shows the form again with the values kept and the errors next to them.
 */
export const route = httpRoute(async (event, w) => {
  let form: URLSearchParams;
  try {
    form = formBody(event);
  } catch (err) {
    if (!(err instanceof AppError)) throw err;
    const language = pageLanguage(event.queryStringParameters?.lang);
    return html(err.status, refusalPage(language, refusalMessage(err, language)));
  }
  const language = pageLanguage(form.get("lang") ?? event.queryStringParameters?.lang);
  const from = safeReturnPath(form.get("from"), "/missions").split(/[?#]/)[0]!;
  const choice = cookieChoice(event);
  const page = { language, path: from, banner: !choice };
  const returnTo = localHref(from, language);
  if (!choice?.functional) {
    return html(403, signupResultPage(page, choice ? { kind: "declined", returnTo, statistics: choice.statistics } : { kind: "undecided", returnTo }));
  }
  const values = formValues(form, language);
  const body = {
    email: form.get("email") ?? "",
    language: form.get("language") ?? undefined,
    missions: form.getAll("missions").slice(0, MAX_LIST),
    topics: form.getAll("topics").slice(0, MAX_LIST),
    cadence: form.get("cadence") ?? undefined,
    ...(values.cadenceByMission ? { cadenceByMission: values.cadenceByMission } : {}),
    consent: { newsletter: values.consent, policyVersion: form.get("policyVersion") ?? "", cookies: choice },
    website: (form.get("website") ?? "").slice(0, 2000),
  };
  try {
    await requestSignUp(
      signUpRequests(w),
      body,
      { ip: clientIp(event, w.config.TRUST_PROXY), source: "web" },
    );
    return html(200, signupResultPage(page, { kind: "sent", email: values.email.trim() }));
  } catch (err) {
    if (!(err instanceof AppError) || !FORM_STATUSES.has(err.status)) throw err;
    const missions = await activeMissions(subscriberStore(w));
    const errors = signupErrors(language, err.code, err.fields, values);
    return html(err.status, signupResultPage(page, { kind: "form", missions, values, policy: currentPolicy(), from, errors }), err.headers);
  }
});

/** The Lambda function: the route on the process-wide wiring. */
export const handler = (event: HttpEvent) => route(event, lambdaWiring());
