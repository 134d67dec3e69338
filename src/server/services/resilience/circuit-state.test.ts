import { describe, expect, it } from "vitest";

import { ConnectorError, providerHealthOf } from "~/server/connectors/common";
import { admission, afterFailure, afterSuccess, claimProbe, CLOSED_ROW, reopenDelayMs, type CircuitRow } from "./circuit-state";

const config = { openMs: 60_000, maxOpenMs: 600_000, probeLeaseMs: 30_000 };
const t0 = new Date("2026-11-27T12:00:00.000Z");
const at = (ms: number) => new Date(t0.getTime() + ms);

function failTimes(n: number, threshold = 3, start: CircuitRow | null = null) {
  let row = start;
  let opened = false;
  for (let i = 0; i < n; i++) {
    const next = afterFailure(row, { now: t0, threshold, probe: false, code: "http_500" }, config);
    row = next.row;
    opened ||= next.opened;
  }
  return { row: row!, opened };
}

describe("circuit breaker state machine", () => {
  it("stays closed below the threshold and opens on the threshold-th consecutive failure", () => {
    expect(failTimes(2).row).toMatchObject({ state: "CLOSED", failures: 2, lastErrorCode: "http_500" });
    const { row, opened } = failTimes(3);
    expect(opened).toBe(true);
    expect(row).toMatchObject({ state: "OPEN", failures: 3, openedCount: 1 });
    expect(row.reopenAt).toEqual(at(60_000));
  });

  it("a success in between resets the count (consecutive failures only)", () => {
    const two = failTimes(2).row;
    const reset = afterSuccess(two, { probe: false });
    expect(reset).toMatchObject({ closed: false, row: { state: "CLOSED", failures: 0 } });
    expect(failTimes(2, 3, reset!.row).row.state).toBe("CLOSED");
    // A clean closed breaker needs no write at all.
    expect(afterSuccess(CLOSED_ROW, { probe: false })).toBeNull();
    expect(afterSuccess(null, { probe: false })).toBeNull();
  });

  it("blocks while open, then admits one probe; others wait for the probe's lease", () => {
    const open = failTimes(3).row;
    expect(admission(open, at(59_999))).toEqual({ kind: "blocked", until: at(60_000) });
    expect(admission(open, at(60_000))).toEqual({ kind: "probe" });
    const probing = claimProbe(open, at(60_000), config);
    expect(probing).toMatchObject({ state: "HALF_OPEN", probeUntil: at(90_000) });
    expect(admission(probing, at(61_000))).toEqual({ kind: "blocked", until: at(90_000) });
    // A probe holder that died: after its lease someone else may probe.
    expect(admission(probing, at(90_000))).toEqual({ kind: "probe" });
  });

  it("a successful probe closes it; a failed probe reopens with a doubled window", () => {
    const probing = claimProbe(failTimes(3).row, at(60_000), config);
    expect(afterSuccess(probing, { probe: true })).toEqual({ closed: true, row: CLOSED_ROW });
    // Not the probe holder (a call admitted before it opened): a late success changes nothing.
    expect(afterSuccess(probing, { probe: false })).toBeNull();

    const reopened = afterFailure(probing, { now: at(61_000), threshold: 3, probe: true, code: "timeout" }, config);
    expect(reopened.opened).toBe(true);
    expect(reopened.row).toMatchObject({ state: "OPEN", openedCount: 2, probeUntil: null, lastErrorCode: "timeout" });
    expect(reopened.row.reopenAt).toEqual(at(61_000 + 120_000));
    const again = afterFailure(claimProbe(reopened.row, at(181_000), config), { now: at(181_000), threshold: 3, probe: true, code: "timeout" }, config);
    expect(again.row.reopenAt).toEqual(at(181_000 + 240_000));
  });

  it("a late failure of a call that is not the probe only counts", () => {
    const open = failTimes(3).row;
    const late = afterFailure(open, { now: at(1000), threshold: 3, probe: false, code: "http_502" }, config);
    expect(late.opened).toBe(false);
    expect(late.row).toMatchObject({ state: "OPEN", failures: 4, reopenAt: open.reopenAt, openedCount: 1 });
  });

  it("the reopen window doubles (cockatiel's exponential backoff, no jitter) up to the maximum", () => {
    expect([1, 2, 3, 4, 5, 6].map((n) => reopenDelayMs(n, config))).toEqual([60_000, 120_000, 240_000, 480_000, 600_000, 600_000]);
  });

  it("classifies provider errors: outages count, business answers do not", () => {
    expect(providerHealthOf(new ConnectorError("transient", "503"))).toBe("down");
    expect(providerHealthOf(new ConnectorError("outcome_unknown", "lost"))).toBe("down");
    expect(providerHealthOf(new ConnectorError("refused", "validation"))).toBe("up");
    expect(providerHealthOf(new ConnectorError("not_found", "gone"))).toBe("up");
    expect(providerHealthOf(new ConnectorError("unauthorized", "401"))).toBe("up");
    expect(providerHealthOf(new ConnectorError("rate_limited", "429"))).toBe("unknown");
    expect(providerHealthOf(new TypeError("bug of ours"))).toBe("unknown");
  });
});
