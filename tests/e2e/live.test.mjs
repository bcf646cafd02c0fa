// End-to-end flows of the live visualiser (issue "The live visualiser") in real Chromium:
// keyed produce, the course's 2 → 3 → 4 consumers on 3 partitions, a crash noticed after the
// session timeout, and lag that rises and falls. Every number checked here comes from the
// simulation as the page shows it. Screenshots go to target/e2e/.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { serveDist, launchBrowser, openApp, screenshot, until } from "./support.mjs";

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

const card = (page, id) => page.locator(".consumer-card", { has: page.locator(".consumer-id", { hasText: new RegExp(`^${id}$`) }) });
const parts = (page, id) => card(page, id).locator(".consumer-parts").textContent();
const statusOf = (page, id) => card(page, id).locator(".consumer-status").textContent();
/** Σ of the consumer cards' "lag N" (log end offset − position): the backlog, without the
 *  saw-tooth that the 5 s auto-commit puts on the committed lag. */
const groupLag = async (page) => {
  const texts = await page.locator(".consumer-card .consumer-stats").allTextContents();
  return texts.reduce((sum, t) => sum + Number(/lag (\d+)/.exec(t)?.[1] ?? 0), 0);
};

async function setSpeed(page, label) {
  await page.getByRole("combobox", { name: "Speed" }).selectOption(label);
}

async function setRange(page, name, value) {
  await page.getByRole("slider", { name }).evaluate((el, v) => {
    el.value = String(v);
    el.dispatchEvent(new Event("change", { bubbles: true }));
  }, value);
}

test("producing the same key twice lands in the same partition, with the reason shown", async () => {
  const { page, problems } = await openApp(browser, server.url);
  const key = page.getByRole("textbox", { name: "record key" });
  await key.fill("user-3");
  const send = page.getByRole("button", { name: "Send", exact: true });
  await send.click();
  await send.click();
  const reason = await page.getByRole("status").filter({ hasText: "murmur2" }).textContent();
  assert.match(reason, /key "user-3" → murmur2 = -?\d+ → toPositive % 3 = P\d → offset 1/);
  const partition = Number(/= P(\d)/.exec(reason)[1]);
  const lanes = page.locator("section.stage li.lane");
  for (let p = 0; p < 3; p++) {
    const cells = await lanes.nth(p).locator(".record-cell").count();
    assert.equal(cells, p === partition ? 2 : 0, `P${p} has ${cells} records`);
  }
  // A record's inspector: key, offset, partition.
  await lanes.nth(partition).locator(".record-cell").first().click();
  const facts = await page.locator(".inspector .facts").textContent();
  assert.match(facts, /partition\s*\d\s*offset\s*0\s*key\s*"user-3"/);
  await screenshot(page, "live-keyed-produce");
  assert.deepEqual(problems, []);
  await page.close();
});

test("a lane draws its newest 32 records in offset order, the newest flush with the log end", async () => {
  const { page, problems } = await openApp(browser, server.url);
  await page.getByRole("textbox", { name: "record key" }).fill("user-3");
  await page.getByRole("spinbutton", { name: "burst size" }).fill("40");
  await page.getByRole("button", { name: "Send burst" }).click();
  const lane = page.locator("section.stage li.lane", { has: page.locator(".record-cell") });
  await until(() => lane.locator(".record-cell").count(), (n) => n === 32, "a full window");
  const measure = () => lane.evaluate((li) => {
    const box = li.querySelector(".lane-cells").getBoundingClientRect();
    return [...li.querySelectorAll(".record-cell")].map((c) => {
      const r = c.getBoundingClientRect();
      return { text: c.textContent, left: r.left, right: r.right - box.right };
    });
  });
  // The strip glides left by 40 cells (a 200 ms transition), then rests.
  const cells = await until(measure, (cs) => Math.abs(cs[31].right) < 0.5, "the newest cell ends at the lane's right edge");
  // DOM order is offset order (tab order, screen readers), 8 … 39; each cell says its offset.
  assert.deepEqual(cells.map((c) => Number(c.text)), Array.from({ length: 32 }, (_, i) => 8 + i));
    // Left to right, one pitch apart, the newest ending at the lane's right edge (the LEO).
  assert.ok(cells.every((c, i) => i === 0 || Math.abs(c.left - cells[i - 1].left - 30) < 0.5), JSON.stringify(cells.slice(0, 3)));
  assert.equal(await lane.locator(".leo-marker").textContent(), "40");
  // One more: still 32 cells, now 9 … 40; selecting a cell marks exactly that one.
  await page.getByRole("button", { name: "Send", exact: true }).click();
  await until(() => lane.locator(".record-cell").first().textContent(), (t) => t === "9", "the window moved on");
  assert.equal(await lane.locator(".record-cell").count(), 32);
  await lane.locator(".record-cell").last().click();
  assert.deepEqual(await lane.locator(".record-cell.selected").allTextContents(), ["40"]);
  assert.deepEqual(problems, []);
  await page.close();
});

test("2, 3, 4 consumers on 3 partitions: range gives the course's assignments and the 4th is idle", async () => {
  const { page, problems } = await openApp(browser, server.url);
  await setSpeed(page, "10");
  await until(async () => [await parts(page, "c1"), await parts(page, "c2")], (v) => v[0] === "P0,P1" && v[1] === "P2", "two consumers: C1 P0,P1 / C2 P2");
  const add = page.getByRole("button", { name: "+ consumer" }).first();
  await add.click();
  await until(async () => [await parts(page, "c1"), await parts(page, "c2"), await parts(page, "c3")], (v) => v.join(" ") === "P0 P1 P2", "three consumers: one partition each");
  await add.click();
  await until(() => statusOf(page, "c4"), (s) => s === "idle", "the fourth consumer is idle");
  assert.equal(await parts(page, "c4"), "—");
  // The counters row (where the note is) redraws at the readout rate, up to 100 ms later.
  await until(() => card(page, "c4").textContent(), (t) => /more consumers than partitions/.test(t), "the idle note");
  assert.match(await page.locator(".group-card .state-badge").first().textContent(), /Stable/);
  await screenshot(page, "live-four-consumers");
  assert.deepEqual(problems, []);
  await page.close();
});

test("a crashed consumer keeps its partitions until session.timeout.ms, then they move", async () => {
  const { page, problems } = await openApp(browser, server.url);
  await setSpeed(page, "10");
  await until(() => parts(page, "c2"), (v) => v === "P2", "stable group");
  await card(page, "c2").getByRole("button", { name: "crash" }).click();
  await until(() => statusOf(page, "c2"), (s) => s === "crashed", "c2 shows crashed");
  // Still its partition on the coordinator, with a countdown.
  assert.equal(await parts(page, "c2"), "P2");
  assert.match(await card(page, "c2").locator(".countdown").textContent(), /session timeout in \d+\.\d s/);
  await screenshot(page, "live-crash-countdown");
  await until(() => parts(page, "c1"), (v) => v === "P0,P1,P2", "after the session timeout c1 owns everything", 20_000);
  assert.match(await page.locator(".event-log").textContent(), /c2 removed from group billing: no heartbeat within session.timeout.ms/);
  assert.deepEqual(problems, []);
  await page.close();
});

test("lag rises when producing faster than consuming and falls after adding a consumer", async () => {
  const { page, problems } = await openApp(browser, server.url);
  await setSpeed(page, "10");
  await until(() => parts(page, "c2"), (v) => v === "P2", "stable group");
  // 90 records/s round-robin over 3 partitions (30/s each). At 20 ms/record a consumer
  // processes 50/s: c1 owns two partitions (60/s) and falls behind by 10/s; once c3 joins,
  // c1 keeps one (30/s) and catches up at 20/s.
  await page.getByRole("combobox", { name: "key mode" }).selectOption("none");
  await page.getByRole("combobox", { name: "partitioner" }).selectOption("rr");
  // The slider stops at 0, 1, 2, 5, 10, 20, 50, 100, …/s: stop 7 is 100/s.
  await setRange(page, "auto-produce rate, records per second", 7);
  assert.match(await page.locator(".rate strong").textContent(), /^100\/s$/);
  const risen = await until(() => groupLag(page), (lag) => lag > 120, "lag builds up with two consumers", 30_000);
  await page.getByRole("button", { name: "+ consumer" }).first().click();
  await until(() => parts(page, "c3"), (v) => v === "P2", "c3 joins");
  await until(() => groupLag(page), (lag) => lag < risen / 2, "lag falls with three consumers", 45_000);
  await screenshot(page, "live-lag-falls");
  assert.deepEqual(problems, []);
  await page.close();
});
