// Payloads JSON cannot carry are refused before anything is sent, with the path of the bad value —
// for single calls and for experiments (whose meta.json would otherwise fail raw).
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { test } from "node:test";
import { cloudFunction, experiment, load } from "../../lib";
import { ConfigError, FaasLabError } from "../../lib/errors";
import { localSuite } from "../helpers/suite";

const { workspace, ledger } = localSuite("payload-errors");

const echo = cloudFunction("payload_echo", async (payload: unknown) => ({ pid: process.pid, payload }));

test("a BigInt or circular payload rejects with a FaasLabError naming its path; the function keeps working", async () => {
  ledger.add((await echo({ ok: 1 })).pid);
  await assert.rejects(echo({ a: { b: 5n } }), (error: unknown) => {
    assert.ok(error instanceof FaasLabError, String(error));
    assert.equal(error.code, "PAYLOAD_NOT_SERIALIZABLE");
    assert.match(error.message, /payload\.a\.b is a BigInt/);
    return true;
  });
  const loop: Record<string, unknown> = { id: 1 };
  loop.next = { back: loop };
  await assert.rejects(echo.invoke(loop), /payload\.next\.back is circular: it is payload again/);
  const after = await echo({ still: "works" });
  ledger.add(after.pid);
  assert.deepEqual(after.payload, { still: "works" });
});

test("what JSON changes arrives changed, as documented (Date → ISO string, Map → {}, NaN → null)", async () => {
  const back = await echo({ when: new Date(0), map: new Map([["k", 1]]), nan: NaN, gone: undefined });
  ledger.add(back.pid);
  assert.deepEqual(back.payload, { when: "1970-01-01T00:00:00.000Z", map: {}, nan: null });
});

test("experiment payloads are refused up front, all at once, and no experiment folder is written", async () => {
  const loop: Record<string, unknown> = {};
  loop.self = loop;
  await assert.rejects(
    experiment(echo, { name: "bad_payloads", payloads: [{ n: 1n }, { fine: true }, loop] }),
    (error: unknown) => {
      assert.ok(error instanceof ConfigError, String(error));
      assert.deepEqual(error.problems, [
        "payloads[0].n is a BigInt",
        "payloads[2].self is circular: it is payloads[2] again",
      ]);
      return true;
    },
  );
  const folder = path.join(workspace, "functions", "payload_echo", "experiments", "bad_payloads");
  assert.equal(fs.existsSync(folder), false);
  const good = await experiment(echo, { name: "good_payloads", payloads: [{ when: new Date(0) }] });
  good.rows.forEach((row) => ledger.add(row["result.pid"] ?? row.pid));
  assert.equal(good.rows.length, 1);
  assert.deepEqual(load(echo, "good_payloads").meta.options.payloads, [{ when: "1970-01-01T00:00:00.000Z" }]);
});
