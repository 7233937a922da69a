import { API_FLAGS, API_HELP, staffApi } from "../api-client";
import { progressBar } from "../progress";
import { UsageError, parseFlags, type Command } from "../router";

interface MigrationPage {
  checked: number;
  rewritten: number;
  changed: number;
  next?: string;
}

/** Subscribers per request: the API's default page. */
const PAGE = 200;

/**
 * `mm migrate cadence-by-mission`: the one-off migration to cadences per mission. Pages through every
 * active subscriber with `POST /api/staff/migrations/cadence-by-mission`, with a progress bar, and
 * prints how many were checked and re-written. Idempotent: running it again re-writes nobody.
 */
export const migrateCadencesCommand: Command = {
  name: "migrate cadence-by-mission",
  summary: "One-off: bring every subscriber's fan-out memberships to cadences per mission (idempotent)",
  usage: "[--page <n>] [--api <url>]",
  help: ["  --page <n>         subscribers per request (default 200, at most 500)", API_HELP].join("\n"),
  async run(args, io) {
    const { values } = parseFlags(args, { ...API_FLAGS, page: { type: "string" } });
    const limit = values.page === undefined ? PAGE : Number(values.page);
    if (!Number.isInteger(limit) || limit < 1 || limit > 500) throw new UsageError("--page must be a whole number from 1 to 500.");
    const api = await staffApi({ ...(values.api ? { api: values.api } : {}) });
    const bar = progressBar("Migrating", 0, "subscribers");
    const total = { checked: 0, rewritten: 0, changed: 0 };
    try {
      let after: string | undefined;
      do {
        const page = await api.post<MigrationPage>("/api/staff/migrations/cadence-by-mission", { limit, ...(after ? { after } : {}) });
        total.checked += page.checked;
        total.rewritten += page.rewritten;
        total.changed += page.changed;
        bar.update(total.checked, total.checked + (page.next ? limit : 0));
        after = page.next;
      } while (after);
    } finally {
      bar.stop();
    }
    io.out(`Checked ${total.checked} active subscriber${total.checked === 1 ? "" : "s"}: ${total.rewritten} re-written, ${total.checked - total.rewritten - total.changed} already in shape.`);
    if (total.changed) io.out(`${total.changed} changed their choices meanwhile; run the migration again to check them.`);
  },
};
