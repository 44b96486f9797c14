import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { systemClock } from "../../../lib/clock";
import { defaultsFile } from "../../../lib/config/defaults";
import { buildKeys, validateConfig } from "../../../lib/config/schema";
import type { Capability } from "../../../lib/platform";
import { platformModule, platformNames } from "../../../lib/registry";

const OPERATIONS: Capability[] = ["deploy", "attach", "reconfigure", "forceColdStart", "list", "remove"];

for (const name of platformNames()) {
  test(`${name}: declared capabilities are exactly the operations its platform object has`, () => {
    const module = platformModule(name);
    const platform = module.create({ clock: systemClock, log: () => undefined, workspace: () => "/tmp" });
    assert.equal(platform.name, name);
    for (const op of OPERATIONS) {
      const has = typeof (platform as unknown as Record<string, unknown>)[op] === "function";
      assert.equal(
        module.capabilities.includes(op),
        has,
        `${name}.${op}: declared ${!has}, implemented ${has}`,
      );
    }
    assert.equal(
      module.shimEntry === null,
      !module.capabilities.includes("deploy"),
      "a shim exactly when it deploys",
    );
  });

  test(`${name}: defaults.json is valid against the schema; build keys come from the schema`, () => {
    const module = platformModule(name);
    const { prices: _prices, ...knobs } = JSON.parse(readFileSync(defaultsFile(name), "utf8")) as Record<
      string,
      unknown
    >;
    assert.deepEqual(validateConfig(module.schema, knobs), []);
    assert.deepEqual(module.buildKeys, buildKeys(module.schema));
    assert.match(module.buildTarget(knobs), /^node\d+$/);
  });
}

test("the registry lists the built-in platforms, the default first", () => {
  assert.deepEqual(platformNames().slice(0, 2), ["local", "aws"]);
});

test("aws bundles for the Node of its configured runtime, not the notebook's", () => {
  const aws = platformModule("aws");
  assert.equal(aws.buildTarget({ runtime: "nodejs22.x" }), "node22");
  assert.equal(aws.buildTarget({ runtime: "nodejs24.x" }), "node24");
});
