import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import * as path from "node:path";
import { test } from "node:test";

const dir = path.resolve(__dirname, "..", "..", "..", "notebooks");

test("committed notebooks carry no outputs and use the faaslab kernel (npm run strip-notebooks)", () => {
  const names = readdirSync(dir).filter((n) => n.endsWith(".ipynb"));
  assert.ok(names.length > 0);
  for (const name of names) {
    const nb = JSON.parse(readFileSync(path.join(dir, name), "utf8")) as {
      metadata: { kernelspec?: { name?: string } };
      cells: { cell_type: string; outputs?: unknown[]; execution_count?: unknown; source: string[] }[];
    };
    assert.equal(nb.metadata.kernelspec?.name, "faaslab", name);
    for (const cell of nb.cells.filter((c) => c.cell_type === "code")) {
      assert.deepEqual(cell.outputs, [], `${name} has outputs`);
      assert.equal(cell.execution_count, null, `${name} has execution counts`);
      // tslab cells must not export (it breaks the kernel's cell chaining).
      assert.ok(!/^\s*export\s/m.test(cell.source.join("")), `${name} has an export in a cell`);
    }
  }
});
