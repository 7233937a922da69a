import { randomBytes } from "node:crypto";
import { createReadStream, createWriteStream, renameSync, rmSync, statSync } from "node:fs";
import { basename } from "node:path";
import { parse } from "csv-parse";
import { csvCellValue, toCsv } from "@mission-mail/core/shared/csv";
import { API_FLAGS, API_HELP, staffApi, type StaffApi } from "../api-client";
import { progressBar } from "../progress";
import { UsageError, parseFlags, parseFlagsAndArguments, type Command, type CliIo } from "../router";

/** The columns of an import file; consent_source is required on every row, confirmed_at optional. */
export const IMPORT_COLUMNS = ["email", "language", "missions", "topics", "cadence", "consent_source"] as const;
/** cadence_by_mission: `mission:cadence` pairs separated by `;`, overriding cadence for those missions. */
export const OPTIONAL_IMPORT_COLUMNS = ["confirmed_at", "cadence_by_mission"] as const;
/** Rows per request: the API's limit. */
const MAX_BATCH = 500;

type RowStatus = "pending" | "activated" | "known" | "rejected" | "failed";

interface RowResult {
  line: number;
  status: RowStatus;
  problems?: { field: string; message: string }[];
}

interface ImportResponse {
  results: RowResult[];
}

/** The API's field names back to the file's column names (`missions.2` is a problem with the missions column). */
const columnOf = (field: string) =>
  ({ consentSource: "consent_source", confirmedAt: "confirmed_at", "(row)": "row" })[field] ??
  (field.startsWith("cadenceByMission") ? field.replace("cadenceByMission", "cadence_by_mission") : field.replace(/\.\d+$/, ""));

const list = (cell: string | undefined) =>
  (cell ?? "")
    .split(";")
    .map((s) => s.trim())
    .filter(Boolean);

/** One CSV record as the API's import row. */
function toRow(line: number, cell: (column: string) => string | undefined) {
  const confirmedAt = cell("confirmed_at")?.trim();
  const cadenceByMission = cell("cadence_by_mission")?.trim();
  return {
    line,
    email: cell("email") ?? "",
    language: cell("language") ?? "",
    missions: list(cell("missions")),
    topics: list(cell("topics")),
    cadence: cell("cadence") ?? "",
    consentSource: cell("consent_source") ?? "",
    ...(confirmedAt ? { confirmedAt } : {}),
    // The API reads the column's text form (mission:cadence;mission:cadence) and names what is wrong in it.
    ...(cadenceByMission ? { cadenceByMission } : {}),
  };
}

function summarise(io: CliIo, file: string, dryRun: boolean, results: RowResult[]): number {
  const count = (s: RowStatus) => results.filter((r) => r.status === s).length;
  const label = (text: string, n: number) => `  ${text.padEnd(46)} ${n}`;
  io.out(dryRun ? `Checked ${file} (dry run: nothing was stored or sent), ${results.length} rows:` : `Imported ${file}, ${results.length} rows:`);
  io.out(label(dryRun ? "would be sent a confirmation email:" : "confirmation emails sent:", count("pending")));
  io.out(label(dryRun ? "would be activated (earlier confirmation):" : "activated with proof of earlier confirmation:", count("activated")));
  io.out(label("already known (left unchanged):", count("known")));
  io.out(label("rejected:", count("rejected")));
  const bad = results.filter((r) => r.status === "rejected" || r.status === "failed").sort((a, b) => a.line - b.line);
  for (const r of bad.filter((b) => b.status === "rejected")) {
    for (const p of r.problems ?? [{ field: "row", message: "rejected" }]) io.out(`    line ${r.line}: ${columnOf(p.field)}: ${p.message}`);
  }
  const failed = bad.filter((b) => b.status === "failed");
  if (failed.length) {
    io.out(label("failed (nothing kept; import these again):", failed.length));
    io.out(`    lines ${failed.map((r) => r.line).join(", ")}`);
  }
  return bad.length;
}

/**
 * `mm subscribers import <file.csv>`: streams the file, posts it to `POST /api/staff/subscribers/import`
 * in batches of 500 rows with a progress bar, and prints a summary: confirmations sent, activated with
 * proof, already known, and each rejected row with its line and reason. Exits 1 if any row was not
 * imported. `--dry-run` checks everything and stores nothing.
 */
export const subscribersImportCommand: Command = {
  name: "subscribers import",
  summary: "Import subscribers from a CSV file (consent source required per row; double opt-in unless proven)",
  usage: "<file.csv> [--dry-run] [--api <url>]",
  help: [
    "  <file.csv>         UTF-8 CSV with a header row: email, language (sv|en), missions and topics",
    "                     (several separated by ;), cadence (immediate|daily|weekly|monthly), consent_source",
    "                     (where and how the person agreed; required) and optionally confirmed_at (a date",
    "                     or time of an earlier confirmation, which with the source activates the row at",
    "                     once; without it the person is sent a confirmation email) and cadence_by_mission",
    "                     (mission:cadence pairs separated by ;, e.g. food-system:immediate;mobility:daily,",
    "                     overriding cadence for those missions)",
    "  --dry-run          check every row and report, storing and sending nothing",
    "  --batch <n>        rows per request (default and at most 500)",
    API_HELP,
  ].join("\n"),
  async run(args, io) {
    const { values, positionals } = parseFlagsAndArguments(args, { ...API_FLAGS, "dry-run": { type: "boolean" }, batch: { type: "string" } }, ["file.csv"]);
    const file = positionals[0]!;
    const batchSize = values.batch === undefined ? MAX_BATCH : Number(values.batch);
    if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > MAX_BATCH) throw new UsageError(`--batch must be a whole number from 1 to ${MAX_BATCH}.`);
    let size: number;
    try {
      size = statSync(file).size;
    } catch (err) {
      throw new Error(`Cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}.`);
    }
    const dryRun = values["dry-run"] === true;
    const api = await staffApi({ ...(values.api ? { api: values.api } : {}) });
    const importId = `imp-${Date.now().toString(36)}-${randomBytes(4).toString("hex")}`;

    const results: RowResult[] = [];
    let header: string[] | undefined;
    let batch: ReturnType<typeof toRow>[] = [];
    const bar = progressBar(dryRun ? "Checking" : "Importing", size, "bytes");
    const send = async () => {
      if (!batch.length) return;
      const rows = batch;
      batch = [];
      results.push(...(await api.post<ImportResponse>("/api/staff/subscribers/import", { importId, dryRun, rows })).results);
    };
    const parser = createReadStream(file).pipe(
      parse({
        bom: true,
        trim: true,
        skip_empty_lines: true,
        relax_column_count: true,
        info: true,
        // A broken record (a stray quote) is reported by line; the rest of the file still goes in.
        skip_records_with_error: true,
        on_skip: (err) => {
          results.push({ line: Number(err?.lines ?? 0), status: "rejected", problems: [{ field: "row", message: `not valid CSV: ${err?.message ?? "unreadable"}` }] });
          return undefined;
        },
      }),
    );
    try {
      for await (const { record, info } of parser as AsyncIterable<{ record: string[]; info: { lines: number; bytes: number } }>) {
        if (!header) {
          header = record.map((c) => c.trim().toLowerCase());
          const missing = IMPORT_COLUMNS.filter((c) => !header!.includes(c));
          if (missing.length) {
            throw new Error(
              `${file} has no ${missing.join(", ")} column${missing.length > 1 ? "s" : ""}. The header must name ${IMPORT_COLUMNS.join(", ")} (and optionally confirmed_at and cadence_by_mission); every row needs the source of its consent.`,
            );
          }
          const ignored = header.filter((c) => !(IMPORT_COLUMNS as readonly string[]).includes(c) && !(OPTIONAL_IMPORT_COLUMNS as readonly string[]).includes(c));
          if (ignored.length) io.err(`Ignoring the column${ignored.length > 1 ? "s" : ""} ${ignored.join(", ")}.`);
          continue;
        }
        if (record.length !== header.length) {
          results.push({ line: info.lines, status: "rejected", problems: [{ field: "row", message: `has ${record.length} fields, the header has ${header.length}` }] });
        } else {
          const h = header;
          // A file this tool exported holds formula-like cells behind a `'`; the import reads the value.
          batch.push(toRow(info.lines, (column) => {
            const cell = record[h.indexOf(column)];
            return cell === undefined ? undefined : csvCellValue(cell);
          }));
          if (batch.length >= batchSize) await send();
        }
        bar.update(info.bytes);
      }
      await send();
      bar.update(size);
    } finally {
      bar.stop();
    }
    if (!header) throw new Error(`${file} is empty; it needs a header row and at least one subscriber.`);
    const notImported = summarise(io, basename(file), dryRun, results);
    if (notImported) throw new Error(`${notImported} row${notImported > 1 ? "s were" : " was"} not ${dryRun ? "valid" : "imported"}; see the lines above.`);
  },
};

interface ExportPage {
  subscribers: { id: string; email: string; language: string; missions: string[]; topics: string[]; cadence: string; cadenceByMission?: Record<string, string>; tracking: boolean; createdAt: string; confirmedAt?: string }[];
  next?: string;
}

/** The export's columns: the import's (without consent_source, which staff must state), then the rest. */
export const EXPORT_COLUMNS = ["email", "language", "missions", "topics", "cadence", "confirmed_at", "tracking", "created_at", "id", "cadence_by_mission"];

async function* pages(api: StaffApi, limit: number): AsyncGenerator<ExportPage> {
  let after: string | undefined;
  do {
    const page = await api.get<ExportPage>("/api/staff/subscribers/export", { limit: String(limit), after });
    yield page;
    after = page.next;
  } while (after);
}

/**
 * `mm subscribers export [--out file.csv]`: every active subscriber with their choices (no tokens), as
 * CSV, read page by page from `GET /api/staff/subscribers/export`. The API records each page in the
 * audit log. A file is written under a temporary name and renamed when complete, readable only by
 * its owner, since it holds personal data.
 */
export const subscribersExportCommand: Command = {
  name: "subscribers export",
  summary: "Export active subscribers and their choices as CSV (audited)",
  usage: "[--out <file.csv>] [--api <url>]",
  help: ["  --out <file.csv>   write here (readable only by you) instead of to standard output", API_HELP].join("\n"),
  async run(args, io) {
    const { values } = parseFlags(args, { ...API_FLAGS, out: { type: "string" } });
    const api = await staffApi({ ...(values.api ? { api: values.api } : {}) });
    const limit = 500;
    const partial = values.out ? `${values.out}.partial` : undefined;
    const sink = partial ? createWriteStream(partial, { mode: 0o600 }) : undefined;
    const write = (text: string) => (sink ? new Promise<void>((resolve, reject) => sink.write(text, (err) => (err ? reject(err) : resolve()))) : (io.out(text.replace(/\r?\n$/, "")), Promise.resolve()));
    const bar = progressBar("Exporting", 0, "subscribers");
    let count = 0;
    try {
      // Every cell goes through the shared CSV helper, which neutralises what a spreadsheet would run as a formula.
      await write(toCsv([EXPORT_COLUMNS]));
      for await (const page of pages(api, limit)) {
        const rows = page.subscribers.map((s) => [s.email, s.language, s.missions.join(";"), s.topics.join(";"), s.cadence, s.confirmedAt ?? "", String(s.tracking), s.createdAt, s.id, Object.entries(s.cadenceByMission ?? {}).map(([m, c]) => `${m}:${c}`).join(";")]);
        if (rows.length) await write(toCsv(rows));
        count += rows.length;
        bar.update(count, count + (page.next ? limit : 0));
      }
      if (sink && partial) {
        await new Promise<void>((resolve, reject) => sink.end((err?: Error | null) => (err ? reject(err) : resolve())));
        renameSync(partial, values.out!);
      }
    } catch (err) {
      sink?.destroy();
      if (partial) rmSync(partial, { force: true });
      throw err;
    } finally {
      bar.stop();
    }
    io.err(`Exported ${count} active subscriber${count === 1 ? "" : "s"}${values.out ? ` to ${values.out}` : ""}. The export is recorded in the audit log; delete the file when you no longer need it.`);
  },
};
