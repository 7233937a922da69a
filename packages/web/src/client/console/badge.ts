import { h } from "../dom";
import { T } from "./context";

/** A campaign's or run's state as a coloured badge with its name. */
export function badge(state: string) {
  const states: Record<string, string> = T.states;
  return h("span", { className: `badge state-${state}`, text: states[state] ?? state });
}
