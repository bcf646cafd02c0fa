// Shared helpers of the end-to-end tests (run by `./x test e2e` with node's test runner).
//
// - serveDist(): serves the release build (KAFKASCOPE_DIST, built by ./x test with
//   `--public-url ./`) on 127.0.0.1 under a deep sub-path, so a page that asks for anything
//   outside that path (an absolute URL) gets a 404 and fails the test.
// - launchBrowser(): Debian's Chromium through playwright-core (no browser download).
// - openApp(): a page that records every console error, page error and failed request, loads
//   the app and waits until it has mounted.
import { createServer } from "node:http";
import { readFile, stat, mkdir } from "node:fs/promises";
import { join, normalize, extname, resolve } from "node:path";
import { chromium } from "playwright-core";
import assert from "node:assert/strict";

export const ROOT = resolve(import.meta.dirname, "../..");
export const DIST = process.env.KAFKASCOPE_DIST ?? join(ROOT, "target/dist");
export const OUT = process.env.KAFKASCOPE_E2E_OUT ?? join(ROOT, "target/e2e");
/** Where the app lives on the test server: any sub-path must work (relative URLs). */
export const SUB_PATH = "/courses/kafka/kafkascope/";

const MIME = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".wasm": "application/wasm",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".json": "application/json",
};

/**
 * Starts a static server of a build (DIST unless `dist` says) under `subPath` (SUB_PATH) on
 * a free loopback port. `extra` maps other paths to HTML bodies (e.g. a course page that
 * embeds the app in an iframe); `cache` lets the browser keep the files (the page benchmark
 * reloads for a warm start). scripts/bench_page.mjs serves its build with this too.
 */
export async function serveDist(extra = {}, { dist = DIST, subPath = SUB_PATH, cache = false } = {}) {
  await stat(join(dist, "index.html")).catch(() => {
    throw new Error(`no build in ${dist}: run ./x test e2e (it builds first)`);
  });
  const server = createServer(async (req, res) => {
    const path = decodeURIComponent(new URL(req.url, "http://x").pathname);
    if (extra[path] !== undefined) {
      res.writeHead(200, { "content-type": MIME[".html"] }).end(extra[path]);
      return;
    }
    if (!path.startsWith(subPath)) {
      res.writeHead(404).end(`outside ${subPath}`);
      return;
    }
    let rel = normalize(path.slice(subPath.length));
    if (rel === "." || rel.endsWith("/")) rel = join(rel, "index.html");
    const file = join(dist, rel);
    if (!file.startsWith(dist)) {
      res.writeHead(403).end();
      return;
    }
    try {
      const body = await readFile(file);
      res.writeHead(200, {
        "content-type": MIME[extname(file)] ?? "application/octet-stream",
        ...(cache ? { "cache-control": "max-age=3600" } : {}),
      });
      res.end(body);
    } catch {
      res.writeHead(404).end("not found");
    }
  });
  await new Promise((ok) => server.listen(0, "127.0.0.1", ok));
  const url = `http://127.0.0.1:${server.address().port}${subPath}`;
  return { url, close: () => new Promise((ok) => server.close(ok)) };
}

/** Headless Debian Chromium; the flags keep it off the (closed) network. */
export function launchBrowser() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
    ],
  });
}

/**
 * Opens the app in a new page and waits for it to mount. `problems` collects console errors,
 * uncaught page errors, failed requests and HTTP errors: a test asserts it stays empty.
 */
export async function openApp(browser, url, viewport = { width: 1280, height: 800 }) {
  const page = await browser.newPage({ viewport });
  const problems = [];
  page.on("console", (msg) => {
    if (msg.type() === "error") problems.push(`console error: ${msg.text()}`);
  });
  page.on("pageerror", (err) => problems.push(`page error: ${err.message}`));
  page.on("requestfailed", (req) =>
    problems.push(`request failed: ${req.url()} (${req.failure()?.errorText})`),
  );
  page.on("response", (res) => {
    if (res.status() >= 400) problems.push(`HTTP ${res.status()}: ${res.url()}`);
  });
  const t0 = Date.now();
  await page.goto(url);
  await page.getByRole("heading", { level: 1, name: "kafkascope" }).waitFor({ timeout: 15_000 });
  const mountedMs = Date.now() - t0;
  return { page, problems, mountedMs };
}

/** Saves a full-page screenshot as OUT/name.png and returns its path. */
export async function screenshot(page, name) {
  await mkdir(OUT, { recursive: true });
  const path = join(OUT, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

/** Polls `read()` until `ok(value)` holds; fails with the last value seen after `ms`. */
export async function until(read, ok, what, ms = 20_000) {
  const deadline = Date.now() + ms;
  let value;
  while (Date.now() < deadline) {
    value = await read();
    if (ok(value)) return value;
    await new Promise((r) => setTimeout(r, 50));
  }
  assert.fail(`${what}: last seen ${JSON.stringify(value)}`);
}
