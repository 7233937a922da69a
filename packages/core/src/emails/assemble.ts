import type { CompiledVariant } from "./compiled-variant";

/**
 * Item-level assembly of list emails (digests). MJML compiles a digest's skeleton (language × which
 * sections it has) once per run, with holes where a variant's own content goes; each item's block is
 * rendered once per language by the escaped template code. A variant is then a recipe (the skeleton
 * and, per hole, item blocks by id or the variant's own values), and the email is the skeleton's
 * parts and the fills concatenated, byte for byte what compiling the whole variant with MJML gives.
 * Assembly is plain string work: the sender does it, without MJML.
 */

/** One part (HTML or text) of a skeleton: `parts[0]`, then each run's fill and the next part. */
export interface SkeletonPart {
  parts: string[];
  /**
   * Adjacent holes filled together. MJML trims the content of a tag like `mj-text`, so a run that
   * starts or ends that content is trimmed there after filling, as MJML would have trimmed it.
   */
  runs: { holes: string[]; trimStart: boolean; trimEnd: boolean }[];
}

/** A compiled skeleton: the subject, and the HTML and text with holes (recipient `{{placeholders}}` kept). */
export interface Skeleton {
  subject: string;
  html: SkeletonPart;
  text: SkeletonPart;
}

/** One item as a list email shows it in one language: its HTML and its text, escaped and ready. */
export interface ItemBlock {
  html: string;
  text: string;
}

/** What goes into a hole: an item's block, by id, or text made for this variant (HTML and plain). */
export type Fill = { block: string } | { html: string; text: string };

/** A variant as a recipe: its skeleton and, per hole, what fills it in order. */
export interface VariantRecipe {
  skeleton: string;
  fills: Record<string, Fill[]>;
}

/** The skeletons and item blocks of a campaign, by id: stored once per campaign, not per variant. */
export interface VariantParts {
  skeletons: Record<string, Skeleton>;
  blocks: Record<string, ItemBlock>;
}

/** Thrown when a recipe names a skeleton or block that `parts` does not have (yet). */
export class MissingPart extends Error {}

/** Assembles a recipe into the compiled variant (subject, HTML and text with recipient placeholders left). */
export function assembleVariant(recipe: VariantRecipe, parts: VariantParts): CompiledVariant {
  const skeleton = parts.skeletons[recipe.skeleton];
  if (!skeleton) throw new MissingPart(`No skeleton ${recipe.skeleton}`);
  const fill = (part: SkeletonPart, pick: "html" | "text") => {
    let out = part.parts[0]!;
    part.runs.forEach((run, i) => {
      let value = "";
      for (const hole of run.holes) {
        const fills = recipe.fills[hole];
        if (fills === undefined) throw new Error(`Nothing for the hole ${hole} of skeleton ${recipe.skeleton}`);
        for (const f of fills) {
          if ("block" in f) {
            const block = parts.blocks[f.block];
            if (!block) throw new MissingPart(`No block ${f.block}`);
            value += block[pick];
          } else value += f[pick];
        }
      }
      if (run.trimStart) value = value.trimStart();
      if (run.trimEnd) value = value.trimEnd();
      out += value + part.parts[i + 1]!;
    });
    return out;
  };
  return { subject: skeleton.subject, html: fill(skeleton.html, "html"), text: fill(skeleton.text, "text") };
}
