// Integration tests talk to a real PostgreSQL database that `npm test` creates, migrates and drops.
if (!process.env.DATABASE_URL) {
  throw new Error(
    "DATABASE_URL is not set. Run `npm test` (it creates a fresh, migrated database for the run) " +
      "or point DATABASE_URL at a migrated scratch database.",
  );
}
