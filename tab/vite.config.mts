// Builds the staff portal (the Teams tab) into tab/dist, served by the CALM server at /tab/
// (bot/src/adapters/http/staticPages.ts). React's JSX goes through the bundler's own transform (no plugin).
import path from "node:path";
import { fileURLToPath } from "node:url";
import { defineConfig } from "vite";

const here = path.dirname(fileURLToPath(import.meta.url));

export default defineConfig({
  root: here,
  base: "/tab/",
  esbuild: { jsx: "automatic" },
  logLevel: "warn",
  build: {
    outDir: process.env.CALM_TAB_OUT_DIR ?? path.join(here, "dist"),
    emptyOutDir: true,
    target: "es2022",
    sourcemap: false,
    // Fluent UI is large; one bundle is fine for a tab served from the same server.
    chunkSizeWarningLimit: 2500,
    rollupOptions: {
      onwarn(warning, warn) {
        // Fluent UI marks its modules "use client" (a React Server Components hint); meaningless in a tab.
        if (warning.code === "MODULE_LEVEL_DIRECTIVE") return;
        warn(warning);
      },
    },
  },
});
