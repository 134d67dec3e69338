import { readdir } from "node:fs/promises";
import path from "node:path";

/** All .ts files under a folder (tests excluded). */
export async function globby(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries
    .filter((e) => e.isFile() && e.name.endsWith(".ts") && !e.name.endsWith(".test.ts"))
    .map((e) => path.join(e.parentPath, e.name));
}
