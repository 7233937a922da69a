/** One compiled template in one language, with `{{placeholders}}` left for per-recipient values. */
export interface CompiledVariant {
  subject: string;
  html: string;
  text: string;
}
