/**
 * How many rows an experiment keeps in memory. A run keeps its rows (and its result is a plain array,
 * as fast as ever) while their JSON text stays within `inMemoryChars`; past that it drops them and its
 * result pages them from runs.jsonl, `pageRows` rows at a time, caching `cachedPages` pages. load()
 * reads a journal of up to `inMemoryChars` bytes into memory and pages a larger one the same way.
 * Tests lower these numbers to page small experiments.
 */
export const rowBudget = {
  inMemoryChars: 96 * 2 ** 20,
  pageRows: 4096,
  cachedPages: 4,
};
