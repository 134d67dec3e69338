/**
 * What unit tests of the jobs module mock `~/env` with: no database is reachable there and
 * `createEnv` would refuse the missing DATABASE_URL.
 */
export const unitEnv = {
  NODE_ENV: "test",
  DATABASE_URL: "postgresql://unit@127.0.0.1:1/unit",
  JOBS_MODE: "auto",
  JOBS_CONCURRENCY: 5,
  JOBS_LOCAL_RUNNER: false,
  LOG_LEVEL: "silent",
} as const;
