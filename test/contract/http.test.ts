// The platform contract against `http`, through `serve`: each function of the suite is a local
// function served on 127.0.0.1 and reached with httpFunction — real HTTP both ways. The client asks
// serve for faaslab's envelope (as a Lambda function URL answers), so records are as full as local's;
// what http cannot do (memory, forced cold starts, remove) takes the suite's UNSUPPORTED paths.
import { cloudFunction, httpFunction, serve } from "../../lib";
import { runContract, type DefineFunction } from "./platform-contract";

/** The served function's own name: the http function holds the suite's name in the same workspace. */
const servedName = (name: string) => `${name}_served`;

const define: DefineFunction = async (name, fn, options) => {
  const local = cloudFunction(servedName(name), fn, { platform: "local", config: options.config });
  const server = await serve(local); // closed by the suite's shutdown()
  return httpFunction(name, server.url, { auth: { headers: { "x-faaslab-envelope": "1" } } });
};

runContract("http", {}, { define, runsOn: { platform: "local", name: servedName } });
