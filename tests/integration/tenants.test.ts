import { describe, expect, it } from "vitest";

import { callerFor, createOrgFixture, createUser, db, outcome, uniqueEmail } from "./helpers/fixtures";

async function reasonOf(call: () => Promise<unknown>) {
  try {
    await call();
    return "OK";
  } catch (error) {
    const e = error as { code?: string; cause?: { reason?: string } };
    return `${e.code}:${e.cause?.reason ?? ""}`;
  }
}

const auditActions = async (organizationId: string) =>
  (await db.auditLog.findMany({ where: { organizationId }, orderBy: { createdAt: "asc" } })).map((a) => a.action);

describe("organizations", () => {
  it("lets a user belong to several organizations and switch between them", async () => {
    const a = await createOrgFixture("multi");
    const owner = await callerFor(a.users.OWNER.userId);
    const second = await owner.tenants.create({ name: "Segunda Loja" });
    expect((await owner.tenants.current()).organization.id).toBe(second.id);

    const mine = await owner.tenants.mine();
    expect(mine.map((o) => o.id).sort()).toEqual([a.organizationId, second.id].sort());
    expect(mine.find((o) => o.active)?.id).toBe(second.id);

    await owner.tenants.switch({ organizationId: a.organizationId });
    const current = await owner.tenants.current();
    expect(current.organization.id).toBe(a.organizationId);
    expect(current.role).toBe("OWNER");
    expect(current.permissions).toContain("members:manage");
  });

  it("validates updates and records them in the audit log", async () => {
    const a = await createOrgFixture("upd");
    const manager = await callerFor(a.users.MANAGER.userId);
    expect(await outcome(() => manager.tenants.update({ timeZone: "Mars/Olympus" }))).toBe("BAD_REQUEST");
    expect(await outcome(() => manager.tenants.update({}))).toBe("BAD_REQUEST");
    const updated = await manager.tenants.update({ name: "Loja Renovada", timeZone: "America/Manaus" });
    expect(updated).toMatchObject({ name: "Loja Renovada", timeZone: "America/Manaus" });
    expect(await auditActions(a.organizationId)).toContain("organization.updated");
  });
});

describe("invitations", () => {
  it("runs the whole journey: invite, preview, accept as the invited person, land as viewer", async () => {
    const a = await createOrgFixture("inv");
    const owner = await callerFor(a.users.OWNER.userId);
    const email = uniqueEmail("convidada");
    const invitation = await owner.tenants.invitations.create({ email: email.toUpperCase(), role: "VIEWER" });
    expect(invitation.path).toBe(`/invite/${invitation.token}`);
    expect(invitation.email).toBe(email);

    const stored = await db.invitation.findUniqueOrThrow({ where: { id: invitation.id } });
    expect(stored.tokenHash).not.toBe(invitation.token);

    const preview = await (await callerFor(null)).tenants.invitations.preview({ token: invitation.token });
    expect(preview).toMatchObject({ email, role: "VIEWER", state: "open" });

    const invitee = await db.user.create({ data: { email, name: "Convidada", passwordHash: "x" } });
    const inviteeCaller = await callerFor(invitee.id);
    expect(await inviteeCaller.tenants.invitations.accept({ token: invitation.token })).toEqual({ organizationId: a.organizationId, role: "VIEWER" });
    const current = await inviteeCaller.tenants.current();
    expect(current).toMatchObject({ organization: { id: a.organizationId }, role: "VIEWER" });

    // The link works once.
    expect(await reasonOf(() => inviteeCaller.tenants.invitations.accept({ token: invitation.token }))).toBe("PRECONDITION_FAILED:invitation.accepted");
    expect((await (await callerFor(null)).tenants.invitations.preview({ token: invitation.token })).state).toBe("accepted");
    expect(await auditActions(a.organizationId)).toEqual(expect.arrayContaining(["invitation.created", "invitation.accepted"]));
  });

  it("refuses a link used by someone signed in with another e-mail", async () => {
    const a = await createOrgFixture("inv2");
    const owner = await callerFor(a.users.OWNER.userId);
    const invitation = await owner.tenants.invitations.create({ email: uniqueEmail("alvo"), role: "OPERATOR" });
    const stranger = await createUser("Estranho");
    expect(await reasonOf(async () => (await callerFor(stranger.userId)).tenants.invitations.accept({ token: invitation.token }))).toBe(
      "FORBIDDEN:invitationForAnotherEmail",
    );
    expect(await db.membership.count({ where: { userId: stranger.userId } })).toBe(0);
  });

  it("makes a revoked, replaced or expired link useless", async () => {
    const a = await createOrgFixture("inv3");
    const owner = await callerFor(a.users.OWNER.userId);
    const email = uniqueEmail("varias");
    const first = await owner.tenants.invitations.create({ email, role: "VIEWER" });
    const second = await owner.tenants.invitations.create({ email, role: "OPERATOR" });
    const anon = await callerFor(null);
    expect((await anon.tenants.invitations.preview({ token: first.token })).state).toBe("revoked");
    expect((await anon.tenants.invitations.preview({ token: second.token })).state).toBe("open");

    await owner.tenants.invitations.revoke({ invitationId: second.id });
    expect((await anon.tenants.invitations.preview({ token: second.token })).state).toBe("revoked");
    expect(await outcome(() => owner.tenants.invitations.revoke({ invitationId: second.id }))).toBe("NOT_FOUND");

    const third = await owner.tenants.invitations.create({ email, role: "VIEWER" });
    await db.invitation.update({ where: { id: third.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    expect((await anon.tenants.invitations.preview({ token: third.token })).state).toBe("expired");
    const invitee = await db.user.create({ data: { email, name: "Tarde Demais", passwordHash: "x" } });
    expect(await reasonOf(async () => (await callerFor(invitee.id)).tenants.invitations.accept({ token: third.token }))).toBe(
      "PRECONDITION_FAILED:invitation.expired",
    );
    expect(await outcome(() => anon.tenants.invitations.preview({ token: "x".repeat(43) }))).toBe("NOT_FOUND");
  });

  it("does not invite existing members, and only owners invite owners", async () => {
    const a = await createOrgFixture("inv4");
    const manager = await callerFor(a.users.MANAGER.userId);
    expect(await reasonOf(() => manager.tenants.invitations.create({ email: a.users.VIEWER.email, role: "VIEWER" }))).toBe("CONFLICT:alreadyMember");
    expect(await reasonOf(() => manager.tenants.invitations.create({ email: uniqueEmail("dono"), role: "OWNER" }))).toBe(
      "FORBIDDEN:onlyOwnersManageOwners",
    );
    const owner = await callerFor(a.users.OWNER.userId);
    expect(await outcome(() => owner.tenants.invitations.create({ email: uniqueEmail("dono"), role: "OWNER" }))).toBe("OK");
  });
});

describe("roles and members", () => {
  it("lets managers manage non-owners but never touch owners", async () => {
    const a = await createOrgFixture("roles");
    const manager = await callerFor(a.users.MANAGER.userId);
    expect((await manager.tenants.members.changeRole({ membershipId: a.users.VIEWER.membershipId, role: "OPERATOR" })).role).toBe("OPERATOR");
    expect(await reasonOf(() => manager.tenants.members.changeRole({ membershipId: a.users.OPERATOR.membershipId, role: "OWNER" }))).toBe(
      "FORBIDDEN:onlyOwnersManageOwners",
    );
    expect(await reasonOf(() => manager.tenants.members.changeRole({ membershipId: a.users.OWNER.membershipId, role: "VIEWER" }))).toBe(
      "FORBIDDEN:onlyOwnersManageOwners",
    );
    expect(await reasonOf(() => manager.tenants.members.remove({ membershipId: a.users.OWNER.membershipId }))).toBe("FORBIDDEN:onlyOwnersManageOwners");
    const log = await db.auditLog.findFirstOrThrow({ where: { organizationId: a.organizationId, action: "member.role_changed" } });
    expect(log.metadata).toMatchObject({ from: "VIEWER", to: "OPERATOR" });
    expect(log.actorUserId).toBe(a.users.MANAGER.userId);
  });

  it("never leaves an organization without an owner", async () => {
    const a = await createOrgFixture("last");
    const owner = await callerFor(a.users.OWNER.userId);
    expect(await reasonOf(() => owner.tenants.members.changeRole({ membershipId: a.users.OWNER.membershipId, role: "MANAGER" }))).toBe(
      "PRECONDITION_FAILED:lastOwner",
    );
    expect(await reasonOf(() => owner.tenants.leave())).toBe("PRECONDITION_FAILED:lastOwner");
    expect(await reasonOf(() => owner.tenants.members.remove({ membershipId: a.users.OWNER.membershipId }))).toBe("PRECONDITION_FAILED:lastOwner");

    // With a second owner, the first may step down.
    await owner.tenants.members.changeRole({ membershipId: a.users.MANAGER.membershipId, role: "OWNER" });
    expect((await owner.tenants.members.changeRole({ membershipId: a.users.OWNER.membershipId, role: "MANAGER" })).role).toBe("MANAGER");
  });

  it("keeps one owner when two owners demote each other at the same moment", async () => {
    const a = await createOrgFixture("race");
    const first = await callerFor(a.users.OWNER.userId);
    await first.tenants.members.changeRole({ membershipId: a.users.MANAGER.membershipId, role: "OWNER" });
    const second = await callerFor(a.users.MANAGER.userId);
    const results = await Promise.all([
      reasonOf(() => first.tenants.members.changeRole({ membershipId: a.users.MANAGER.membershipId, role: "VIEWER" })),
      reasonOf(() => second.tenants.members.changeRole({ membershipId: a.users.OWNER.membershipId, role: "VIEWER" })),
    ]);
    expect(await db.membership.count({ where: { organizationId: a.organizationId, role: "OWNER" } })).toBe(1);
    expect(results.filter((r) => r === "OK")).toHaveLength(1);
  });

  it("cuts a removed member off at once, even with a live session", async () => {
    const a = await createOrgFixture("cut");
    const operator = await callerFor(a.users.OPERATOR.userId);
    expect(await outcome(() => operator.listings.list({ limit: 10 }))).toBe("OK");
    await (await callerFor(a.users.OWNER.userId)).tenants.members.remove({ membershipId: a.users.OPERATOR.membershipId });
    expect(await reasonOf(() => operator.listings.list({ limit: 10 }))).toBe("PRECONDITION_FAILED:noOrganization");
    expect(await auditActions(a.organizationId)).toContain("member.removed");
  });

  it("lets a member leave and falls back to another organization", async () => {
    const a = await createOrgFixture("leave-a");
    const b = await createOrgFixture("leave-b");
    await db.membership.create({ data: { organizationId: b.organizationId, userId: a.users.VIEWER.userId, role: "OPERATOR" } });
    const viewer = await callerFor(a.users.VIEWER.userId);
    await viewer.tenants.leave();
    const current = await viewer.tenants.current();
    expect(current).toMatchObject({ organization: { id: b.organizationId }, role: "OPERATOR" });
    expect(await auditActions(a.organizationId)).toContain("member.left");
  });
});

describe("audit log", () => {
  it("pages through entries newest first with a cursor", async () => {
    const a = await createOrgFixture("audit");
    const owner = await callerFor(a.users.OWNER.userId);
    for (let i = 0; i < 5; i++) await owner.tenants.update({ name: `Nome ${i}` });
    const first = await owner.tenants.audit({ limit: 4 });
    expect(first.items).toHaveLength(4);
    expect(first.nextCursor).not.toBeNull();
    const second = await owner.tenants.audit({ limit: 4, cursor: first.nextCursor! });
    const all = [...first.items, ...second.items];
    expect(new Set(all.map((e) => e.id)).size).toBe(all.length);
    expect(all.length).toBe(6);
    expect(all.map((e) => e.createdAt.getTime())).toEqual([...all.map((e) => e.createdAt.getTime())].sort((x, y) => y - x));
  });
});
