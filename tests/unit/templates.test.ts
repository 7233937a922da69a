import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { COMPILED_MODULE, compileAll, moduleSource } from "../../packages/core/src/emails/compile-templates";
import { TRANSACTIONAL_TEMPLATES } from "../../packages/core/src/emails/compiled-templates";
import { personalise, renderTransactional } from "../../packages/core/src/emails/render";

describe("transactional templates", () => {
  it("are compiled from templates/ and the committed output is up to date (run `npm run templates`)", async () => {
    const fresh = moduleSource(await compileAll());
    expect(readFileSync(COMPILED_MODULE, "utf8")).toBe(fresh);
  });

  it.each(["sv", "en"] as const)("render in %s with lang, a text part and HTML under 102 KB", (lang) => {
    for (const name of TRANSACTIONAL_TEMPLATES) {
      const email = renderTransactional(name, lang, { confirmUrl: "https://x.example/c", missionList: "A", preferencesUrl: "https://x.example/p", dataUrl: "https://x.example/me", missionName: "M", unsubscribeUrl: "https://x.example/u", siteUrl: "https://x.example" });
      expect(email.html).toContain(`<html lang="${lang}"`);
      expect(email.text.length).toBeGreaterThan(50);
      expect(email.text).not.toMatch(/\{\{|\[\[/);
      expect(email.html).not.toMatch(/\{\{|\[\[/);
      expect(Buffer.byteLength(email.html)).toBeLessThan(102 * 1024);
      expect(email.subject).not.toMatch(/[\r\n]/);
    }
  });

  it("escapes per-recipient values in HTML, keeps them plain in text, and strips CR/LF from subjects", () => {
    const email = personalise(
      { subject: "Hej {{name}}", html: '<a href="{{url}}">{{name}}</a>', text: "{{name}} {{url}}" },
      { name: 'Ö<script>"&\'\r\nBcc: x@y', url: 'https://x.example/?a=1&b="2"' },
    );
    expect(email.html).toBe('<a href="https://x.example/?a=1&amp;b=&quot;2&quot;">Ö&lt;script&gt;&quot;&amp;&#39;\r\nBcc: x@y</a>');
    expect(email.subject).toBe("Hej Ö<script>\"&' Bcc: x@y");
    expect(email.text).toContain("Ö<script>");
    expect(() => personalise({ subject: "", html: "{{missing}}", text: "" }, {})).toThrow(/missing/);
  });
});
