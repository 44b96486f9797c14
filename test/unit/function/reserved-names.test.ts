// Windows device names (CON, NUL, AUX, COM1 …) cannot name a folder there, in any case and with any
// extension: function and experiment names that are one are refused with that reason.
import { test } from "node:test";
import assert from "node:assert/strict";
import { cloudFunction, ConfigError } from "../../../lib";
import { experimentNameProblem, validateExperimentName } from "../../../lib/experiment/store/names";

const RESERVED_FUNCTION_NAMES = ["CON", "NUL", "aux", "Prn", "com1", "COM9", "lpt1", "LPT0", "coM3"];
const FINE_FUNCTION_NAMES = ["console", "CONFIG", "nullable", "auxiliary", "com10", "lpt", "com", "printer"];

test("cloudFunction() refuses a Windows device name as the function name, saying why", () => {
  for (const name of RESERVED_FUNCTION_NAMES) {
    assert.throws(
      () => cloudFunction(name, async () => 1),
      (error: unknown) => {
        assert.ok(error instanceof ConfigError, name);
        assert.equal(error.problems.length, 1, name);
        assert.match(error.problems[0], new RegExp(`"${name}" is reserved by Windows`), name);
        assert.match(error.problems[0], new RegExp(`device ${name.toUpperCase()}\\b`), name);
        return true;
      },
    );
  }
});

test("names that only start like a device name stay valid function names", () => {
  for (const name of FINE_FUNCTION_NAMES) {
    assert.equal(cloudFunction(name, async () => 1).functionName, name);
  }
});

test("experiment names: device names are refused in any case, with an extension or trailing spaces", () => {
  for (const name of ["CON", "nul", "Aux", "aux.csv", "NUL.tar.gz", "con .txt", "COM1", "lpt²", "CONIN$"]) {
    const problem = experimentNameProblem(name);
    assert.ok(problem, `${JSON.stringify(name)} is refused`);
    assert.match(problem, /is reserved by Windows for the device/, name);
    assert.throws(() => validateExperimentName(name), ConfigError, name);
  }
  for (const name of ["console-run", "null_hypothesis", "aux2", "com10", "my.con", "CONTROL"]) {
    assert.equal(experimentNameProblem(name), null, `${JSON.stringify(name)} is a fine name`);
  }
});
