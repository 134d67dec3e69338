/**
 * sst.config.ts and infra/*.ts evaluated without AWS: SST's globals ($config, $app, $interpolate,
 * sst.*, aws.*) are replaced by a recording stand-in. Every constructor records
 * { type, name, args, opts } and returns a proxy whose properties are references
 * ({ ref: "<type>:<name>.<prop>" }), so the test sees what the config wires to what.
 */
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";

type Ref = { ref: string };
type Recorded = { type: string; name: string; args: Record<string, unknown>; opts?: Record<string, unknown>; self: object };
type Interpolated = { interpolate: string[]; values: unknown[] };

const root = path.resolve(import.meta.dirname, "../..");
let records: Recorded[] = [];
const recordOf = new WeakMap<object, Recorded>();

function resource(type: string) {
  return class {
    constructor(name: string, args?: unknown, opts?: Record<string, unknown>) {
      // sst.Secret(name, placeholder?) takes a string, not an args object.
      const recorded = type === "sst.Secret" ? { placeholder: args } : ((args ?? {}) as Record<string, unknown>);
      const rec: Recorded = { type, name, args: recorded, opts, self: {} };
      const self = new Proxy(
        {},
        {
          get: (_target, prop) =>
            typeof prop === "symbol" || prop === "then" || prop === "toJSON" ? undefined : ({ ref: `${type}:${name}.${prop}` } satisfies Ref),
        },
      );
      rec.self = self;
      records.push(rec);
      recordOf.set(self, rec);
      return self;
    }
  };
}

const globals = {
  $config: (config: unknown) => config,
  $interpolate: (strings: TemplateStringsArray, ...values: unknown[]): Interpolated => ({ interpolate: [...strings], values }),
  $concat: (...values: unknown[]) => ({ concat: values }),
  $output: (value: unknown) => ({ output: value }),
  $resolve: (value: unknown) => ({ resolve: value }),
  sst: {
    Secret: resource("sst.Secret"),
    aws: {
      Vpc: resource("sst.aws.Vpc"),
      Postgres: resource("sst.aws.Postgres"),
      Bucket: resource("sst.aws.Bucket"),
      Nextjs: resource("sst.aws.Nextjs"),
      Function: resource("sst.aws.Function"),
    },
  },
  aws: {
    s3: { BucketServerSideEncryptionConfiguration: resource("aws.s3.BucketServerSideEncryptionConfiguration") },
    lambda: { Invocation: resource("aws.lambda.Invocation") },
  },
};

type SstConfig = {
  app: (input: { stage: string }) => Record<string, unknown> & { providers: { aws: { region: string } } };
  run: () => Promise<Record<string, unknown>>;
};

// Deploy-time settings read from the shell: cleared so a developer's environment cannot leak in.
const DEPLOY_ENV = ["SUPER_SELLER_DOMAIN", "SUPER_SELLER_APP_URL", "SUPER_SELLER_AWS_REGION", "INNGEST_BASE_URL", "OTEL_EXPORTER_OTLP_ENDPOINT"];

async function evaluate(stage: string, env: Record<string, string | undefined> = {}) {
  records = [];
  for (const k of DEPLOY_ENV) vi.stubEnv(k, undefined);
  for (const [k, v] of Object.entries(env)) vi.stubEnv(k, v);
  const config = (await importConfig()).default as unknown as SstConfig;
  const app = config.app({ stage });
  (globalThis as Record<string, unknown>).$app = { name: app.name, stage, providers: app.providers };
  const outputs = await config.run();
  vi.unstubAllEnvs();
  return { app, outputs, records: [...records] };
}

const only = (recs: Recorded[], type: string) => {
  const found = recs.filter((r) => r.type === type);
  expect(found, type).toHaveLength(1);
  return found[0]!;
};

/** Applies a component's `transform.<key>` to SST's own defaults, as SST does. */
function transformed(rec: Recorded, key: string, defaults: Record<string, unknown>) {
  const args = { ...defaults };
  const fn = (rec.args.transform as Record<string, (a: Record<string, unknown>) => void> | undefined)?.[key];
  expect(fn, `${rec.name} transform.${key}`).toBeTypeOf("function");
  fn!(args);
  return args;
}

/** Secret-like names of src/env.js: what must reach the app only as an sst.Secret. */
function secretLikeEnvNames() {
  const source = readFileSync(path.join(root, "src/env.js"), "utf8");
  const server = source.slice(source.indexOf("server: {"), source.indexOf("client: {"));
  const names = [...server.matchAll(/^\s{4}([A-Z][A-Z0-9_]*):/gm)].map((m) => m[1]!);
  expect(names.length).toBeGreaterThan(50); // the parser still reads env.js
  return names.filter((n) => /SECRET|_KEY|_KEYS|TOKEN$|PASSWORD|HEADERS|CLIENT_ID|APP_ID|PARTNER_ID|^REDIS_URL$/.test(n)).sort();
}

// Imported by computed path: the main tsconfig leaves SST's files to tsconfig.sst.json (their
// globals only exist in .sst/platform), so tsc must not follow these imports from here.
const importConfig = () => import(/* @vite-ignore */ path.join(root, "sst.config.ts")) as Promise<{ default: unknown }>;
const importInfra = (name: string) => import(/* @vite-ignore */ path.join(root, "infra", `${name}.ts`)) as Promise<unknown>;

const savedGlobals: Record<string, unknown> = {};
beforeAll(() => {
  for (const [k, v] of Object.entries(globals)) {
    savedGlobals[k] = (globalThis as Record<string, unknown>)[k];
    (globalThis as Record<string, unknown>)[k] = v;
  }
});
afterAll(() => {
  for (const k of [...Object.keys(globals), "$app"]) delete (globalThis as Record<string, unknown>)[k];
});

describe("sst.config.ts", () => {
  it("app(): super-seller on AWS in São Paulo; production retains and protects, other stages remove", async () => {
    for (const k of DEPLOY_ENV) vi.stubEnv(k, undefined);
    const config = (await importConfig()).default as unknown as SstConfig;
    const prod = config.app({ stage: "production" });
    expect(prod).toMatchObject({ name: "super-seller", home: "aws", removal: "retain", protect: true });
    expect(prod.providers.aws.region).toBe("sa-east-1");
    const dev = config.app({ stage: "dev" });
    expect(dev).toMatchObject({ removal: "remove", protect: false });
    vi.stubEnv("SUPER_SELLER_AWS_REGION", "us-east-1");
    expect(config.app({ stage: "dev" }).providers.aws.region).toBe("us-east-1");
    vi.unstubAllEnvs();
  });

  it("deploy-time settings from the shell reach the app as plain (non-secret) values", async () => {
    const { records: recs, outputs } = await evaluate("staging", {
      SUPER_SELLER_APP_URL: "https://d123.cloudfront.net",
      INNGEST_BASE_URL: "https://inngest.example.com",
      OTEL_EXPORTER_OTLP_ENDPOINT: "https://otel.example.com",
    });
    const web = only(recs, "sst.aws.Nextjs");
    expect(web.args.domain).toBeUndefined();
    expect(web.args.environment).toMatchObject({
      APP_URL: "https://d123.cloudfront.net",
      INNGEST_BASE_URL: "https://inngest.example.com",
      OTEL_EXPORTER_OTLP_ENDPOINT: "https://otel.example.com",
    });
    expect(outputs.url).toBe("https://d123.cloudfront.net");
  });

  for (const stage of ["dev", "production"] as const) {
    describe(`run() for ${stage}`, () => {
      const isProduction = stage === "production";
      let result: Awaited<ReturnType<typeof evaluate>>;
      beforeAll(async () => {
        result = await evaluate(stage, { SUPER_SELLER_DOMAIN: isProduction ? "app.example.com.br" : undefined });
      });

      it("a VPC with private subnets behind a NAT, no bastion", () => {
        const vpc = only(result.records, "sst.aws.Vpc");
        expect(vpc.args.nat).toBe(isProduction ? "managed" : "ec2");
        expect(vpc.args.bastion).toBe(false);
      });

      it("PostgreSQL 16/17 in the VPC, private, encrypted, backed up daily, behind RDS Proxy", () => {
        const vpc = only(result.records, "sst.aws.Vpc");
        const db = only(result.records, "sst.aws.Postgres");
        expect(db.args.vpc).toBe(vpc.self);
        expect(db.args.proxy).toBe(true);
        expect(transformed(db, "proxy", {}).requireTls).toBe(true);
        expect(String(db.args.version)).toMatch(/^1[67](\.|$)/);
        // SST's own defaults for the instance, then our transform.
        const instance = transformed(db, "instance", { skipFinalSnapshot: true, storageEncrypted: true, backupRetentionPeriod: 7 });
        expect(instance.storageEncrypted).toBe(true);
        expect(instance.publiclyAccessible).toBe(false);
        expect(instance.backupRetentionPeriod).toBeGreaterThanOrEqual(7);
        expect(instance.backupWindow).toMatch(/^\d\d:\d\d-\d\d:\d\d$/);
        expect(instance.deletionProtection).toBe(isProduction);
        expect(instance.skipFinalSnapshot).toBe(!isProduction);
        if (isProduction) expect(instance.finalSnapshotIdentifier).toEqual(expect.any(String));
      });

      it("the media bucket is private and encrypted, versioned in production", () => {
        const bucket = only(result.records, "sst.aws.Bucket");
        expect(bucket.args.public).toBeUndefined();
        expect(bucket.args.access).toBeUndefined();
        expect(bucket.args.transform).not.toHaveProperty("publicAccessBlock");
        expect(bucket.args.versioning).toBe(isProduction);
        expect(bucket.args.cors).toBe(false);
        expect(transformed(bucket, "bucket", { forceDestroy: true }).forceDestroy).toBe(!isProduction);
        const sse = only(result.records, "aws.s3.BucketServerSideEncryptionConfiguration");
        expect(sse.args.bucket).toEqual({ ref: "sst.aws.Bucket:Media.name" });
        expect(sse.args.rules).toEqual([expect.objectContaining({ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } })]);
      });

      it("every secret-like variable of src/env.js is an sst.Secret linked to the app and passed only by reference", () => {
        const web = only(result.records, "sst.aws.Nextjs");
        const environment = web.args.environment as Record<string, unknown>;
        const link = web.args.link as object[];
        const secrets = result.records.filter((r) => r.type === "sst.Secret");
        const expected = secretLikeEnvNames();
        // Each secret-like name of env.js arrives as exactly the `.value` of a linked sst.Secret.
        for (const envName of expected) {
          const value = environment[envName] as Ref | undefined;
          expect(value, `${envName} missing from the app's environment`).toBeDefined();
          const match = /^sst\.Secret:(\w+)\.value$/.exec(value!.ref ?? "");
          expect(match, `${envName} is not a secret reference`).not.toBeNull();
          const secret = secrets.find((s) => s.name === match![1]);
          expect(secret, envName).toBeDefined();
          expect(link).toContain(secret!.self);
        }
        expect(secrets.map((s) => s.name).sort()).toHaveLength(expected.length);
        // The required ones have no placeholder (a deploy without them stops); the rest default to "".
        const required = secrets.filter((s) => s.args.placeholder === undefined).map((s) => s.name).sort();
        expect(required).toEqual(["AuthSecret", "InngestEventKey", "InngestSigningKey", "TokenEncryptionKey"]);
        for (const s of secrets) expect([undefined, ""]).toContain(s.args.placeholder);
        // No plain string in the environment is a secret: only the documented non-secret settings.
        const plain = Object.entries(environment).filter(([, v]) => typeof v === "string").map(([k]) => k);
        for (const k of plain) expect(expected).not.toContain(k);
        // The public provider sandboxes (Stripe double included) are the demo's, never production's.
        expect(environment.ENABLE_SANDBOXES).toBe(isProduction ? "0" : "1");
        expect(plain.sort()).toEqual(
          [
            "DATABASE_POOL_MAX",
            "ENABLE_SANDBOXES",
            "JOBS_MODE",
            "MEDIA_S3_REGION",
            "OTEL_SERVICE_NAME",
            ...(isProduction ? ["APP_URL"] : []),
          ].sort(),
        );
      });

      it("the app is in the VPC, linked to the database and the bucket, with the environment env.js needs", () => {
        const web = only(result.records, "sst.aws.Nextjs");
        const env = web.args.environment as Record<string, unknown>;
        expect(web.args.vpc).toBe(only(result.records, "sst.aws.Vpc").self);
        expect(web.args.link).toContain(only(result.records, "sst.aws.Postgres").self);
        expect(web.args.link).toContain(only(result.records, "sst.aws.Bucket").self);
        expect(env.DATABASE_POOL_MAX).toBe("2");
        expect(env.JOBS_MODE).toBe("inngest");
        expect(env.MEDIA_S3_BUCKET).toEqual({ ref: "sst.aws.Bucket:Media.name" });
        expect(env.MEDIA_S3_REGION).toBe("sa-east-1");
        const url = env.DATABASE_URL as Interpolated;
        expect(url.interpolate[0]).toBe("postgresql://");
        expect(url.values).toEqual(
          ["username", "password", "host", "port", "database"].map((p) => ({ ref: `sst.aws.Postgres:Database.${p}` })),
        );
        // host is the proxy's endpoint when proxy: true (SST's Postgres.host)
        expect(url.interpolate.at(-1)).toContain("sslmode=");
        if (isProduction) {
          expect(web.args.domain).toBe("app.example.com.br");
          expect(env.APP_URL).toBe("https://app.example.com.br");
        } else {
          expect(env.APP_URL).toBeUndefined();
        }
      });

      it("the migrator runs in the VPC on every deploy that changes prisma/migrations, before the app", async () => {
        const fn = only(result.records, "sst.aws.Function");
        expect(fn.args.vpc).toBe(only(result.records, "sst.aws.Vpc").self);
        expect(fn.args.link).toEqual([only(result.records, "sst.aws.Postgres").self]);
        expect(fn.args.handler).toBe("infra/functions/migrate.handler");
        expect(fn.args.copyFiles).toEqual([{ from: "prisma/migrations", to: "migrations" }]);
        const invocation = only(result.records, "aws.lambda.Invocation");
        expect(invocation.args.functionName).toEqual({ ref: "sst.aws.Function:Migrator.name" });
        const { migrationsHash } = (await importInfra("migrations")) as { migrationsHash: (dir?: string) => string };
        expect((invocation.args.triggers as Record<string, unknown>).migrations).toBe(migrationsHash());
        expect(only(result.records, "sst.aws.Nextjs").opts?.dependsOn).toContain(invocation.self);
      });

      it("outputs the URLs to register: app, Inngest, Stripe, every provider's redirect and webhooks", () => {
        const o = result.outputs as Record<string, Interpolated | Ref | string>;
        const base = isProduction ? "https://app.example.com.br" : { ref: "sst.aws.Nextjs:Web.url" };
        expect(o.url).toEqual(base);
        expect(o.inngestServeUrl).toEqual({ interpolate: ["", "/api/inngest"], values: [base] });
        expect(o.stripeWebhookUrl).toEqual({ interpolate: ["", "/api/v1/webhooks/stripe"], values: [base] });
        expect(o.mercadolivreRedirectUrl).toEqual({ interpolate: ["", "/api/v1/auth/", "/callback"], values: [base, "mercadolivre"] });
        expect(o.instagramWebhookUrl).toEqual({ interpolate: ["", "/api/v1/webhooks/", ""], values: [base, "instagram"] });
        expect(o.mediaBucket).toEqual({ ref: "sst.aws.Bucket:Media.name" });
        expect(o.databaseProxyHost).toEqual({ ref: "sst.aws.Postgres:Database.host" });
      });
    });
  }

  it("the provider slugs in the outputs are the app's", async () => {
    const { PROVIDER_URL_SLUGS } = (await importInfra("providers")) as { PROVIDER_URL_SLUGS: readonly string[] };
    // Read from the source: importing the module would validate the whole app environment.
    const source = readFileSync(path.join(root, "src/server/services/connectors/connectors.ts"), "utf8");
    const block = /PROVIDER_SLUGS[^=]*=\s*\{([^}]*)\}/.exec(source)?.[1] ?? "";
    const slugs = [...block.matchAll(/:\s*"([^"]+)"/g)].map((m) => m[1]);
    expect(slugs.length).toBeGreaterThanOrEqual(5);
    expect([...PROVIDER_URL_SLUGS].sort()).toEqual(slugs.sort());
  });

  it("the migrations hash changes when a migration is added or edited", async () => {
    const { migrationsHash } = (await importInfra("migrations")) as { migrationsHash: (dir?: string) => string };
    const dir = mkdtempSync(path.join(tmpdir(), "ss-migrations-"));
    cpSync(path.join(root, "prisma/migrations"), dir, { recursive: true });
    const before = migrationsHash(dir);
    expect(before).toBe(migrationsHash(path.join(root, "prisma/migrations")));
    const first = path.join(dir, "20261126051352_init", "migration.sql");
    writeFileSync(first, readFileSync(first, "utf8") + "\n-- edited\n");
    const edited = migrationsHash(dir);
    expect(edited).not.toBe(before);
    cpSync(path.join(dir, "20261126051352_init"), path.join(dir, "29990101000000_new"), { recursive: true });
    expect(migrationsHash(dir)).not.toBe(edited);
  });
});
