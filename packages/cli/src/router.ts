import { parseArgs } from "node:util";

/**
 * A small command router for the ops CLI. A command is named by one or more words
 * (`staff-token`, later `digest run` or `subscribers import`); the router picks the command whose
 * words start the arguments (the longest such), hands it the rest, and prints usage for `help`, an
 * unknown command or a bad flag. Adding a command is adding one entry to the list in mm.ts.
 */

/** Where a command writes: `out` is the result (a token, a CSV), `err` is for people. */
export interface CliIo {
  out(text: string): void;
  err(text: string): void;
}

export interface Command {
  /** The words that select it, e.g. "staff-token" or "digest run". */
  name: string;
  /** One line for the command list. */
  summary: string;
  /** Flags and arguments, e.g. "--email <address> [--group <name>]…". */
  usage: string;
  /** Longer help: what each flag means. */
  help?: string;
  run(args: string[], io: CliIo): Promise<void>;
}

/** A mistake in how a command was called: printed with the command's usage, exit code 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

const usageOf = (program: string, c: Command) => `${program} ${c.name} ${c.usage}`.trimEnd();

function overview(program: string, commands: Command[]): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  return [
    `Usage: ${program} <command> [flags]`,
    "",
    "Commands:",
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    "",
    `Run "${program} help <command>" or "${program} <command> --help" for a command's flags.`,
  ].join("\n");
}

function commandHelp(program: string, c: Command): string {
  return [`Usage: ${usageOf(program, c)}`, "", c.summary, ...(c.help ? ["", c.help] : [])].join("\n");
}

/** The command named by the first words of `argv` (longest match first) and the arguments left. */
function resolve(commands: Command[], argv: string[]): { command: Command; args: string[] } | undefined {
  const ranked = [...commands].sort((a, b) => b.name.split(" ").length - a.name.split(" ").length);
  for (const command of ranked) {
    const words = command.name.split(" ");
    if (words.every((w, i) => argv[i] === w)) return { command, args: argv.slice(words.length) };
  }
  return undefined;
}

/** Runs the CLI on `argv` (without node and the script); answers the process exit code. */
export async function runCli(program: string, commands: Command[], argv: string[], io: CliIo): Promise<number> {
  if (argv.length === 0 || argv[0] === "--help" || argv[0] === "-h" || (argv[0] === "help" && argv.length === 1)) {
    io.err(overview(program, commands));
    return argv.length === 0 ? 2 : 0;
  }
  const asksHelp = argv[0] === "help";
  const target = asksHelp ? argv.slice(1) : argv;
  const found = resolve(commands, target);
  if (!found) {
    const group = commands.filter((c) => c.name.split(" ")[0] === target[0]);
    io.err(`Unknown command "${target.join(" ")}".\n\n${overview(program, group.length ? group : commands)}`);
    return 2;
  }
  if (asksHelp) {
    io.err(commandHelp(program, found.command));
    return 0;
  }
  if (found.args.includes("--help") || found.args.includes("-h")) {
    io.err(commandHelp(program, found.command));
    return 0;
  }
  try {
    await found.command.run(found.args, io);
    return 0;
  } catch (err) {
    if (err instanceof UsageError) {
      io.err(`${err.message}\n\nUsage: ${usageOf(program, found.command)}`);
      return 2;
    }
    io.err(`${program} ${found.command.name}: ${err instanceof Error ? err.message : String(err)}`);
    return 1;
  }
}

type FlagOptions = NonNullable<Parameters<typeof parseArgs>[0]>["options"];

/** `util.parseArgs` in strict mode, its complaints (unknown flag, missing value) turned into usage errors. */
export function parseFlags<O extends FlagOptions>(args: string[], options: O) {
  try {
    return parseArgs({ args, options, strict: true, allowPositionals: false });
  } catch (err) {
    throw new UsageError((err as Error).message.replace(/\. To specify a positional argument.*$/s, "."));
  }
}

/**
 * Like `parseFlags`, for commands that also take arguments (`subscribers import <file.csv>`,
 * `missions edit <id>`): exactly the `names` given, in order, else a usage error naming the missing
 * or extra one.
 */
export function parseFlagsAndArguments<O extends FlagOptions>(args: string[], options: O, names: string[]) {
  let parsed;
  try {
    parsed = parseArgs({ args, options, strict: true, allowPositionals: true });
  } catch (err) {
    throw new UsageError((err as Error).message.replace(/\. To specify a positional argument.*$/s, "."));
  }
  if (parsed.positionals.length < names.length) throw new UsageError(`Missing <${names[parsed.positionals.length]}>.`);
  if (parsed.positionals.length > names.length) throw new UsageError(`Unexpected argument "${parsed.positionals[names.length]}".`);
  return { values: parsed.values, positionals: parsed.positionals };
}
