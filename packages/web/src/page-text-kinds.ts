/** The pages whose text staff edit as markdown (templates/pages/<kind>.<language>.md). */
export const PAGE_TEXT_KINDS = ["accessibility", "privacy"] as const;
export type PageTextKind = (typeof PAGE_TEXT_KINDS)[number];
