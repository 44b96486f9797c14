import { runContract } from "./platform-contract";

runContract("local");
