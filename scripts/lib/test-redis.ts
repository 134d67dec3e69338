/**
 * A Redis for the tests that check the shared (Redis-backed) rate limits: TEST_REDIS_URL when set,
 * else the machine's Redis on 127.0.0.1:6379, else a throw-away `redis-server` (Debian's
 * redis-server package) on a free port, started for the run and stopped with it. With none of
 * these, the Redis tests fail and say how to get one (`.ci/run` installs redis-server).
 */
import { execFileSync } from "node:child_process";
import net from "node:net";

import { isPortFree, spawnLongRunning, waitForPort } from "./process";

export type TestRedis = { url: string; label: string } | null;

/** True when a Redis answers PING at host:port within a second. */
function answersPing(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    socket.setTimeout(1000);
    const done = (ok: boolean) => (socket.destroy(), resolve(ok));
    socket.once("connect", () => socket.write("PING\r\n"));
    socket.once("data", (data) => done(data.toString().startsWith("+PONG")));
    socket.once("error", () => done(false));
    socket.once("timeout", () => done(false));
  });
}

function hasRedisServer(): boolean {
  try {
    execFileSync("redis-server", ["--version"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

export async function provisionRedis(): Promise<TestRedis> {
  if (process.env.TEST_REDIS_URL) return { url: process.env.TEST_REDIS_URL, label: process.env.TEST_REDIS_URL };
  if (await answersPing("127.0.0.1", 6379)) return { url: "redis://127.0.0.1:6379", label: "the machine's Redis (127.0.0.1:6379)" };
  if (!hasRedisServer()) return null;
  // From 6400: the rate-limit tests use 6390 as a port where no Redis answers.
  let port = 6400;
  while (!(await isPortFree(port, "127.0.0.1")) && port < 6500) port++;
  spawnLongRunning("redis-server", ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"], { label: "redis-server (tests)" });
  await waitForPort(port);
  return { url: `redis://127.0.0.1:${port}`, label: `a throw-away redis-server on port ${port}` };
}
