// LabelFilter -> Docker's "label" filter list: {k: "v"} means k=v, {k: true} means "has label k".
import type { LabelFilter } from '../runtime/container-runtime.ts';

export function labelFilters(filter: LabelFilter): string[] {
  return Object.entries(filter).map(([k, v]) => (v === true ? k : `${k}=${v}`));
}
