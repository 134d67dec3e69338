import { execFile } from "node:child_process";
import { createReadStream } from "node:fs";

import { env } from "~/env";
import { readHead, type Sniffed } from "./sniff";

export type ScanVerdict =
  | { ok: true }
  | { ok: false; reason: "malware_signature" | "embedded_script" | "scanner_rejected" }
  /** The external scanner could not give an answer (missing, crashed, timed out): nothing is accepted unchecked. */
  | { ok: false; reason: "scan_failed" };

// The standard antivirus test file: every scanner flags it, so the built-in check does too.
const EICAR = Buffer.from("X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*", "latin1");

/**
 * Markup or code hidden in an image (polyglots served as HTML or run by a misconfigured server).
 * Five characters or more: compressed pixels are near-random bytes, and a shorter marker (e.g.
 * "<svg") would turn up by chance in about one image in ten thousand.
 */
const SCRIPT_MARKERS = ["<script", "<?php", "<html", "<iframe", "<body"].map((m) => Buffer.from(m, "latin1"));
const SCRIPT_WINDOW = 64 * 1024;
const SCAN_TIMEOUT_MS = 120_000;

async function containsEicar(filePath: string): Promise<boolean> {
  // Stream in chunks, keeping the tail of the previous chunk so a match split between two is found.
  let tail = Buffer.alloc(0);
  for await (const chunk of createReadStream(filePath, { highWaterMark: 1024 * 1024 })) {
    const window = Buffer.concat([tail, chunk as Buffer]);
    if (window.includes(EICAR)) return true;
    tail = window.subarray(Math.max(0, window.length - EICAR.length + 1));
  }
  return false;
}

function hasScriptMarker(head: Buffer): boolean {
  const lower = Buffer.from(head.toString("latin1").toLowerCase(), "latin1");
  return SCRIPT_MARKERS.some((marker) => lower.includes(marker));
}

/** Splits MEDIA_SCAN_COMMAND on spaces (single or double quotes keep an argument whole); no shell. */
export function commandArgs(command: string): string[] {
  const out: string[] = [];
  for (const match of command.matchAll(/"([^"]*)"|'([^']*)'|(\S+)/g)) out.push(match[1] ?? match[2] ?? match[3]!);
  return out;
}

function runScanner(command: string, filePath: string): Promise<"clean" | "rejected" | "failed"> {
  const [program, ...args] = commandArgs(command);
  if (!program) return Promise.resolve("failed");
  return new Promise((resolve) => {
    execFile(program, [...args, filePath], { timeout: SCAN_TIMEOUT_MS, maxBuffer: 1024 * 1024 }, (error) => {
      if (!error) return resolve("clean");
      const code = (error as NodeJS.ErrnoException & { code?: unknown }).code;
      // A number is the scanner's exit status (it answered); anything else (ENOENT, a signal, the timeout) is no answer.
      resolve(typeof code === "number" && !error.killed ? "rejected" : "failed");
    });
  });
}

/**
 * The scan hook run on every upload before anything is stored: built-in checks always (EICAR
 * anywhere in the file; markup or script in the first 64 KB of an image), then the external
 * scanner MEDIA_SCAN_COMMAND when configured, with the file path appended.
 */
export async function scanFile(filePath: string, sniffed: Sniffed, command: string | undefined = env.MEDIA_SCAN_COMMAND): Promise<ScanVerdict> {
  if (await containsEicar(filePath)) return { ok: false, reason: "malware_signature" };
  if (sniffed.kind === "IMAGE" && hasScriptMarker(await readHead(filePath, SCRIPT_WINDOW))) return { ok: false, reason: "embedded_script" };
  if (command) {
    const outcome = await runScanner(command, filePath);
    if (outcome === "rejected") return { ok: false, reason: "scanner_rejected" };
    if (outcome === "failed") return { ok: false, reason: "scan_failed" };
  }
  return { ok: true };
}
