// The platform contract against `aws`: the real adapter and the real LambdaClient, over HTTP, to the
// fake Lambda endpoint on 127.0.0.1 (test/integration/fake-lambda), which runs the deployed zip in
// child processes the way Lambda's Node runtime does.
import { after, before } from "node:test";
import { startFakeLambda, type FakeLambda } from "../integration/fake-lambda/server";
import { useFakeAwsEnv } from "../integration/fake-lambda/aws-env";
import { runContract } from "./platform-contract";

const config = { endpoint: "", role: "arn:aws:iam::123456789012:role/faaslab-test" };
let fake: FakeLambda | undefined;
let restoreEnv: (() => void) | undefined;

before(async () => {
  restoreEnv = useFakeAwsEnv();
  fake = await startFakeLambda();
  // Read by the contract's cloudFunction() calls, which all run after this hook.
  config.endpoint = fake.endpoint;
});

after(async () => {
  await fake?.close();
  restoreEnv?.();
});

runContract("aws", config);
