export interface Migration {
  /** Sortable, unique, never renamed once shipped: "001-labs", "002-progress". */
  id: string;
  /** Plain SQL, run once inside a transaction. */
  sql: string;
}
