#!/usr/bin/env node
// Stand-in for Prisma's native `schema-engine` binary, for machines that cannot download it.
// The Prisma CLI spawns this file (via PRISMA_SCHEMA_ENGINE_BINARY, set in prisma.config.ts)
// exactly as it would spawn the native engine; we run the same engine compiled to WebAssembly
// (`@prisma/schema-engine-wasm`) over `@prisma/adapter-pg`. See README.md beside this file.
//
//   bin.mjs [--datamodels PATH...] [--datasource JSON]              JSON-RPC over stdio
//   bin.mjs --datasource JSON cli can-connect-to-database|create-database|drop-database
//   bin.mjs --version | --help

import { flushAndExit, log, routeProcessWarnings, writeLogLine } from "./log.mjs";

const USAGE = `schema-engine (WASM bridge)

When no subcommand is given, serves JSON-RPC 2.0 over stdio, like Prisma's native schema engine.

USAGE:
    bin.mjs [OPTIONS] [SUBCOMMAND]

OPTIONS:
    -d, --datamodels <FILE>...              Paths to the Prisma schema files
        --datasource <JSON>                 {"url": "...", "shadowDatabaseUrl": "..."}
        --enabled-preview-features <LIST>   Accepted and ignored (read from the schema)
        --extension-types <JSON>            Accepted and ignored
    -V, --version                           Print the engine version
    -h, --help                              Print this help

SUBCOMMANDS:
    cli can-connect-to-database | create-database | drop-database
`;

const CLI_COMMANDS = new Set(["can-connect-to-database", "create-database", "drop-database"]);

export function parseArgs(argv) {
  const options = { datamodels: [], datasource: undefined, cli: undefined, version: false, help: false };
  for (let i = 0; i < argv.length; i++) {
    let arg = argv[i];
    let inline;
    if (arg.startsWith("--") && arg.includes("=")) {
      inline = arg.slice(arg.indexOf("=") + 1);
      arg = arg.slice(0, arg.indexOf("="));
    }
    const value = () => {
      if (inline !== undefined) return inline;
      if (i + 1 >= argv.length) throw new Error(`Missing value for ${arg}`);
      return argv[++i];
    };
    switch (arg) {
      case "-d":
      case "--datamodel":
      case "--datamodels":
        options.datamodels.push(value());
        // `--datamodels a b c` (several values after one flag) is accepted too.
        while (inline === undefined && i + 1 < argv.length && !argv[i + 1].startsWith("-") && argv[i + 1] !== "cli") {
          options.datamodels.push(argv[++i]);
        }
        break;
      case "--datasource":
        options.datasource = JSON.parse(value());
        break;
      case "--enabled-preview-features":
      case "--extension-types":
        value();
        break;
      case "-V":
      case "--version":
        options.version = true;
        break;
      case "-h":
      case "--help":
        options.help = true;
        break;
      case "cli": {
        const command = argv[++i];
        if (!CLI_COMMANDS.has(command)) throw new Error(`Unknown cli subcommand: ${command ?? "(none)"}`);
        options.cli = command;
        break;
      }
      default:
        throw new Error(`Unexpected argument: ${arg}`);
    }
  }
  return options;
}

async function runCli(command, datasource) {
  const { wasmEngineVersion } = await import("./wasm-engine.mjs");
  // The CLI drops the first stderr line and parses the rest as JSON log lines, so this line is
  // written whatever RUST_LOG says.
  log("INFO", "Starting schema engine CLI", { git_hash: wasmEngineVersion() }, { force: true, target: "schema_engine" });
  const { canConnectToDatabase, createDatabase, dropDatabase } = await import("./db-admin.mjs");
  try {
    const url = datasource?.url;
    let message;
    if (command === "can-connect-to-database") message = await canConnectToDatabase(url);
    else if (command === "create-database") message = `Database '${await createDatabase(url)}' was successfully created.`;
    else {
      await dropDatabase(url);
      message = "The database was successfully dropped.";
    }
    log("INFO", message, {}, { target: "schema_engine" });
    await flushAndExit(0);
  } catch (error) {
    writeLogLine({
      timestamp: new Date().toISOString(),
      level: "ERROR",
      fields: { is_panic: false, error_code: error?.code?.startsWith?.("P") ? error.code : "", message: error?.message ?? String(error) },
      target: "schema_engine::logger",
    });
    await flushAndExit(1);
  }
}

async function main() {
  routeProcessWarnings();
  let options;
  try {
    options = parseArgs(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`${error.message}\n\n${USAGE}`);
    process.exit(2);
  }
  if (options.help) {
    process.stdout.write(USAGE);
    return;
  }
  if (options.version) {
    const { wasmEngineVersion } = await import("./wasm-engine.mjs");
    process.stdout.write(`schema-engine-cli ${wasmEngineVersion()} (wasm bridge)\n`);
    return;
  }
  if (options.cli) {
    await runCli(options.cli, options.datasource);
    return;
  }
  const { startRpcServer } = await import("./rpc-server.mjs");
  startRpcServer({ datamodels: options.datamodels, datasource: options.datasource ?? {} });
}

main().catch((error) => {
  log("ERROR", error?.stack ?? String(error), { is_panic: false }, { force: true });
  flushAndExit(1);
});
