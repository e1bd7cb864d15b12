// The web release as a person sees it: headless Chromium (Debian's `chromium`) driven by
// playwright-core, with axe-core injected into every page.
//
// It needs a release of the fixtures, made by `scripts/browser-test` (MOPAC_RELEASE), and
// writes its screenshots to MOPAC_SCREENSHOTS (a temporary folder when unset). Nothing is
// fetched from the network: every request that leaves the release fails the test.

import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "node:http";
import { createRequire } from "node:module";
import { mkdtempSync, readFileSync, existsSync, statSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { chromium } from "playwright-core";

const require = createRequire(import.meta.url);
const AXE = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
const WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];

const RELEASE = process.env.MOPAC_RELEASE;
if (!RELEASE || !existsSync(path.join(RELEASE, "manifest.json"))) {
  throw new Error("MOPAC_RELEASE must name a release folder (run scripts/browser-test)");
}
const SHOTS = process.env.MOPAC_SCREENSHOTS || mkdtempSync(path.join(tmpdir(), "mopac-shots-"));
mkdirSync(SHOTS, { recursive: true });
const CHROMIUM = process.env.MOPAC_CHROMIUM || "/usr/bin/chromium";

const manifest = JSON.parse(readFileSync(path.join(RELEASE, "manifest.json"), "utf8"));
const published = manifest.documents.filter((d) => d.status === "published");
const pages = published.map((d) => d.outputs.find((o) => o.endsWith(".html")));
// The seed-shaped report: the page the publication team would put on the web.
const SEED = pages.find((p) => p.endsWith("seed-shape.html"));

/** A static server for the release under a web root that is not `/`. */
const WEB_ROOT = "/publications/mopac/decisions/";
let server;
let serverUrl;
let context;
const requests = [];

before(async () => {
  server = createServer((req, res) => {
    const url = new URL(req.url, "http://localhost");
    if (!url.pathname.startsWith(WEB_ROOT)) {
      res.writeHead(404).end();
      return;
    }
    const rel = decodeURIComponent(url.pathname.slice(WEB_ROOT.length)) || "index.html";
    const file = path.join(RELEASE, rel);
    if (!file.startsWith(path.resolve(RELEASE)) || !existsSync(file) || !statSync(file).isFile()) {
      res.writeHead(404).end();
      return;
    }
    const type = file.endsWith(".css") ? "text/css" : file.endsWith(".html") ? "text/html; charset=utf-8" : "text/plain; charset=utf-8";
    res.writeHead(200, { "content-type": type }).end(readFileSync(file));
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  serverUrl = `http://127.0.0.1:${server.address().port}${WEB_ROOT}`;

  const profile = mkdtempSync(path.join(tmpdir(), "mopac-chromium-"));
  context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
    viewport: { width: 1280, height: 900 },
  });
  // Nothing may leave the release: only file:// and the local server are answered.
  await context.route("**/*", (route) => {
    const url = route.request().url();
    requests.push(url);
    if (url.startsWith("file://") || url.startsWith(serverUrl)) {
      return route.continue();
    }
    return route.abort();
  });
});

after(async () => {
  await context?.close();
  await new Promise((resolve) => server?.close(resolve));
});

const fileUrl = (rel) => pathToFileURL(path.join(RELEASE, rel)).href;

/** Opens `url` in a new tab, failing on any console error or failed request. */
async function open(url, viewport) {
  const page = await context.newPage();
  if (viewport) await page.setViewportSize(viewport);
  const problems = [];
  page.on("console", (m) => m.type() === "error" && problems.push(`console: ${m.text()}`));
  page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
  page.on("requestfailed", (r) => problems.push(`request failed: ${r.url()}`));
  page.on("response", (r) => r.status() >= 400 && problems.push(`HTTP ${r.status()}: ${r.url()}`));
  await page.goto(url, { waitUntil: "load" });
  return { page, problems };
}

async function axe(page) {
  await page.addScriptTag({ content: AXE });
  return page.evaluate(
    (tags) => window.axe.run(document, { runOnly: { type: "tag", values: tags }, resultTypes: ["violations"] }),
    WCAG,
  );
}

function describeViolations(violations) {
  return violations
    .map((v) => `${v.id} (${v.impact}): ${v.help}\n  ${v.nodes.map((n) => n.target.join(" ")).join("\n  ")}`)
    .join("\n");
}

async function styled(page) {
  // The release's stylesheet is applied: the masthead is dark, the body in a system font.
  return page.evaluate(() => {
    const masthead = document.querySelector(".masthead");
    return {
      sheets: document.styleSheets.length,
      font: getComputedStyle(document.body).fontFamily,
      masthead: masthead && getComputedStyle(masthead).backgroundColor,
    };
  });
}

test("the release has an index and a page per published report", () => {
  assert.ok(pages.length >= 20, `only ${pages.length} pages`);
  assert.ok(SEED, "the seed-shaped fixture is published");
  assert.ok(existsSync(path.join(RELEASE, "index.html")));
  assert.ok(existsSync(path.join(RELEASE, "style.css")));
});

test("every page and the index pass axe (WCAG 2.1 AA), styled, at 320px without sideways scrolling", async () => {
  const failures = [];
  for (const rel of ["index.html", ...pages]) {
    // Wide from the web root (axe reads the stylesheet over HTTP, as file:// forbids), and
    // 320px wide from disk.
    for (const [url, width] of [[serverUrl + rel, 1280], [fileUrl(rel), 320]]) {
      const { page, problems } = await open(url, { width, height: 800 });
      const s = await styled(page);
      if (s.sheets !== 1 || !s.font.startsWith("system-ui") || s.masthead !== "rgb(11, 12, 12)") {
        failures.push(`${rel}: the stylesheet is not applied (${JSON.stringify(s)})`);
      }
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      if (overflow > 0) failures.push(`${rel} at ${width}px: ${overflow}px wider than the screen`);
      if (width === 1280) {
        const result = await axe(page);
        if (result.violations.length) failures.push(`${rel}:\n${describeViolations(result.violations)}`);
      }
      failures.push(...problems.map((p) => `${rel}: ${p}`));
      await page.close();
    }
  }
  assert.deepEqual(failures, []);
});

test("the seed-shaped page has its landmarks, marking, header, notice region and footnotes", async () => {
  const { page, problems } = await open(fileUrl(SEED));
  const facts = await page.evaluate(() => ({
    lang: document.documentElement.lang,
    title: document.title,
    markings: [...document.querySelectorAll(".marking")].map((m) => m.textContent),
    h1: [...document.querySelectorAll("h1")].map((h) => h.textContent),
    main: document.querySelectorAll("main").length,
    notice: document.querySelector("section[aria-labelledby]")?.getAttribute("aria-labelledby"),
    h2: [...document.querySelectorAll("main h2")].map((h) => h.textContent),
  }));
  assert.equal(facts.lang, "en-GB");
  assert.match(facts.title, /^MPS Custody Telephony Replacement/);
  assert.deepEqual(facts.markings, ["OFFICIAL – PUBLIC", "OFFICIAL – PUBLIC"]);
  assert.deepEqual(facts.h1, ["MPS Custody Telephony Replacement"]);
  assert.equal(facts.main, 1);
  assert.equal(facts.notice, "exemption-notice");
  assert.ok(facts.h2.includes("Recommendations") && facts.h2.includes("Legal Comments"), facts.h2.join(" | "));
  const region = page.getByRole("region", { name: /Part 2 of Custody Telephony Replacement is exempt/ });
  assert.equal(await region.count(), 1);

  // Footnotes, both ways: the reference leads to the note, the note's back link returns.
  await page.locator("a.footnote-ref", { hasText: "¹" }).first().click();
  assert.match(page.url(), /#note-1$/);
  assert.ok(await page.locator("#note-1").isVisible());
  await page.locator("#note-1 a.footnote-back").click();
  assert.match(page.url(), /#note-ref-1$/);

  await page.setViewportSize({ width: 1280, height: 900 });
  await page.goto(fileUrl(SEED));
  await page.screenshot({ path: path.join(SHOTS, "seed-page-desktop.png"), fullPage: true });
  await page.screenshot({ path: path.join(SHOTS, "seed-page-first-screen.png") });
  await page.locator("#part-2").scrollIntoViewIfNeeded();
  await page.evaluate(() => document.getElementById("part-2").scrollIntoView());
  await page.screenshot({ path: path.join(SHOTS, "seed-page-part-2.png") });
  await page.setViewportSize({ width: 320, height: 640 });
  await page.screenshot({ path: path.join(SHOTS, "seed-page-320.png"), fullPage: true });
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: path.join(SHOTS, "seed-page-320-first-screen.png") });
  await page.emulateMedia({ media: "print" });
  await page.setViewportSize({ width: 794, height: 1123 });
  await page.screenshot({ path: path.join(SHOTS, "seed-page-print.png"), fullPage: true });
  await page.close();
  assert.deepEqual(problems, []);
});

test("the seed-shaped page opens with a contents list whose links go to its sections", async () => {
  const { page, problems } = await open(fileUrl(SEED));
  const contents = page.getByRole("navigation", { name: "Contents" });
  assert.equal(await contents.count(), 1);
  const entries = await contents.getByRole("link").evaluateAll((as) => as.map((a) => ({ href: a.getAttribute("href"), text: a.textContent })));
  // The body's level-2 headings, in order, then Part 2.
  const headings = await page.evaluate(() =>
    [...document.querySelectorAll("main article > h1, main article > h2")].map((h) => ({ id: h.id, text: h.textContent.replace(/[¹²³⁴⁵⁶⁷⁸⁹⁰]+$/, "") })),
  );
  assert.ok(entries.length >= 10, `only ${entries.length} entries`);
  assert.deepEqual(
    entries.slice(0, -1),
    headings.map((h) => ({ href: `#${h.id}`, text: h.text })),
  );
  assert.deepEqual(entries.at(-1), { href: "#part-2", text: "Part 2 (not published)" });
  assert.ok(entries.some((e) => e.text === "Legal Comments"));

  // Each link leads to its heading, scrolled into view.
  for (const entry of [entries[1], entries.find((e) => e.text === "Legal Comments"), entries.at(-1)]) {
    await contents.getByRole("link", { name: entry.text, exact: true }).click();
    assert.ok(page.url().endsWith(entry.href), `${page.url()} for ${entry.href}`);
    const target = page.locator(entry.href);
    assert.match(await target.evaluate((h) => h.tagName), /^H2$/);
    assert.ok(await target.isVisible());
    const top = await target.evaluate((h) => h.getBoundingClientRect().top);
    // Scrolled to (a little below) the top, or into view when the page ends first.
    assert.ok(top > 0 && top < 900, `${entry.href} at ${top}px`);
  }
  // The published date and the licence line.
  assert.equal(await page.locator(".report-header .published").textContent(), "Published 25 November 2026");
  assert.match(await page.locator(".site-footer .licence").textContent(), /^© Mayor of London 2026\. .*Open Government Licence v3\.0 except where otherwise stated\.$/);

  await page.evaluate(() => window.scrollTo(0, 0));
  await page.locator("nav.contents-list").scrollIntoViewIfNeeded();
  await page.screenshot({ path: path.join(SHOTS, "seed-page-contents.png") });
  await page.setViewportSize({ width: 320, height: 640 });
  await page.locator("nav.contents-list").scrollIntoViewIfNeeded();
  await page.screenshot({ path: path.join(SHOTS, "seed-page-contents-320.png") });
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.equal(overflow, 0, "the contents list at 320px scrolls sideways");
  await page.close();
  assert.deepEqual(problems, []);
});

test("on every page, each contents link leads to a heading of that page", async () => {
  const failures = [];
  for (const rel of pages) {
    const { page, problems } = await open(fileUrl(rel));
    const lost = await page.evaluate(() =>
      [...document.querySelectorAll("nav.contents-list a")]
        .map((a) => a.getAttribute("href"))
        .filter((h) => !/^H[1-6]$/.test(document.getElementById(h.slice(1))?.tagName ?? "")),
    );
    if (lost.length) failures.push(`${rel}: contents links to no heading: ${lost.join(" ")}`);
    failures.push(...problems.map((p) => `${rel}: ${p}`));
    await page.close();
  }
  assert.deepEqual(failures, []);
});

test("the index lists every published report, sorted, and its links work from disk", async () => {
  const { page, problems } = await open(fileUrl("index.html"));
  await page.screenshot({ path: path.join(SHOTS, "index.png"), fullPage: true });
  const links = await page.locator("ol.report-list a").evaluateAll((as) => as.map((a) => a.getAttribute("href")));
  assert.equal(links.length, pages.length);
  assert.deepEqual([...links].map(decodeURIComponent).sort(), [...pages].sort());
  const dates = await page.locator("ol.report-list time").evaluateAll((ts) => ts.map((t) => t.getAttribute("datetime")));
  assert.deepEqual(dates, [...dates].sort().reverse(), "listed newest first");
  // Every entry gives its reference, meeting and date, or says it has none.
  const facts = await page.locator("ol.report-list > li").evaluateAll((lis) =>
    lis.map((li) => [...li.querySelectorAll(".listing-facts dt")].map((dt) => `${dt.textContent} ${dt.nextElementSibling.textContent}`)),
  );
  assert.equal(facts.length, pages.length);
  for (const entry of facts) {
    assert.deepEqual(entry.map((f) => f.split(" ")[0]), ["Reference", "Meeting", "Date"], entry.join(" | "));
  }
  assert.ok(facts.some((entry) => entry[0] === "Reference not given"), "a report without a reference says so");

  // Follow a link to the seed-shaped page, then the masthead's link back.
  await page.locator('ol.report-list a[href$="/seed-shape.html"]').click();
  await page.waitForLoadState("load");
  assert.equal(page.url(), fileUrl(SEED));
  assert.equal(await page.locator("h1").textContent(), "MPS Custody Telephony Replacement");
  await page.getByRole("navigation", { name: "Release" }).getByRole("link").click();
  await page.waitForLoadState("load");
  assert.equal(page.url(), fileUrl("index.html"));
  await page.close();
  assert.deepEqual(problems, []);
});

test("from a web root that is not /, every link of the index and the pages resolves", async () => {
  const { page, problems } = await open(serverUrl);
  const links = await page.locator("a[href]").evaluateAll((as) => as.map((a) => a.href));
  for (const href of links.filter((h) => !h.includes("#"))) {
    const response = await page.request.get(href);
    assert.equal(response.status(), 200, href);
  }
  await page.locator('ol.report-list a[href$="/seed-shape.html"]').click();
  await page.waitForLoadState("load");
  assert.equal(page.url(), serverUrl + SEED);
  assert.equal((await styled(page)).masthead, "rgb(11, 12, 12)");
  await page.getByRole("navigation", { name: "Release" }).getByRole("link").click();
  await page.waitForLoadState("load");
  assert.equal(page.url(), serverUrl + "index.html");
  await page.close();
  assert.deepEqual(problems, []);
  const outside = requests.filter((u) => !u.startsWith("file://") && !u.startsWith(serverUrl));
  assert.deepEqual(outside, [], "requests that left the release");
});
