/** One staff action as the audit log keeps it: who, what and when. Never changed once written. */
export interface AuditEntry {
  id: string;
  /** ISO time of the action. */
  at: string;
  actor: { sub: string; email?: string };
  /** Dotted lower-case name, e.g. `digest.run`, `announcement.send`. */
  action: string;
  /** What the action was on: a run id, an announcement id, a mission id. */
  targetId: string;
  /** The request's key fields, small. */
  details: Record<string, unknown>;
}

/** The append-only audit log of staff actions. */
export interface AuditLog {
  /** Writes an entry once; writing the same entry again is refused by the store. */
  append(entry: AuditEntry): Promise<void>;
  /** Entries newest first, `limit` at a time; `before` is the `next` of the previous page. */
  list(options: { limit: number; before?: string }): Promise<{ entries: AuditEntry[]; next?: string }>;
}
