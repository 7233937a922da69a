/** @jsxRuntime automatic @jsxImportSource hono/jsx */
import type { Child } from "hono/jsx";
import { copy, fill } from "./copy";
import { CADENCES, LANGUAGES, TOPICS, type FieldProblem, type Language, type PreferencesView } from "./core";
import { CadencePerMission } from "./cadence-per-mission";
import { layout } from "./layout";

export interface PreferencesPageState {
  token: string;
  view: PreferencesView;
  /** Values to show instead of the stored ones (a refused form keeps what was entered). */
  values?: Partial<Pick<PreferencesView, "language" | "missions" | "topics" | "cadence" | "cadenceByMission" | "tracking">>;
  problems?: FieldProblem[];
  /** A message after a successful save or a data-rights request. */
  notice?: string;
}

/** A group of choices with its legend and the errors that belong to it. */
function Group(props: { field: string; legend: string; problems: FieldProblem[]; children?: Child }) {
  const errors = props.problems.filter((p) => p.field === props.field || p.field.startsWith(`${props.field}.`));
  return (
    <fieldset id={props.field} class={errors.length ? "has-error" : undefined} aria-describedby={errors.length ? `${props.field}-error` : undefined}>
      <legend>{props.legend}</legend>
      {errors.length ? (
        <p class="field-error" id={`${props.field}-error`}>
          {errors.map((e) => e.message).join(" ")}
        </p>
      ) : null}
      {props.children}
    </fieldset>
  );
}

/** One checkbox or radio with its label (in its own language, where that is not the page's). */
function Choice(props: { type: "checkbox" | "radio"; name: string; value: string; label: string; checked: boolean; lang?: Language }) {
  const id = `${props.name}-${props.value}`;
  return (
    <div class="check">
      <input type={props.type} id={id} name={props.name} value={props.value} checked={props.checked} />
      <label for={id} lang={props.lang}>
        {props.label}
      </label>
    </div>
  );
}

/**
 * The preference centre: every choice in one plain form, plus data rights and unsubscribe. Its
 * choices use the sign-up form's words (the deck's `choices`), so a choice is called the same in both.
 */
export function preferencesPage(language: Language, state: PreferencesPageState): string {
  const t = copy(language).preferences;
  const c = copy(language).choices;
  const topics = copy(language).topics;
  const { view, token } = state;
  const v = { ...view, ...state.values };
  const q = `token=${encodeURIComponent(token)}&lang=${language}`;
  const problems = state.problems ?? [];
  const active = view.status === "active";
  const main = (
    <>
      <h1>{t.title}</h1>
      {problems.length ? (
        <div class="error-summary" role="alert" tabindex={-1}>
          <h2>{t.errorsTitle}</h2>
          <ul>
            {problems.map((p) => (
              <li>
                <a href={p.field.startsWith("cadenceByMission") ? "#preferences-cadence-by-mission" : `#${p.field.split(".")[0]}`}>{p.message}</a>
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      {state.notice ? (
        <div class="notice success" role="status">
          <p>{state.notice}</p>
        </div>
      ) : null}
      <p>{fill(t.intro, { email: view.email })}</p>
      {active ? (
        <form method="post" action={`/preferences?${q}`} class="preferences" novalidate>
          <Group field="missions" legend={c.missions} problems={problems}>
            {view.available.map((m) => (
              <Choice type="checkbox" name="missions" value={m.id} label={`${m.name[language]}${m.retired ? ` ${t.retired}` : ""}`} checked={v.missions.includes(m.id)} />
            ))}
          </Group>
          <Group field="topics" legend={c.topics} problems={problems}>
            {TOPICS.map((topic) => (
              <Choice type="checkbox" name="topics" value={topic} label={topics[topic]} checked={v.topics.includes(topic)} />
            ))}
          </Group>
          <Group field="cadence" legend={c.cadence} problems={problems}>
            {CADENCES.map((cadence) => (
              <Choice type="radio" name="cadence" value={cadence} label={c.cadences[cadence]} checked={v.cadence === cadence} />
            ))}
          </Group>
          <CadencePerMission
            language={language}
            idPrefix="preferences"
            missions={view.available.map((m) => ({ id: m.id, name: m.name[language] }))}
            values={v.cadenceByMission}
            labels={c.cadences}
            error={problems.some((p) => p.field.startsWith("cadenceByMission")) ? copy(language).signupErrors.cadenceByMission : undefined}
          />
          <Group field="language" legend={c.language} problems={problems}>
            {LANGUAGES.map((l) => (
              <Choice type="radio" name="language" value={l} label={c.languageNames[l]} checked={v.language === l} lang={l !== language ? l : undefined} />
            ))}
          </Group>
          <Group field="tracking" legend={t.trackingLegend} problems={problems}>
            <Choice type="checkbox" name="tracking" value="on" label={t.tracking} checked={v.tracking} />
            <p class="hint">{t.trackingHelp}</p>
          </Group>
          <button type="submit">{t.save}</button>
        </form>
      ) : (
        <>
          <h2>{t.unsubscribedTitle}</h2>
          <p>{t.unsubscribed}</p>
        </>
      )}
      <section aria-labelledby="data-title">
        <h2 id="data-title">{t.dataTitle}</h2>
        <p>{t.dataIntro}</p>
        {(["export", "erase"] as const).map((action) => (
          <form method="post" action={`/api/me/requests?${q}`} class="button-row">
            <input type="hidden" name="action" value={action} />
            <button type="submit" class="button secondary">
              {action === "export" ? t.exportButton : t.eraseButton}
            </button>
          </form>
        ))}
      </section>
      {active ? (
        <section aria-labelledby="leave-title">
          <h2 id="leave-title">{t.unsubscribeTitle}</h2>
          <p>
            <a href={`/unsubscribe?${q}`}>{t.unsubscribeLink}</a>
          </p>
        </section>
      ) : null}
    </>
  );
  return layout(language, t.title, main);
}

/** The notice shown after saving. */
export const savedNotice = (language: Language) => copy(language).preferences.saved;
