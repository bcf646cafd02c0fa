// End-to-end flow of the cluster view (issue "Brokers, replication and failover") in real
// Chromium: grow the playground to three brokers, create a topic with replication factor 3,
// crash the broker that leads a partition, and watch the controller move leadership to an
// in-sync replica and shrink the ISR; then restart it and watch it rejoin.
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

test("crashing a partition leader's broker moves leadership to an in-sync replica", async () => {
  const { page, problems } = await openApp(browser, server.url);
  await page.getByRole("combobox", { name: "Speed" }).selectOption("10×");
  const cluster = page.locator("section.cluster");
  const addBroker = cluster.getByRole("button", { name: "+ broker" });
  await addBroker.click();
  await addBroker.click();
  await until(() => cluster.locator(".broker").count(), (n) => n === 3, "three brokers");
  assert.match(await cluster.locator(".panel-hint").first().textContent(), /active controller: broker \d/);

  await page.getByRole("textbox", { name: "new topic name" }).fill("payments");
  await page.getByRole("spinbutton", { name: "replication factor of the new topic" }).fill("3");
  await page.getByRole("button", { name: "+ topic" }).click();
  // The playground's single broker is the only KRaft voter: crashing it would leave no
  // controller to elect anyone (a lesson of its own). Crash the leader of a partition led
  // by another broker.
  const controller = Number(/active controller: broker (\d)/.exec(await cluster.locator(".panel-hint").first().textContent())[1]);
  let lane;
  let leader;
  for (let p = 0; p < 3; p++) {
    const l = page.getByRole("listitem", { name: `payments partition ${p}` });
    const t = await until(() => l.locator(".lane-repl").textContent(), (t) => /leader \d · ISR \d,\d,\d/.test(t), `P${p} replicated`);
    const id = Number(/leader (\d)/.exec(t)[1]);
    if (id !== controller) {
      lane = l;
      leader = id;
      break;
    }
  }
  assert.ok(lane, "rack-unaware placement spreads the leaders: one is not the controller");
  const repl = () => lane.locator(".lane-repl").textContent();
  await cluster.locator(`[aria-label="broker ${leader}"]`).getByRole("button", { name: "crash" }).click();
  const moved = await until(repl, (t) => {
    const m = /leader (\d) · ISR ([\d,]+)/.exec(t);
    return m && Number(m[1]) !== leader && !m[2].split(",").includes(String(leader));
  }, "leadership moved off the crashed broker", 30_000);
  const newLeader = Number(/leader (\d)/.exec(moved)[1]);
  assert.ok(/ISR ([\d,]+)/.exec(moved)[1].split(",").includes(String(newLeader)), "the new leader is in the ISR");
  assert.match(await cluster.locator(`[aria-label="broker ${leader}"] .broker-state`).textContent(), /crashed/);
  const log = await page.locator(".event-log").textContent();
  assert.match(log, new RegExp(`broker ${leader}`), "the event log narrates it");
  await screenshot(page, "cluster-leader-moved");

  // acks on the producer panel is the topic's setting the cluster panel shows.
  await page.getByRole("combobox", { name: "topic to produce to" }).selectOption("payments");
  await page.getByRole("combobox", { name: "acks", exact: true }).selectOption("1");
  await until(() => cluster.getByRole("combobox", { name: "acks for payments" }).inputValue(), (v) => v === "1", "acks=1 for payments");
  assert.equal(await cluster.getByRole("combobox", { name: "acks for orders" }).inputValue(), "all", "orders keeps the default");

  await cluster.locator(`[aria-label="broker ${leader}"]`).getByRole("button", { name: "restart" }).click();
  await until(repl, (t) => /ISR \d,\d,\d/.test(t), "the restarted broker rejoins the ISR", 30_000);
  assert.deepEqual(problems, []);
  await page.close();
});
