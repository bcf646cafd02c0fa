// End-to-end: the release build of the layout shell in real Chromium, served under a sub-path.
// Screenshots go to target/e2e/.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { serveDist, launchBrowser, openApp, screenshot } from "./support.mjs";

let server;
let browser;

before(async () => {
  server = await serveDist();
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.close();
});

test("the app loads from a sub-path, mounts, and logs no error", async () => {
  const { page, problems, mountedMs } = await openApp(browser, server.url);
  console.log(`  mounted ${mountedMs} ms after navigation to ${server.url}`);

  await page.getByRole("banner").waitFor();
  await page.getByRole("toolbar", { name: "Time controls" }).waitFor();
  await page.getByRole("main").waitFor();
  await page.getByRole("region", { name: "Topics" }).waitFor();
  await page.getByRole("complementary", { name: "Consumer groups" }).waitFor();
  assert.equal(await page.locator("#boot").count(), 0, "the loading note is gone");
  assert.equal(await page.title(), "kafkascope: Apache Kafka, live in your browser");

  await screenshot(page, "shell-light-1280x800");
  assert.deepEqual(problems, []);
  await page.close();
});

test("play, step, speed and theme change what is shown", async () => {
  const { page, problems } = await openApp(browser, server.url);
  const toolbar = page.getByRole("toolbar", { name: "Time controls" });
  const clock = toolbar.getByRole("status", { name: "Simulation clock" });
  const step = toolbar.getByRole("button", { name: "Step" });

  // The page starts playing: pause, then each Step advances the virtual clock 100 ms.
  await toolbar.getByRole("button", { name: "Pause" }).click();
  await assertText(clock, /Paused\s*1×\s*t = [\d.]+ s/);
  const seconds = async () => Number(/t = ([\d.]+) s/.exec(await clock.textContent())[1]);
  const before = await seconds();
  await step.click();
  await step.click();
  await assertText(clock, new RegExp(`t = ${(before + 0.2).toFixed(1).replace(".", "\\.")} s`));

  await toolbar.getByRole("combobox", { name: "Speed" }).selectOption("2");
  await toolbar.getByRole("button", { name: "Play" }).click();
  await toolbar.getByRole("button", { name: "Pause" }).waitFor();
  await assertText(clock, /Playing\s*2×/);
  assert.equal(await step.isDisabled(), true, "no stepping while playing");
  await toolbar.getByRole("button", { name: "Pause" }).click();
  assert.equal(await step.isDisabled(), false);

  const html = page.locator("html");
  const background = () => page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor);
  assert.equal(await html.getAttribute("data-theme"), "light");
  const lightBackground = await background();
  const toggle = page.getByRole("button", { name: "Dark theme" });
  await toggle.click();
  assert.equal(await html.getAttribute("data-theme"), "dark");
  assert.equal(await toggle.getAttribute("aria-pressed"), "true");
  assert.notEqual(await background(), lightBackground, "the page colours change");
  await screenshot(page, "shell-dark-1280x800");

  // The choice survives a reload (index.html applies it before the first paint).
  await page.reload();
  await page.getByRole("heading", { level: 1, name: "kafkascope" }).waitFor();
  assert.equal(await html.getAttribute("data-theme"), "dark");

  assert.deepEqual(problems, []);
  await page.close();
});

test("at 1024×768 (a projector) everything fits without sideways scrolling", async () => {
  const { page, problems } = await openApp(browser, server.url, { width: 1024, height: 768 });
  const overflow = await page.evaluate(
    () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
  );
  assert.equal(overflow, 0, "no horizontal scrollbar");
  const stage = await page.getByRole("region", { name: "Topics" }).boundingBox();
  const side = await page.getByRole("complementary", { name: "Consumer groups" }).boundingBox();
  assert.ok(side.x >= stage.x + stage.width, "the side panel sits beside the stage");
  assert.ok(side.x + side.width <= 1024, "the side panel is on screen");
  await screenshot(page, "shell-light-1024x768");
  assert.deepEqual(problems, []);
  await page.close();
});

// An iframe in course material or a phone: one column, every panel as wide as the page.
for (const width of [390, 600]) {
  test(`at ${width} px wide (a phone, a narrow iframe) the panels stack in one column`, async () => {
    const { page, problems } = await openApp(browser, server.url, { width, height: 800 });
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    );
    assert.equal(overflow, 0, "no horizontal scrollbar");
    const stage = await page.getByRole("region", { name: "Topics" }).boundingBox();
    const side = await page.getByRole("complementary", { name: "Consumer groups" }).boundingBox();
    assert.ok(stage.width >= width - 80, `the stage takes the page's width (${stage.width} px)`);
    assert.ok(side.width >= width - 80, `so do the groups (${side.width} px)`);
    assert.ok(side.y >= stage.y + stage.height, "the groups come below the stage");
    const producer = await page.getByRole("region", { name: "Producer" }).boundingBox();
    assert.ok(producer.y >= side.y + side.height, "and before the producer (what lessons watch first)");
    await screenshot(page, `shell-light-${width}`);
    assert.deepEqual(problems, []);
    await page.close();
  });
}

async function assertText(locator, pattern) {
  // Leptos updates the DOM on the next microtask; give it a moment, then compare.
  const deadline = Date.now() + 2_000;
  let text = "";
  while (Date.now() < deadline) {
    text = (await locator.textContent()) ?? "";
    if (pattern.test(text)) return;
    await new Promise((ok) => setTimeout(ok, 20));
  }
  assert.match(text, pattern);
}
