import { defineConfig } from "vite";
import react from "@vitejs/plugin-react";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("./renderer", import.meta.url));

// The renderer: built once into dist/renderer, loaded by Electron (app://) and by serve mode (http).
export default defineConfig({
  root,
  base: "./",
  plugins: [react()],
  build: {
    outDir: fileURLToPath(new URL("./dist/renderer", import.meta.url)),
    emptyOutDir: true,
    sourcemap: true,
    chunkSizeWarningLimit: 2000,
    target: "chrome120",
    rollupOptions: {
      // The app, and the diagram benchmark page (run by `npm run bench`).
      input: { app: fileURLToPath(new URL("./renderer/index.html", import.meta.url)), bench: fileURLToPath(new URL("./renderer/bench.html", import.meta.url)) },
    },
  },
  worker: { format: "es" },
});
