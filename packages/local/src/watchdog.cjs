// Runs a child command and kills it as soon as the parent that started us goes away, even on
// SIGKILL: the parent holds our stdin open, and its end is the signal. Usage: node watchdog.cjs cmd args…
const { spawn } = require("node:child_process");
const [cmd, ...args] = process.argv.slice(2);
const child = spawn(cmd, args, { stdio: ["ignore", "inherit", "inherit"] });
const stop = () => {
  if (child.exitCode === null) child.kill("SIGTERM");
  setTimeout(() => { if (child.exitCode === null) child.kill("SIGKILL"); }, 3000).unref();
};
process.stdin.on("end", stop);
process.stdin.on("error", stop);
process.stdin.resume();
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
const parent = process.ppid;
setInterval(() => { try { process.kill(parent, 0); } catch { stop(); } }, 1000).unref();
child.on("exit", (code) => process.exit(code ?? 0));
