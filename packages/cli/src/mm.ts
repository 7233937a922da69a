import { pathToFileURL } from "node:url";
import { staffTokenCommand } from "./commands/staff-token";
import { ANNOUNCE_COMMANDS } from "./commands/announce";
import { digestCancelCommand, digestResumeCommand, digestRunCommand } from "./commands/digest-run";
import { missionsAddCommand, missionsEditCommand, missionsListCommand, missionsRetireCommand } from "./commands/missions";
import { subscribersExportCommand, subscribersImportCommand } from "./commands/subscribers";
import { statsCommand } from "./commands/stats";
import { healthCommand } from "./commands/health";
import { migrateCadencesCommand } from "./commands/migrate";
import { runCli, type Command } from "./router";

/**
 * `npm run mm -- <command>`: the ops CLI. Every command is listed here; each lives in its own file
 * under commands/ and is routed by its words (see router.ts).
 */
export const COMMANDS: Command[] = [
  staffTokenCommand,
  digestRunCommand,
  digestResumeCommand,
  digestCancelCommand,
  subscribersImportCommand,
  subscribersExportCommand,
  missionsListCommand,
  missionsAddCommand,
  missionsEditCommand,
  missionsRetireCommand,
  ...ANNOUNCE_COMMANDS,
  statsCommand,
  healthCommand,
  migrateCadencesCommand,
];

/** Runs the CLI with these arguments; answers the exit code. */
export const main = (argv: string[]) =>
  runCli("mm", COMMANDS, argv, {
    out: (text) => process.stdout.write(`${text}\n`),
    err: (text) => process.stderr.write(`${text}\n`),
  });

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main(process.argv.slice(2)).then(
    (code) => (process.exitCode = code),
    (err) => {
      process.stderr.write(`mm: ${err instanceof Error ? err.message : String(err)}\n`);
      process.exitCode = 1;
    },
  );
}
