// End-to-end flows of the teaching features (issue "Teaching features") in real Chromium:
// every preset loads, every lesson runs from first step to last, a share link reopens the
// exact same state, the embed mode works inside an iframe on another path, the autosave
// survives a reload, and bad links / files / stored state give one message and change nothing.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { serveDist, launchBrowser, openApp, screenshot, until, SUB_PATH } from "./support.mjs";

const COURSE_PAGE = "/elsewhere/course/week-3.html";
const PRESETS = [
  "playground", "first-topic", "consumer-group-scaling", "round-robin-vs-keyed", "fan-out",
  "ecommerce-choreography", "crash-redelivery", "retention-replay", "eager-vs-cooperative",
  "kafka-vs-queue", "broker-dies", "acks-and-durability", "unclean-election", "stress",
];
const LESSONS = [
  "first-topic", "consumer-groups", "round-robin-vs-keyed", "fan-out", "choreography",
  "crash-redelivery", "retention-replay", "eager-vs-cooperative", "kafka-vs-queue",
  "broker-dies", "acks", "unclean-election",
];

let server;
let browser;

before(async () => {
  server = await serveDist({
    [COURSE_PAGE]: `<!DOCTYPE html><html><head><title>Week 3</title><link rel="icon" href="data:,"></head><body>
      <h1>Week 3: consumer groups</h1>
      <iframe id="scope" title="kafkascope" width="900" height="640" style="border:0"
        src="${SUB_PATH}?embed=1&lesson=consumer-groups"></iframe></body></html>`,
  });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.close();
});

const topicNames = (page) => page.locator(".topic-name").allTextContents();
const clock = (page) => page.getByRole("timer", { name: "Simulation clock" }).or(page.locator(".clock-time")).first().textContent();
const notice = (page) => page.getByRole("alert").textContent();

/** Everything the learner sees of the simulation, for comparing two pages. */
async function stateOf(page) {
  return page.evaluate(() =>
    [".clock-time", "section.stage", ".side-column .panel"]
      .map((s) => [...document.querySelectorAll(s)].map((e) => e.textContent).join("|"))
      .join("\n"),
  );
}

test("every preset loads from ?scenario= with its own topics", async () => {
  for (const id of PRESETS) {
    const { page, problems } = await openApp(browser, `${server.url}?scenario=${id}`);
    const names = await until(() => topicNames(page), (n) => n.length > 0, `${id} topics`);
    assert.ok(names.length >= 1, `${id}: ${names}`);
    assert.deepEqual(problems, [], id);
    if (id === "stress") {
      // 5,000 records/s: the cells rush left (their elements are reused every frame), so the
      // click goes straight to one; the lane's one handler still inspects it.
      await until(() => page.locator(".record-cell").count(), (n) => n > 100, "stress cells");
      await page.locator(".record-cell").last().dispatchEvent("click");
      assert.match(await page.locator(".inspector .facts").textContent(), /partition\s*\d+\s*offset\s*\d+/);
      // Fast, a lane reuses its cells where they are in the DOM; calm again, it puts them back
      // in offset order (tab order, screen readers).
      await page.getByRole("slider", { name: "auto-produce rate, records per second" }).evaluate((el) => {
        el.value = "0";
        el.dispatchEvent(new Event("change", { bubbles: true }));
      });
      const inOrder = () => page.locator("section.stage li.lane").first().evaluate((li) => {
        const o = [...li.querySelectorAll(".record-cell")].map((c) => Number(c.textContent));
        return o.length > 0 && o.every((x, i) => i === 0 || x === o[i - 1] + 1);
      });
      await until(inOrder, (ok) => ok, "cells back in offset order once calm");
    }
    if (id === "ecommerce-choreography") {
      assert.deepEqual([...names].sort(), ["inventory", "orders", "payment-requests", "payments", "shipments"]);
      await screenshot(page, "teaching-preset-choreography");
    }
    await page.close();
  }
});

test("every lesson runs from its first step to its last", async () => {
  for (const id of LESSONS) {
    const { page, problems } = await openApp(browser, `${server.url}?lesson=${id}`);
    await page.getByRole("combobox", { name: "Speed" }).selectOption("10×");
    const panel = page.getByRole("region", { name: "lesson" });
    await panel.waitFor();
    for (let step = 1; ; step++) {
      // The card redraws after the click's microtask: wait for this step's card.
      await until(() => panel.locator(".lesson-count").textContent(), (t) => new RegExp(`^Step ${step} of \\d+$`).test(t), `${id} step ${step} shown`);
      const choices = panel.locator(".predict-choices button");
      if ((await choices.count()) > 0) {
        await choices.first().click();
        const verdict = await panel.locator(".predict-answer").textContent();
        assert.match(verdict, /The simulator says: \S/, `${id} step ${step}`);
      }
      const act = panel.getByRole("button", { name: /^Do it for me/ });
      if ((await act.count()) > 0 && (await act.isEnabled())) await act.click();
      await until(() => panel.locator(".lesson-status").textContent(), (t) => t === "✓ done", `${id} step ${step}`, 60_000);
      if (id === "choreography" && step === 2) await screenshot(page, "teaching-lesson-choreography");
      const next = panel.getByRole("button", { name: /^(Next|Finish)$/ });
      const last = (await next.textContent()) === "Finish";
      await next.click();
      if (last) break;
    }
    await panel.waitFor({ state: "detached" });
    assert.match(await notice(page), /Lesson complete/);
    assert.deepEqual(problems, [], id);
    await page.close();
  }
});

test("a lesson's Back replays to where the previous step began", async () => {
  const { page, problems } = await openApp(browser, `${server.url}?lesson=consumer-groups`);
  await page.getByRole("combobox", { name: "Speed" }).selectOption("10×");
  const panel = page.getByRole("region", { name: "lesson" });
  await until(() => panel.locator(".lesson-status").textContent(), (t) => t === "✓ done", "step 1");
  await panel.getByRole("button", { name: "Next" }).click();
  await panel.getByRole("button", { name: /^Do it for me/ }).click();
  await until(() => page.locator(".consumer-card").count(), (n) => n === 3, "c3 added");
  await panel.getByRole("button", { name: "Back" }).click();
  await until(() => panel.locator(".lesson-count").textContent(), (t) => t === "Step 1 of 4", "back on step 1");
  await until(() => page.locator(".consumer-card").count(), (n) => n === 2, "c3 is gone after Back");
  assert.deepEqual(problems, []);
  await page.close();
});

test("a share link reopens exactly the same state", async () => {
  const { page, problems } = await openApp(browser, `${server.url}?scenario=consumer-group-scaling`);
  await page.getByRole("combobox", { name: "Speed" }).selectOption("5×");
  await until(() => page.locator(".consumer-card").count(), (n) => n >= 3, "c3 joined (scheduled at 8 s)");
  await page.getByRole("textbox", { name: "record key" }).fill("shared-key");
  await page.getByRole("button", { name: "Send", exact: true }).click();
  await page.keyboard.press("Escape");
  await page.getByRole("button", { name: "Pause" }).click();
  const before = await stateOf(page);
  await page.getByRole("button", { name: "Share link" }).click();
  const link = await until(() => page.getByRole("textbox", { name: "share link" }).inputValue().catch(() => ""), (v) => v.includes("#s="), "share link");
  assert.ok(link.length < 20_000, `link is ${link.length} characters`);
  const other = await openApp(browser, link);
  await until(() => stateOf(other.page), (s) => s === before, "same state after opening the link");
  assert.match(await clock(other.page), /\d/);
  await screenshot(other.page, "teaching-share-link");
  // It keeps going from there: play, and the scheduled commands still come.
  await other.page.getByRole("button", { name: "Play" }).click();
  await until(() => other.page.locator(".consumer-card").count(), (n) => n >= 4, "scheduled c2 stop / c4, c5 adds continue", 30_000);
  assert.deepEqual(problems, []);
  assert.deepEqual(other.problems, []);
  await page.close();
  await other.page.close();
});

test("embed mode renders a lesson inside an iframe on another path", async () => {
  const page = await browser.newPage({ viewport: { width: 1000, height: 760 } });
  const errors = [];
  page.on("pageerror", (e) => errors.push(e.message));
  page.on("console", (m) => m.type() === "error" && errors.push(m.text()));
  await page.goto(new URL(COURSE_PAGE, server.url).href);
  const frame = page.frameLocator("#scope");
  await frame.getByRole("heading", { level: 1, name: "kafkascope" }).waitFor({ timeout: 15_000 });
  await frame.getByRole("region", { name: "lesson" }).waitFor();
  // Minimal chrome: no preset/lesson menus, no event log; a way out to the full page.
  assert.equal(await frame.getByRole("combobox", { name: "load a preset" }).count(), 0);
  assert.equal(await frame.locator(".event-log").isVisible(), false);
  const full = frame.getByRole("link", { name: /Open full page/ });
  assert.match(await full.getAttribute("href"), /embed=0/);
  // It fits its iframe: nothing wider than the frame.
  const width = await frame.locator("body").evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 900, `content is ${width}px wide in a 900px iframe`);
  await screenshot(page, "teaching-embed");
  assert.deepEqual(errors, []);
  await page.close();
});

test("autosave brings the learner back after a reload; Reset starts again", async () => {
  const { page, problems } = await openApp(browser, server.url);
  await page.getByRole("textbox", { name: "record key" }).fill("remember-me");
  await page.getByRole("button", { name: "Send", exact: true }).click();
  await page.waitForTimeout(2_500); // the autosave runs every 2 s
  await page.reload();
  await page.getByRole("heading", { level: 1, name: "kafkascope" }).waitFor();
  await until(() => page.locator(".record-cell").count(), (n) => n === 1, "the record is back");
  await page.getByRole("button", { name: "Reset" }).click();
  await until(() => page.locator(".record-cell").count(), (n) => n === 0, "reset");
  assert.deepEqual(problems, []);
  await page.close();
});

test("bad links, files and stored state give one message and keep the state", async () => {
  const { page, problems } = await openApp(browser, server.url);
  await page.getByRole("textbox", { name: "record key" }).fill("<img src=x onerror=alert(1)>");
  await page.getByRole("button", { name: "Send", exact: true }).click();
  // User text is text: the key shows literally, no element is created from it.
  await page.locator(".record-cell").first().click();
  assert.match(await page.locator(".inspector .facts").textContent(), /<img src=x onerror=alert\(1\)>/);
  assert.equal(await page.locator("img[src=x]").count(), 0);
  await page.keyboard.press("Escape");
  await page.getByRole("button", { name: "Pause" }).click();
  const before = await stateOf(page);
  const packed = (text) => page.evaluate((t) => window.kafkascope.pack(t), text);
  const bad = [
    ["!!not-base64!!", /could not be opened: the link is damaged/],
    ["AAAA", /could not be opened: the link is damaged \(it does not decompress\)/],
    [await packed("this is not json"), /could not be opened: not valid JSON/],
    [await packed('{"kafkascope":7}'), /newer kafkascope/],
    [await packed(JSON.stringify({ kafkascope: 1, now_ms: 10, scenario: { version: 1, topics: "three" } })), /invalid session/],
    ["A".repeat(250_000), /too long/],
  ];
  for (const [data, message] of bad) {
    await page.evaluate((d) => { location.hash = "s=" + d; }, data);
    await until(() => notice(page).catch(() => ""), (t) => message.test(t), `message for ${data.slice(0, 20)}`);
    assert.match(await notice(page), /Nothing was changed/);
    assert.equal(await stateOf(page), before, "state untouched");
    await page.getByRole("button", { name: "dismiss message" }).click();
  }
  // A bad file.
  for (const [body, message] of [
    ["{ nope", /This file could not be loaded: not valid JSON/],
    ['{"version": 1, "topics": [{"name": "t", "partitions": 0}]}', /could not be loaded: topics\[0\]: partitions must be between/],
  ]) {
    const chooser = page.waitForEvent("filechooser");
    await page.getByRole("button", { name: "Import" }).click();
    await (await chooser).setFiles({ name: "bad.json", mimeType: "application/json", buffer: Buffer.from(body) });
    await until(() => notice(page).catch(() => ""), (t) => message.test(t), "file message");
    assert.equal(await stateOf(page), before, "state untouched by a bad file");
    await page.getByRole("button", { name: "dismiss message" }).click();
  }
  assert.deepEqual(problems, []);
  await page.close();

  // A damaged autosave: one message, a fresh start, and the damaged copy is gone.
  const ctx = await browser.newContext();
  await ctx.addInitScript(() => {
    if (!sessionStorage.getItem("seeded")) {
      sessionStorage.setItem("seeded", "1");
      localStorage.setItem("kafkascope.session", '{"kafkascope":1,"now_ms":"soon"}');
    }
  });
  const p2 = await ctx.newPage();
  await p2.goto(server.url);
  await until(() => notice(p2).catch(() => ""), (t) => /could not be restored/.test(t), "autosave message");
  assert.deepEqual(await topicNames(p2), ["orders"]);
  assert.equal(await p2.evaluate(() => localStorage.getItem("kafkascope.session")), null, "the damaged copy is gone");
  await ctx.close();
});

test("an exported file imports back to the same state", async () => {
  const { page, problems } = await openApp(browser, `${server.url}?scenario=first-topic`);
  await page.getByRole("combobox", { name: "Speed" }).selectOption("10×");
  await until(() => page.locator(".record-cell").count(), (n) => n >= 9, "the preset's nine records");
  await page.getByRole("button", { name: "Pause" }).click();
  const download = page.waitForEvent("download");
  await page.getByRole("button", { name: "Export" }).click();
  const file = await (await download).path();
  const { readFile } = await import("node:fs/promises");
  const text = await readFile(file, "utf8");
  const scenario = JSON.parse(text);
  assert.equal(scenario.version, 1);
  assert.ok(scenario.run_until_ms > 0);
  assert.match(text, /\n {2}"seed"/, "pretty-printed for people");
  const cells = await page.locator(".record-cell").count();
  const chooser = page.waitForEvent("filechooser");
  await page.getByRole("button", { name: "Import" }).click();
  await (await chooser).setFiles({ name: "mine.json", mimeType: "application/json", buffer: Buffer.from(text) });
  await until(() => notice(page).catch(() => ""), (t) => /Loaded/.test(t), "loaded");
  // A scenario file starts from 0 and replays its commands on the way.
  await until(() => page.locator(".record-cell").count(), (n) => n === cells, "same records again", 20_000);
  assert.deepEqual(problems, []);
  await page.close();
});
