import type { DeployedFunction, ListProblem } from "../function/cleanup";

const HEADER = ["NAME", "PLATFORM", "FOUND IN", "LOCATION", "DEPLOYED"];

/** Deployed functions as an aligned text table, one per line. */
export function deployedTable(functions: DeployedFunction[]): string {
  const rows = functions.map((f) => [
    f.functionName,
    f.platform,
    f.foundIn,
    f.location ?? "-",
    f.deployedAt ?? "-",
  ]);
  const widths = HEADER.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  return [HEADER, ...rows]
    .map((row) =>
      row
        .map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i])))
        .join("  ")
        .trimEnd(),
    )
    .join("\n");
}

/** "3 functions" / "1 function". */
export function count(n: number): string {
  return `${n} function${n === 1 ? "" : "s"}`;
}

/** The warnings for platforms that could not be asked (printed on stderr). */
export function problemLines(problems: ListProblem[]): string[] {
  return problems.map((p) => `warning: ${p.message} (functions there may be missing from this list)`);
}

/** JSON-friendly problems: the error's message and code, not its object. */
export function problemsJson(
  problems: ListProblem[],
): { platform: string | null; code: string; message: string }[] {
  return problems.map((p) => ({ platform: p.platform, code: p.error.code, message: p.message }));
}
