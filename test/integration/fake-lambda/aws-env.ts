/**
 * Process environment for talking to the fake with the SDK's standard credential chain: static fake
 * keys and a region in env vars, and nothing from the user's real AWS setup (profiles, shared
 * config files, endpoint overrides, instance metadata) — only loopback traffic.
 */
const FAKE_ENV: Record<string, string> = {
  AWS_ACCESS_KEY_ID: "AKIAFAKELAMBDA000000",
  AWS_SECRET_ACCESS_KEY: "fake-secret-for-the-local-fake-lambda",
  AWS_REGION: "us-east-1",
  AWS_DEFAULT_REGION: "us-east-1",
  AWS_EC2_METADATA_DISABLED: "true",
  AWS_CONFIG_FILE: "/nonexistent/faaslab-fake-aws-config",
  AWS_SHARED_CREDENTIALS_FILE: "/nonexistent/faaslab-fake-aws-credentials",
  // Node 20 is supported by this SDK release; its notice about future releases is noise in test output.
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
};
const CLEARED = [
  "AWS_PROFILE",
  "AWS_SESSION_TOKEN",
  "AWS_ENDPOINT_URL",
  "AWS_ENDPOINT_URL_LAMBDA",
  "AWS_ROLE_ARN",
  "AWS_WEB_IDENTITY_TOKEN_FILE",
  "AWS_CONTAINER_CREDENTIALS_FULL_URI",
  "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
];

/** The variables as a plain object (for child processes such as the aws CLI). */
export function fakeAwsEnv(base: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const env = { ...base, ...FAKE_ENV };
  for (const key of CLEARED) delete env[key];
  return env;
}

/** Sets them on this process; returns the function that restores what was there before. */
export function useFakeAwsEnv(): () => void {
  const saved = new Map<string, string | undefined>();
  for (const key of [...Object.keys(FAKE_ENV), ...CLEARED]) saved.set(key, process.env[key]);
  Object.assign(process.env, FAKE_ENV);
  for (const key of CLEARED) delete process.env[key];
  return () => {
    for (const [key, value] of saved) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  };
}
