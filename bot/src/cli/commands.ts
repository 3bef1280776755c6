// The command table. To add a command (e.g. `calm audit verify`, `calm sar export`), write a `Command` and add
// it here; the dispatcher and help pick it up.

import { policyCommands } from "./policyCommands";
import { defaultSecurityCommands } from "./securityCommands";
import type { Command } from "./types";

export const COMMANDS: Command[] = [...policyCommands, ...defaultSecurityCommands()];
