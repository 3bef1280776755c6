// Vite build of the add-in's pages (npm run build:addin → addin/dist, served at /addin/ by the server).
// JSX is compiled by Vite's own transform (automatic runtime); no React plugin is needed for a production build.
import path from "node:path";
import { fileURLToPath } from "node:url";
import { defineConfig } from "vite";

const root = path.dirname(fileURLToPath(import.meta.url));

export default defineConfig({
  root,
  base: "/addin/",
  publicDir: path.join(root, "public"),
  logLevel: "warn",
  esbuild: { jsx: "automatic" },
  build: {
    outDir: path.join(root, "dist"),
    emptyOutDir: true,
    target: "es2020",
    sourcemap: false,
    chunkSizeWarningLimit: 1500,
    rollupOptions: {
      // Fluent UI marks its modules "use client" for React Server Components; irrelevant in a browser bundle.
      onwarn(warning, warn) {
        if (warning.code === "MODULE_LEVEL_DIRECTIVE") return;
        warn(warning);
      },
      output: { codeSplitting: { groups: [{ name: "vendor", test: /node_modules/ }] } },
      input: {
        taskpane: path.join(root, "taskpane.html"),
        dev: path.join(root, "dev.html"),
        "dev-pane": path.join(root, "dev-pane.html"),
      },
    },
  },
});
