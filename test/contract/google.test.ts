// The platform contract against `google`: the real adapter and the real FunctionServiceClient (REST),
// over HTTP, to the fake Cloud Functions v2 API on 127.0.0.1 (test/integration/fake-google), which
// builds the uploaded zip and runs it under the real Functions Framework in child processes.
// Public functions: an emulator gets no credentials, so calls carry no ID token (the ID-token path
// is covered by test/integration/google-private.test.ts).
import { after, before } from "node:test";
import { startFakeGoogle, type FakeGoogle } from "../integration/fake-google/server";
import { runContract } from "./platform-contract";

// 512 MB as local: the contract reconfigures to 256 MB, which must be a change.
const config: Record<string, unknown> = { public: true, memory: 512 };
let fake: FakeGoogle | undefined;
const savedCredentials = process.env.GOOGLE_APPLICATION_CREDENTIALS;

before(async () => {
  delete process.env.GOOGLE_APPLICATION_CREDENTIALS;
  fake = await startFakeGoogle();
  // Read by the contract's cloudFunction() calls, which all run after this hook.
  config.endpoint = fake.endpoint;
  config.project = fake.project;
});

after(async () => {
  await fake?.stop();
  if (savedCredentials !== undefined) process.env.GOOGLE_APPLICATION_CREDENTIALS = savedCredentials;
});

runContract("google", config);
