// The page's benchmarks, in headless Chromium (Debian's, through playwright-core):
//
//   node scripts/bench_page.mjs --dist DIR --out DIR [--runs 7] [--warmup-s 5] [--measure-s 15]
//                               [--scenario stress] [--profile]
//
// * weight: every .wasm, .js and .css of the release build in DIR, raw and gzipped (zlib
//   level 9, what `gzip -9` gives but for its 18-byte header);
// * start: navigation → the app mounted and interactive, median of --runs cold loads (a fresh
//   browser context each, so nothing is cached) and of as many warm reloads;
// * frames: the page loaded with `?scenario=NAME` (the preset plays at once): after
//   --warmup-s of the page's own virtual clock (so the groups are past their first rebalance
//   and the event log is full, however slowly the page runs; at most --warmup-max-s of wall
//   time), --measure-s of requestAnimationFrame deltas (p50/p95/p99), long tasks, JS
//   heap, wasm memory and Chromium's own counters (DOM nodes, layouts, style recalcs, script
//   time); then a few seconds of DOM mutations counted by a MutationObserver;
// * --profile: also a Chromium performance trace and a sampling CPU profile of the loaded
//   page (written next to the JSON, summarised in it);
// * experiments for the profiling notes: --scenario-file PATH loads any scenario file instead
//   of a preset (as a share link, `#s=…`), --css TEXT adds a style sheet to the page (e.g.
//   `.record-cell{animation:none}`), --label NAME writes OUT/page-NAME.json instead, and
//   --skip-start measures only the page under load.
//
// Writes OUT/page.json and prints a one-line summary per figure on stderr. It is a
// benchmark, not a test: it never fails because a figure misses its target (`./x bench`
// prints the verdicts); it exits non-zero only when it could not measure.
//
// "Interactive" is the `TrunkApplicationStarted` event of Trunk's loader: it is dispatched
// right after the wasm module's start function returned, and that function (src/main.rs)
// mounts the whole app synchronously, event handlers included. The script checks that the
// page's <h1> exists at that moment. It also records the first frame painted after it.
//
// Frame pacing. Headless Chromium 156 (as installed here) drives requestAnimationFrame from a
// synthetic 60 Hz BeginFrame source: on an idle page the deltas are 16.6–16.8 ms, with 10 or
// 14 ms of work per frame still 16.7 ms, with 20 ms of work they alternate 16.7/33.4 ms
// (mean 20.7 ms), so a frame that misses its slot shows up as it would on a 60 Hz display.
// `--disable-gpu-vsync` changes nothing here, and `--disable-frame-rate-limit` makes idle
// pacing irregular (16.8–20.9 ms), so neither is used. What is used: `--disable-gpu` (no GPU
// in these machines; compositing in software, as on many school laptops),
// `--enable-precise-memory-info` (performance.memory otherwise rounds to 100 kB steps and
// updates every 20 min) and the three "no background throttling" switches, so the headless
// page is never treated as hidden.
import { readFile, readdir, writeFile, mkdir, stat } from "node:fs/promises";
import { gzipSync, deflateRawSync } from "node:zlib";
import { join, extname, resolve } from "node:path";
import { chromium } from "playwright-core";
import { serveDist } from "../tests/e2e/support.mjs";

const args = parseArgs(process.argv.slice(2), {
  dist: "target/bench/dist",
  out: "target/bench",
  runs: "7",
  "warmup-s": "8",
  "warmup-max-s": "90",
  "measure-s": "15",
  "mutations-s": "3",
  scenario: "stress",
  "scenario-file": "",
  profile: false,
  css: "",
  label: "",
  "skip-start": false,
});
const DIST = resolve(args.dist);
const OUT = resolve(args.out);
const RUNS = Number(args.runs);
/** Warm-up in the page's virtual time (past the groups' first rebalance), bounded in wall time. */
const WARMUP_MS = Number(args["warmup-s"]) * 1000;
const WARMUP_MAX_MS = Number(args["warmup-max-s"]) * 1000;
const MEASURE_MS = Number(args["measure-s"]) * 1000;
const MUTATIONS_MS = Number(args["mutations-s"]) * 1000;
/** The app is served under a sub-path, as the e2e tests do: the build has relative URLs. */
const SUB_PATH = "/bench/kafkascope/";

function parseArgs(argv, defaults) {
  const out = { ...defaults };
  for (let i = 0; i < argv.length; i++) {
    const name = argv[i].replace(/^--/, "");
    if (!(name in defaults)) throw new Error(`unknown option ${argv[i]}`);
    if (typeof defaults[name] === "boolean") out[name] = true;
    else out[name] = argv[++i];
  }
  return out;
}

const log = (...a) => console.error("bench page:", ...a);

// ----- page weight ---------------------------------------------------------------------------

async function pageWeight() {
  const files = [];
  for (const name of (await readdir(DIST)).sort()) {
    const kind = { ".wasm": "wasm", ".js": "js", ".css": "css" }[extname(name)];
    if (!kind) continue;
    const body = await readFile(join(DIST, name));
    files.push({ name, kind, raw: body.length, gzip: gzipSync(body, { level: 9 }).length });
  }
  if (!files.some((f) => f.kind === "wasm")) throw new Error(`no .wasm in ${DIST}: build first`);
  const sum = (list, key) => list.reduce((n, f) => n + f[key], 0);
  const byKind = {};
  for (const kind of ["wasm", "js", "css"]) {
    const list = files.filter((f) => f.kind === kind);
    byKind[kind] = { raw: sum(list, "raw"), gzip: sum(list, "gzip") };
  }
  return { files, byKind, total: { raw: sum(files, "raw"), gzip: sum(files, "gzip") } };
}

// ----- a static server of DIST: the e2e tests' (tests/e2e/support.mjs), cacheable, so that
// a reload in the same context is a real warm start ----------------------------------------

const serve = () => serveDist({}, { dist: DIST, subPath: SUB_PATH, cache: true });

// ----- the browser ---------------------------------------------------------------------------

function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--enable-precise-memory-info",
      "--disable-background-timer-throttling",
      "--disable-renderer-backgrounding",
      "--disable-backgrounding-occluded-windows",
      "--disable-background-networking",
      "--disable-component-update",
      "--no-first-run",
    ],
  });
}

/** Runs in every document before the page's own scripts. */
function instrument() {
  const b = (window.__bench = { longTasks: [], started: null, firstFrame: null, wasm: null });
  try {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) b.longTasks.push([e.startTime, e.duration]);
    }).observe({ type: "longtask", buffered: true });
  } catch {}
  addEventListener("TrunkApplicationStarted", (e) => {
    b.started = performance.now();
    b.wasm = e.detail?.wasm ?? null;
    b.headingAtStart = document.querySelector("h1") !== null;
    // The second callback runs when the frame that showed the mounted app has been produced.
    requestAnimationFrame(() => requestAnimationFrame(() => (b.firstFrame = performance.now())));
  });
  addEventListener("error", (e) => (b.error = String(e.message ?? e)));
}

async function newPage(context, problems) {
  const page = await context.newPage({ viewport: { width: 1280, height: 800 } });
  await page.addInitScript(instrument);
  page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
  page.on("console", (m) => m.type() === "error" && problems.push(`console: ${m.text()}`));
  return page;
}

async function waitStarted(page) {
  await page.waitForFunction(() => window.__bench?.firstFrame != null || window.__bench?.error, null, {
    timeout: 30_000,
  });
  return page.evaluate(() => {
    const b = window.__bench;
    const nav = performance.getEntriesByType("navigation")[0];
    const wasm = performance.getEntriesByType("resource").find((r) => r.name.endsWith(".wasm"));
    const fcp = performance.getEntriesByName("first-contentful-paint")[0];
    return {
      error: b.error ?? null,
      interactive_ms: b.started,
      first_frame_ms: b.firstFrame,
      heading_at_start: b.headingAtStart,
      html_ms: nav?.responseEnd ?? null,
      dom_content_loaded_ms: nav?.domContentLoadedEventEnd ?? null,
      wasm_fetched_ms: wasm?.responseEnd ?? null,
      first_contentful_paint_ms: fcp?.startTime ?? null,
    };
  });
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.floor((s.length - 1) / 2)] : null;
};
const quantile = (sorted, q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];

// ----- start ---------------------------------------------------------------------------------

async function start(browser, url, problems) {
  const cold = [];
  const warm = [];
  for (let i = 0; i < RUNS; i++) {
    const context = await browser.newContext();
    const page = await newPage(context, problems);
    await page.goto(url);
    cold.push(await waitStarted(page));
    await page.reload();
    warm.push(await waitStarted(page));
    await context.close();
  }
  const summary = (runs) => {
    const out = {};
    for (const key of Object.keys(runs[0])) {
      if (typeof runs[0][key] === "number") out[key] = median(runs.map((r) => r[key]));
    }
    out.heading_at_start = runs.every((r) => r.heading_at_start);
    return out;
  };
  return { runs: RUNS, cold: summary(cold), warm: summary(warm), cold_runs: cold, warm_runs: warm };
}

// ----- frames under load ---------------------------------------------------------------------

async function metrics(cdp) {
  const { metrics } = await cdp.send("Performance.getMetrics");
  return Object.fromEntries(metrics.map((m) => [m.name, m.value]));
}

async function memorySample(page, cdp) {
  const inPage = await page.evaluate(() => ({
    t_ms: performance.now(),
    js_heap_used: performance.memory?.usedJSHeapSize ?? null,
    wasm_memory: window.__bench.wasm?.memory?.buffer?.byteLength ?? null,
    // Elements in the document; Chromium's `nodes` below also counts detached nodes that
    // something still references (text nodes included).
    elements: document.getElementsByTagName("*").length,
    // The page's virtual clock (`t = 12.3 s`, `t = 1 min 02 s`): whether it keeps real time.
    virtual_ms: (() => {
      const text = document.querySelector(".clock-time")?.textContent ?? "";
      const m = text.match(/(?:(\d+) min )?(\d+(?:\.\d+)?) s/);
      return m ? (Number(m[1] ?? 0) * 60 + Number(m[2])) * 1000 : null;
    })(),
  }));
  const m = await metrics(cdp);
  return { ...inPage, nodes: m.Nodes, js_event_listeners: m.JSEventListeners };
}

/** Collects garbage twice (V8 needs two rounds for some weak structures), then samples. */
async function settledSample(page, cdp) {
  await cdp.send("HeapProfiler.collectGarbage");
  await cdp.send("HeapProfiler.collectGarbage");
  return memorySample(page, cdp);
}

async function frames(browser, url, problems) {
  const context = await browser.newContext();
  const page = await newPage(context, problems);
  const cdp = await context.newCDPSession(page);
  await cdp.send("Performance.enable", { timeDomain: "timeTicks" });
  await cdp.send("HeapProfiler.enable");
  let target = args.scenario ? `${url}?scenario=${encodeURIComponent(args.scenario)}` : url;
  let topicName = "firehose";
  if (args["scenario-file"]) {
    // A share link: the session envelope, deflate-raw, base64url (see src/ui/session.rs).
    const scenario = JSON.parse(await readFile(args["scenario-file"], "utf8"));
    topicName = scenario.topics?.[0]?.name ?? topicName;
    const saved = JSON.stringify({ kafkascope: 1, scenario, now_ms: 0 });
    target = `${url}#s=${deflateRawSync(Buffer.from(saved)).toString("base64url")}`;
  }
  await page.goto(target);
  const started = await waitStarted(page);
  if (started.error) throw new Error(`the page failed to start: ${started.error}`);
  if (args.css) await page.addStyleTag({ content: args.css });

  const loadedAt = Date.now();
  const samples = [];
  for (;;) {
    const sample = await memorySample(page, cdp);
    samples.push({ phase: "warmup", ...sample });
    const wall = Date.now() - loadedAt;
    // Without a readable clock, the warm-up is wall time.
    const done = sample.virtual_ms != null ? sample.virtual_ms >= WARMUP_MS : wall >= WARMUP_MS;
    if (done || wall >= WARMUP_MAX_MS) break;
    await page.waitForTimeout(1000);
  }
  const warmupWallMs = Date.now() - loadedAt;
  // What the page shows, to check the scenario is really running.
  const shows = await page.evaluate(
    ([wanted, topic]) => {
      const text = document.body.innerText;
      return { scenario_named: wanted ? text.includes(topic) : null, text_chars: text.length };
    },
    [Boolean(args.scenario || args["scenario-file"]), topicName],
  );

  const before = await settledSample(page, cdp);
  const m0 = await metrics(cdp);
  // rAF deltas and long tasks, measured inside the page, while node samples memory each second.
  const measuring = page.evaluate((ms) => {
    const b = window.__bench;
    const firstLongTask = b.longTasks.length;
    return new Promise((done) => {
      const deltas = [];
      let last;
      let t0;
      const frame = (t) => {
        if (last !== undefined) deltas.push(t - last);
        else t0 = t;
        last = t;
        if (t - t0 < ms) requestAnimationFrame(frame);
        else done({ deltas, longTasks: b.longTasks.slice(firstLongTask), span_ms: t - t0 });
      };
      requestAnimationFrame(frame);
    });
  }, MEASURE_MS);
  const sampling = (async () => {
    const t0 = Date.now();
    while (Date.now() - t0 < MEASURE_MS - 500) {
      await page.waitForTimeout(1000);
      samples.push({ phase: "measure", ...(await memorySample(page, cdp)) });
    }
  })();
  const [measured] = await Promise.all([measuring, sampling]);
  const m1 = await metrics(cdp);
  const after = await settledSample(page, cdp);

  // DOM churn: mutations per second, counted after the frame measurement (the observer has a
  // cost of its own).
  const mutations = await page.evaluate((ms) => {
    return new Promise((done) => {
      const c = { added: 0, removed: 0, attributes: 0, text: 0, records: 0, callbacks: 0 };
      const observer = new MutationObserver((records) => {
        c.callbacks++;
        for (const r of records) {
          c.records++;
          if (r.type === "childList") {
            c.added += r.addedNodes.length;
            c.removed += r.removedNodes.length;
          } else if (r.type === "attributes") c.attributes++;
          else c.text++;
        }
      });
      observer.observe(document.body, {
        subtree: true,
        childList: true,
        attributes: true,
        characterData: true,
      });
      setTimeout(() => {
        observer.disconnect();
        const per_s = {};
        for (const [k, v] of Object.entries(c)) per_s[k] = Math.round((v * 1000) / ms);
        done({ per_s, nodes_in_document: document.getElementsByTagName("*").length });
      }, ms);
    });
  }, MUTATIONS_MS);

  let profile = null;
  if (args.profile) profile = await profilePage(page, cdp);
  await context.close();

  const sorted = [...measured.deltas].sort((a, b) => a - b);
  const span_s = measured.span_ms / 1000;
  const perS = (k) => (m1[k] - m0[k]) / span_s;
  const longTasks = measured.longTasks;
  const measureSamples = samples.filter((s) => s.phase === "measure");
  return {
    url: target,
    warmup_virtual_ms: WARMUP_MS,
    warmup_wall_ms: warmupWallMs,
    measure_ms: MEASURE_MS,
    scenario: args["scenario-file"] || args.scenario || null,
    // The auto-produce rate the preset asks for (records per simulated second).
    scenario_rate_per_s: await readFile(
      args["scenario-file"] || join(DIST, "scenarios", `${args.scenario}.json`),
      "utf8",
    )
      .then((t) => JSON.parse(t).commands.find((c) => c.type === "set_auto_produce")?.rate_per_s ?? null)
      .catch(() => null),
    shows,
    // Virtual seconds the page simulated per wall second while measured (the page advances
    // its clock by the frame's duration, at most 100 ms a frame: slow frames slow the clock).
    virtual_speed:
      before.virtual_ms != null && after.virtual_ms != null
        ? (after.virtual_ms - before.virtual_ms) / (after.t_ms - before.t_ms)
        : null,
    frames: {
      count: sorted.length,
      fps: sorted.length / span_s,
      p50_ms: quantile(sorted, 0.5),
      p95_ms: quantile(sorted, 0.95),
      p99_ms: quantile(sorted, 0.99),
      max_ms: sorted[sorted.length - 1],
      // A delta of 1.5 frames or more means at least one 60 Hz slot was missed.
      late_share: sorted.filter((d) => d > 25).length / sorted.length,
    },
    long_tasks: {
      count: longTasks.length,
      per_s: longTasks.length / span_s,
      total_ms: longTasks.reduce((n, [, d]) => n + d, 0),
      max_ms: longTasks.reduce((n, [, d]) => Math.max(n, d), 0),
    },
    main_thread: {
      // Chromium's own accounting, in ms per wall second (1000 = the thread never idles).
      task_ms_per_s: perS("TaskDuration") * 1000,
      script_ms_per_s: perS("ScriptDuration") * 1000,
      layout_ms_per_s: perS("LayoutDuration") * 1000,
      style_ms_per_s: perS("RecalcStyleDuration") * 1000,
      layouts_per_s: perS("LayoutCount"),
      style_recalcs_per_s: perS("RecalcStyleCount"),
    },
    memory: {
      // After two forced GCs, at the end of the warm-up and at the end of the measurement.
      before,
      after,
      js_heap_growth_bytes: after.js_heap_used - before.js_heap_used,
      wasm_memory_growth_bytes: after.wasm_memory - before.wasm_memory,
      js_heap_growth_bytes_per_s: (after.js_heap_used - before.js_heap_used) / span_s,
      wasm_memory_growth_bytes_per_s: (after.wasm_memory - before.wasm_memory) / span_s,
      nodes_growth: after.nodes - before.nodes,
      elements_growth: after.elements - before.elements,
      max_js_heap_used: Math.max(...measureSamples.map((s) => s.js_heap_used)),
      samples,
    },
    mutations,
    profile,
  };
}

// ----- profile (--profile) -------------------------------------------------------------------

/** A 3-second performance trace and CPU profile of the loaded page, summarised. */
async function profilePage(page, cdp) {
  const TRACE_MS = 3000;
  const chunks = [];
  cdp.on("Tracing.dataCollected", (e) => chunks.push(...e.value));
  const traced = new Promise((ok) => cdp.once("Tracing.tracingComplete", ok));
  await cdp.send("Profiler.enable");
  await cdp.send("Profiler.setSamplingInterval", { interval: 200 });
  await cdp.send("Tracing.start", {
    transferMode: "ReportEvents",
    traceConfig: {
      includedCategories: [
        "devtools.timeline",
        "disabled-by-default-devtools.timeline",
        "disabled-by-default-devtools.timeline.frame",
        "v8",
        "v8.execute",
        "blink",
        "blink.user_timing",
      ],
    },
  });
  await cdp.send("Profiler.start");
  await page.waitForTimeout(TRACE_MS);
  const { profile } = await cdp.send("Profiler.stop");
  await cdp.send("Tracing.end");
  await traced;
  await writeFile(join(OUT, "page-trace.json"), JSON.stringify({ traceEvents: chunks }));
  await writeFile(join(OUT, "page-cpu.cpuprofile"), JSON.stringify(profile));
  return { trace: summariseTrace(chunks, TRACE_MS), cpu: summariseCpu(profile) };
}

/** Inclusive ms per second of the renderer main thread's main event kinds. */
function summariseTrace(events, spanMs) {
  const threadNames = new Map();
  for (const e of events) {
    if (e.ph === "M" && e.name === "thread_name") threadNames.set(`${e.pid}:${e.tid}`, e.args.name);
  }
  const main = new Set(
    [...threadNames].filter(([, n]) => n === "CrRendererMain").map(([k]) => k),
  );
  const totals = {};
  for (const e of events) {
    if (e.ph !== "X" || !main.has(`${e.pid}:${e.tid}`) || !e.dur) continue;
    totals[e.name] = (totals[e.name] ?? 0) + e.dur / 1000;
  }
  const wanted = [
    "RunTask",
    "FireAnimationFrame",
    "FunctionCall",
    "TimerFire",
    "RunMicrotasks",
    "UpdateLayoutTree",
    "Layout",
    "PrePaint",
    "Paint",
    "Layerize",
    "Commit",
    "MinorGC",
    "MajorGC",
    "V8.GC_SCAVENGER",
    "V8.GC_MC_BACKGROUND_MARKING",
    "HitTest",
    "EventDispatch",
  ];
  const per_s = {};
  for (const name of wanted) {
    if (totals[name] != null) per_s[name] = Math.round((totals[name] * 1000) / spanMs);
  }
  const top = Object.entries(totals)
    .sort((a, b) => b[1] - a[1])
    .slice(0, 25)
    .map(([name, ms]) => [name, Math.round((ms * 1000) / spanMs)]);
  return { ms_per_s: per_s, top_ms_per_s: top };
}

/** Self time by function (and by where the code lives: wasm, the JS glue, the browser). */
function summariseCpu(profile) {
  const self = new Map();
  const byNode = new Map(profile.nodes.map((n) => [n.id, n]));
  const dt = profile.timeDeltas;
  profile.samples.forEach((id, i) => {
    const t = (dt[i + 1] ?? 0) / 1000;
    self.set(id, (self.get(id) ?? 0) + t);
  });
  const total = [...self.values()].reduce((a, b) => a + b, 0);
  const byFunction = new Map();
  const byPlace = {};
  for (const [id, ms] of self) {
    const f = byNode.get(id).callFrame;
    const place = /^wasm:|\.wasm$/.test(f.url) || f.functionName.startsWith("wasm-function")
      ? "wasm"
      : f.url.endsWith(".js")
        ? "js glue"
        : f.functionName === "(idle)" || f.functionName === "(program)" || f.functionName === "(garbage collector)"
          ? f.functionName
          : f.url
            ? "other js"
            : `browser ${f.functionName || "(anonymous)"}`;
    byPlace[place] = (byPlace[place] ?? 0) + ms;
    const key = `${f.functionName || "(anonymous)"} [${place}]`;
    byFunction.set(key, (byFunction.get(key) ?? 0) + ms);
  }
  // Inclusive time: each sample counts once for every distinct function on its stack.
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const name = (id) =>
    (byNode.get(id).callFrame.functionName || "(anonymous)")
      .replace(/::h[0-9a-f]{16}$/, "")
      .replace(/\[[0-9a-f]{16}\]/g, "");
  const inclusive = new Map();
  profile.samples.forEach((id, i) => {
    const t = (dt[i + 1] ?? 0) / 1000;
    const seen = new Set();
    for (let x = id; x !== undefined; x = parent.get(x)) {
      const f = name(x);
      if (!seen.has(f)) {
        seen.add(f);
        inclusive.set(f, (inclusive.get(f) ?? 0) + t);
      }
    }
  });
  const pct = (ms) => Math.round((ms * 1000) / total) / 10;
  return {
    top_inclusive_percent: [...inclusive]
      .filter(([f]) => !f.startsWith("("))
      .sort((a, b) => b[1] - a[1])
      .slice(0, 40)
      .map(([k, v]) => [k, pct(v)]),
    sampled_ms: Math.round(total),
    by_place_percent: Object.fromEntries(
      Object.entries(byPlace)
        .sort((a, b) => b[1] - a[1])
        .map(([k, v]) => [k, pct(v)]),
    ),
    top_self_percent: [...byFunction]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 30)
      .map(([k, v]) => [k, pct(v)]),
  };
}

// ----- main ------------------------------------------------------------------------------------

async function main() {
  await stat(join(DIST, "index.html")).catch(() => {
    throw new Error(`no build in ${DIST} (./x bench builds it)`);
  });
  await mkdir(OUT, { recursive: true });
  const result = {
    chromium: null,
    dist: DIST,
    css: args.css || null,
    // The machine is shared: the 1-minute load average says how much else was running.
    load_average: (await readFile("/proc/loadavg", "utf8").catch(() => "")).split(" ")[0] || null,
    problems: [],
  };
  result.weight = await pageWeight();
  const kb = (b) => `${(b / 1000).toFixed(1)} kB`;
  log(`weight ${kb(result.weight.total.gzip)} gzip (${kb(result.weight.total.raw)} raw)`);

  const server = await serve();
  const browser = await launch();
  result.chromium = browser.version();
  try {
    if (!args["skip-start"]) {
      result.start = await start(browser, server.url, result.problems);
      log(
        `start: interactive after ${result.start.cold.interactive_ms.toFixed(0)} ms cold, ` +
          `${result.start.warm.interactive_ms.toFixed(0)} ms warm (median of ${RUNS})`,
      );
    }
    result.load = await frames(browser, server.url, result.problems);
    const f = result.load.frames;
    log(
      `frames under load: p50 ${f.p50_ms.toFixed(1)} ms, p95 ${f.p95_ms.toFixed(1)} ms, ` +
        `p99 ${f.p99_ms.toFixed(1)} ms, ${f.fps.toFixed(1)} fps`,
    );
  } finally {
    await browser.close();
    await server.close();
  }
  const path = join(OUT, args.label ? `page-${args.label}.json` : "page.json");
  await writeFile(path, JSON.stringify(result, null, 2) + "\n");
  log(`wrote ${path}`);
}

main().catch((e) => {
  console.error(`bench page: ${e.stack ?? e}`);
  process.exit(1);
});
