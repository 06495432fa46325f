import { defineConfig } from "vite";
import react from "@vitejs/plugin-react";
import { fileURLToPath } from "node:url";
import { contentSecurityPolicy } from "./shared/ipc/csp";

const root = fileURLToPath(new URL("./renderer", import.meta.url));

/**
 * Each page's Content-Security-Policy as a <meta> too (defence in depth: both transports also send
 * it as a header), written from the one policy in shared/ipc/csp.ts. A <meta> cannot say
 * frame-ancestors (the headers do); it allows the WebSocket of serve mode on this machine.
 */
const metaCsp = contentSecurityPolicy(["ws://127.0.0.1:*", "ws://localhost:*"])
  .split("; ")
  .filter((d) => !d.startsWith("frame-ancestors"))
  .join("; ");
const cspMeta = { name: "csp-meta", transformIndexHtml: (html: string): string => html.replace('<meta charset="UTF-8" />', `<meta charset="UTF-8" />\n    <meta http-equiv="Content-Security-Policy" content="${metaCsp}" />`) };

// The renderer: built once into dist/renderer, loaded by Electron (app://) and by serve mode (http).
export default defineConfig({
  root,
  base: "./",
  plugins: [react(), cspMeta],
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
