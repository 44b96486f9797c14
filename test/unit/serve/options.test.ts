import assert from "node:assert/strict";
import { test } from "node:test";
import { ConfigError } from "../../../lib";
import { isLoopback, resolveServeOptions } from "../../../lib/serve/options";

test("loopback addresses are 127.0.0.0/8, ::1 and localhost; everything else is not", () => {
  for (const host of ["127.0.0.1", "127.1.2.3", "::1", "[::1]", "localhost", "LOCALHOST", "::ffff:127.0.0.1"])
    assert.equal(isLoopback(host), true, host);
  for (const host of ["0.0.0.0", "::", "10.0.0.1", "192.168.1.2", "example.com", "128.0.0.1", "::2"])
    assert.equal(isLoopback(host), false, host);
});

test("defaults: 127.0.0.1, a free port, no token", () => {
  const resolved = resolveServeOptions();
  assert.equal(resolved.host, "127.0.0.1");
  assert.equal(resolved.port, 0);
  assert.equal(resolved.token, null);
  assert.equal(resolved.generated, false);
});

test("off loopback a missing token is generated (fresh each time); a given one is kept", () => {
  const a = resolveServeOptions({ host: "0.0.0.0" });
  const b = resolveServeOptions({ host: "0.0.0.0" });
  assert.equal(a.generated, true);
  assert.match(a.token ?? "", /^[A-Za-z0-9_-]{32}$/);
  assert.notEqual(a.token, b.token);
  const given = resolveServeOptions({ host: "10.1.2.3", token: "0123456789abcdef" });
  assert.equal(given.generated, false);
  assert.equal(given.token, "0123456789abcdef");
});

test("every bad option is named at once", () => {
  assert.throws(
    () => resolveServeOptions({ port: 1.5, host: "", token: "has space in it!", drainMs: -1 }),
    (e: unknown) => e instanceof ConfigError && e.problems.length === 4,
  );
});
