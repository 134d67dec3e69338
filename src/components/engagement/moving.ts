/** Something is waiting for a background function (a reply being sent, a hide being applied): keep refreshing until it settles. */
export function isMoving(row: { delivery: string | null; visibility: string }) {
  return row.delivery === "PENDING" || row.delivery === "SENDING" || row.visibility === "hiding" || row.visibility === "unhiding";
}
