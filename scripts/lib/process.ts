/**
 * Child processes for the dev runner and the test orchestrator.
 *
 * Every child is started in its own process group (POSIX) and stopped as a group: SIGTERM, then
 * SIGKILL after a grace period. That also stops what the child started itself (e.g. the
 * `next dev` server's worker), so nothing is left behind. Children get no stdin (they are not in
 * the terminal's foreground group; Ctrl-C reaches only the runner, which stops them).
 * Every child still alive when the runner exits is killed (`process.on("exit")`); only a SIGKILL
 * of the runner itself can leave orphans.
 */
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import { createRequire } from "node:module";
import net from "node:net";
import path from "node:path";

const isWindows = process.platform === "win32";
const live = new Set<ManagedChild>();

export interface ExitInfo {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export class CommandFailedError extends Error {
  constructor(
    readonly label: string,
    readonly exit: ExitInfo,
  ) {
    super(`${label} ${exit.signal ? `was killed by ${exit.signal}` : `exited with code ${exit.code}`}`);
    this.name = "CommandFailedError";
  }
}

export interface SpawnOptions {
  /** Full environment for the child (default: process.env). */
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Name used in messages (default: the command line). */
  label?: string;
  /** Keep a copy of stdout (still shown on the terminal). */
  captureStdout?: boolean;
}

export interface ManagedChild {
  readonly label: string;
  readonly child: ChildProcess;
  /** Settles when the process has exited (never rejects). */
  readonly exited: Promise<ExitInfo>;
  /** stdout so far, when captureStdout was set. */
  stdout(): string;
  /** SIGTERM the group, SIGKILL after graceMs; resolves once the child has exited. */
  stop(graceMs?: number): Promise<ExitInfo>;
}

function signalGroup(child: ChildProcess, signal: NodeJS.Signals): boolean {
  if (child.pid === undefined) return false;
  try {
    if (isWindows) return child.kill(signal);
    process.kill(-child.pid, signal);
    return true;
  } catch {
    return false; // already gone
  }
}

function groupAlive(child: ChildProcess): boolean {
  if (isWindows || child.pid === undefined) return false;
  try {
    process.kill(-child.pid, 0);
    return true;
  } catch {
    return false;
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Start a process that runs until stopped (a server), or await `exited` yourself. */
export function spawnLongRunning(command: string, args: string[], options: SpawnOptions = {}): ManagedChild {
  const label = options.label ?? [command, ...args].join(" ");
  const child = spawn(command, args, {
    cwd: options.cwd,
    env: options.env ?? process.env,
    stdio: ["ignore", options.captureStdout ? "pipe" : "inherit", "inherit"],
    detached: !isWindows,
  });
  let captured = "";
  child.stdout?.on("data", (chunk: Buffer) => {
    captured += chunk.toString("utf8");
    process.stdout.write(chunk);
  });

  const exited = new Promise<ExitInfo>((resolve) => {
    child.once("error", (error) => {
      console.error(`Could not start ${label}: ${error.message}`);
      resolve({ code: 127, signal: null });
    });
    // "close" waits until captured stdout is fully read; "exit" does not wait for inherited stdio.
    child.once(options.captureStdout ? "close" : "exit", (code: number | null, signal: NodeJS.Signals | null) =>
      resolve({ code, signal }),
    );
  });

  let stopping: Promise<ExitInfo> | null = null;
  const managed: ManagedChild = {
    label,
    child,
    exited,
    stdout: () => captured,
    stop(graceMs = 5000) {
      return (stopping ??= (async () => {
        signalGroup(child, "SIGTERM");
        const timer = setTimeout(() => signalGroup(child, "SIGKILL"), graceMs);
        const info = await exited;
        clearTimeout(timer);
        await reapGroup(child, Math.min(graceMs, 2000));
        return info;
      })());
    },
  };
  live.add(managed);
  void exited.then(async () => {
    // The leader is gone; anything it left in its group goes too.
    if (!stopping) await reapGroup(child, 2000);
    live.delete(managed);
  });
  return managed;
}

/** Wait for the rest of a child's process group to exit, then SIGKILL what is left. */
async function reapGroup(child: ChildProcess, graceMs: number): Promise<void> {
  const deadline = Date.now() + graceMs;
  while (groupAlive(child) && Date.now() < deadline) await sleep(50);
  if (groupAlive(child)) signalGroup(child, "SIGKILL");
}

/** Run a command to completion: resolves with its stdout (if captured) on exit code 0, rejects otherwise. */
export async function run(command: string, args: string[], options: SpawnOptions = {}): Promise<string> {
  const managed = spawnLongRunning(command, args, options);
  const info = await managed.exited;
  if (info.code !== 0) throw new CommandFailedError(managed.label, info);
  return managed.stdout();
}

/** Stop every child started through this module (in parallel). */
export async function stopAllChildren(graceMs = 5000): Promise<void> {
  await Promise.all([...live].map((managed) => managed.stop(graceMs)));
}

process.on("exit", () => {
  for (const managed of live) signalGroup(managed.child, "SIGKILL");
});

/**
 * `[process.execPath, <the package's bin script>]`: run a package's CLI with this Node, without
 * npx or a shell in between (so stopping it stops it, on every platform).
 */
export function nodeBin(pkg: string, bin: string = pkg, from: string = process.cwd()): [string, string] {
  const require = createRequire(path.join(from, "noop.js"));
  let pkgJsonPath: string;
  try {
    pkgJsonPath = require.resolve(`${pkg}/package.json`);
  } catch {
    pkgJsonPath = path.join(from, "node_modules", pkg, "package.json"); // packages whose exports hide package.json
  }
  const manifest = JSON.parse(fs.readFileSync(pkgJsonPath, "utf8")) as { bin?: string | Record<string, string> };
  const relative = typeof manifest.bin === "string" ? manifest.bin : manifest.bin?.[bin];
  if (!relative) throw new Error(`${pkg} has no "${bin}" executable`);
  return [process.execPath, path.join(path.dirname(pkgJsonPath), relative)];
}

/** True when nothing listens on host:port (tries to bind it for a moment). */
export function isPortFree(port: number, host?: string): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once("error", () => resolve(false));
    server.listen({ port, host, exclusive: true }, () => server.close(() => resolve(true)));
  });
}

/** Resolves once a TCP connection to host:port succeeds; rejects after timeoutMs or if `abort` settles first. */
export async function waitForPort(port: number, host = "127.0.0.1", timeoutMs = 60_000, abort?: Promise<unknown>): Promise<void> {
  let aborted = false;
  void abort?.then(() => (aborted = true));
  const deadline = Date.now() + timeoutMs;
  while (!aborted) {
    const open = await new Promise<boolean>((resolve) => {
      const socket = net.connect({ port, host });
      socket.setTimeout(1000);
      socket.once("connect", () => (socket.destroy(), resolve(true)));
      socket.once("error", () => resolve(false));
      socket.once("timeout", () => (socket.destroy(), resolve(false)));
    });
    if (open) return;
    if (Date.now() > deadline) throw new Error(`Nothing answered on ${host}:${port} within ${timeoutMs / 1000} s`);
    await sleep(250);
  }
  throw new Error(`Stopped waiting for ${host}:${port}`);
}
