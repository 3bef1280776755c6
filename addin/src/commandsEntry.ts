// Entry of commands.js: registers the event handlers as soon as the script runs (Office.js is already loaded in
// every runtime that runs it: by commands.html's script tag, or by classic Outlook's JavaScript-only runtime).
import { registerCommands } from "./commands";
import { officeLoaded } from "./outlook";

if (officeLoaded()) registerCommands();
