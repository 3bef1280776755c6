// Starts the portal: inside Teams it connects first (single sign-on, Teams theme); in a browser it starts at once.
import { createRoot } from "react-dom/client";
import { App } from "./app/App";
import { connectToTeams } from "./teams";

const root = createRoot(document.getElementById("root")!);
connectToTeams().then(
  (teams) => root.render(<App teams={teams} />),
  (error: unknown) => {
    console.warn("CALM: Teams connection failed", error instanceof Error ? error.message : "");
    root.render(<App teams={undefined} />);
  },
);
