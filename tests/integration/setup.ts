// Integration tests that touch the database import tests/integration/helpers/fixtures.ts, which
// explains what to do when DATABASE_URL is missing. Connector tests (HTTP against the sandboxes)
// need no database and run without it.
export {};
