/**
 * Emails: rendering only. Content emails compiled with MJML once per variant, digests assembled from
 * skeletons and item blocks (assemble.ts, plain string work the sender does), the fixed transactional
 * templates compiled at build time, and the per-recipient filling of placeholders. Sending is in
 * campaigns/.
 *
 * The MJML compiler (compile-content.ts) is imported by path by the planners' wiring, like an
 * adapter, so that nothing else bundles MJML; only its types are here. The build-time compiler
 * (compile-templates.ts) is a script.
 */
export type { AnnouncementEmailContent, ContentEmailSpec, DigestAssembler, DigestAssemblySpec } from "./compile-content";
export * from "./compiled-templates";
export * from "./compiled-variant";
export * from "./format-date";
export * from "./markdown";
export * from "./render";
export * from "./assemble";
