/** @jsxRuntime automatic @jsxImportSource hono/jsx */
import { copy, fill } from "./copy";
import { CADENCES, type Cadence, type Language } from "./core";

/**
 * "Each mission separately": a disclosure (a native `<details>`, so it opens with the keyboard and
 * says whether it is open) holding one labelled select per mission, named `cadenceByMission.<id>`.
 * Its first option, "same as above" (empty), leaves the mission with the one choice for all, so the
 * simple form keeps one choice. Open when a mission already has its own cadence, or on an error.
 * Shared by the sign-up widget and the preference centre; `idPrefix` keeps their ids apart.
 */
export function CadencePerMission(props: {
  language: Language;
  idPrefix: string;
  missions: { id: string; name: string }[];
  values: Record<string, Cadence> | undefined;
  labels: Record<Cadence, string>;
  error?: string | undefined;
}) {
  const t = copy(props.language).perMissionCadence;
  const id = `${props.idPrefix}-cadence-by-mission`;
  const open = props.error !== undefined || Object.keys(props.values ?? {}).length > 0;
  return (
    <details id={id} class={`per-mission${props.error ? " has-error" : ""}`} open={open}>
      <summary>{t.perMission}</summary>
      <p class="hint" id={`${id}-hint`}>
        {t.perMissionHint}
      </p>
      {props.error ? (
        <p class="field-error" id={`${id}-error`}>
          {props.error}
        </p>
      ) : null}
      {props.missions.map((m) => (
        <div class="field">
          <label for={`${id}-${m.id}`}>{fill(t.missionCadence, { name: m.name })}</label>
          <select id={`${id}-${m.id}`} name={`cadenceByMission.${m.id}`} aria-describedby={[`${id}-hint`, props.error ? `${id}-error` : ""].filter(Boolean).join(" ")}>
            <option value="">{t.sameAsAll}</option>
            {CADENCES.map((c) => (
              <option value={c} selected={props.values?.[m.id] === c}>
                {props.labels[c]}
              </option>
            ))}
          </select>
        </div>
      ))}
    </details>
  );
}
