import { describe, expect, it } from "vitest";

import { can, minimumRole, PERMISSIONS, permissionsOf, ROLE_RANK, ROLES } from "./permissions";

describe("permission table", () => {
  it("gives owners every permission", () => {
    expect(permissionsOf("OWNER").sort()).toEqual(Object.keys(PERMISSIONS).sort());
  });

  it("is monotonic: a higher role holds everything a lower one does", () => {
    for (const permission of Object.keys(PERMISSIONS) as (keyof typeof PERMISSIONS)[]) {
      for (const low of ROLES) {
        for (const high of ROLES) {
          if (ROLE_RANK[high] > ROLE_RANK[low] && can(low, permission)) expect(can(high, permission), `${high} ${permission}`).toBe(true);
        }
      }
    }
  });

  it("keeps viewers read-only and lets operators approve actions but not manage members", () => {
    expect(permissionsOf("VIEWER").every((p) => p.endsWith(":read"))).toBe(true);
    expect(can("OPERATOR", "actions:approve")).toBe(true);
    expect(can("VIEWER", "actions:approve")).toBe(false);
    expect(can("OPERATOR", "members:manage")).toBe(false);
    expect(minimumRole("billing:manage")).toBe("OWNER");
  });
});
