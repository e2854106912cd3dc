// The VS Code extension in a real VS Code: code-server (from the npm registry) with the built
// .vsix installed, driven by Playwright in Debian's Chromium, as a user would drive it.
//
//   node run.mjs VSIX WORKSPACE ARTIFACTS
//
// WORKSPACE holds the lab chart (lab/stateful-python-app.yaml) and an app split in two files
// (app/service.yaml, app/statefulset.yaml). Each step keeps a screenshot in ARTIFACTS; a failed
// step keeps one named `failed-*.png` and exits 1.

import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { chromium } from "playwright-core";

const [vsix, workspace, artifacts] = process.argv.slice(2);
if (!vsix || !workspace || !artifacts) {
  console.error("usage: node run.mjs VSIX WORKSPACE ARTIFACTS");
  process.exit(2);
}
const here = path.dirname(new URL(import.meta.url).pathname);
const codeServer = path.join(here, "node_modules", ".bin", "code-server");
const lab = path.join(workspace, "lab", "stateful-python-app.yaml");
fs.mkdirSync(artifacts, { recursive: true });
const home = fs.mkdtempSync(path.join(os.tmpdir(), "stslint-vscode-"));
const userData = path.join(home, "user-data");
const extensions = path.join(home, "extensions");
fs.mkdirSync(path.join(userData, "User"), { recursive: true });
fs.writeFileSync(
  path.join(userData, "User", "settings.json"),
  JSON.stringify(
    {
      "workbench.startupEditor": "none",
      "workbench.tips.enabled": false,
      "security.workspace.trust.enabled": false,
      "telemetry.telemetryLevel": "off",
      "extensions.autoCheckUpdates": false,
      "extensions.autoUpdate": false,
      "update.mode": "none",
      "files.autoSave": "off",
      "editor.hover.delay": 100,
      "[yaml]": { "editor.codeActionsOnSave": { "source.fixAll.stslint": "explicit" } },
    },
    null,
    2,
  ),
);

function log(...args) {
  console.log(`[${new Date().toISOString().slice(11, 23)}]`, ...args);
}

// The extension from its package, as a user installs it.
const installed = spawnSync(
  codeServer,
  ["--user-data-dir", userData, "--extensions-dir", extensions, "--install-extension", vsix],
  { encoding: "utf8" },
);
if (installed.status !== 0) {
  console.error(installed.stdout, installed.stderr);
  process.exit(1);
}
log("installed", path.basename(vsix));

async function freePort() {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

const port = await freePort();
const server = spawn(
  codeServer,
  [
    "--auth", "none",
    "--bind-addr", `127.0.0.1:${port}`,
    "--disable-telemetry",
    "--disable-update-check",
    "--disable-workspace-trust",
    "--disable-getting-started-override",
    "--user-data-dir", userData,
    "--extensions-dir", extensions,
    workspace,
  ],
  { stdio: ["ignore", "pipe", "pipe"] },
);
const serverLog = fs.createWriteStream(path.join(artifacts, "code-server.log"));
server.stdout.pipe(serverLog);
server.stderr.pipe(serverLog);
await new Promise((resolve, reject) => {
  const deadline = setTimeout(() => reject(new Error("code-server did not listen in 60 s")), 60000);
  const poll = () => {
    const socket = net.connect(port, "127.0.0.1", () => {
      socket.end();
      clearTimeout(deadline);
      resolve();
    });
    socket.on("error", () => setTimeout(poll, 200));
  };
  poll();
});
log("code-server on port", port);

// A fresh profile (Playwright's persistent context takes it instead of `--user-data-dir`).
const browser = await chromium.launchPersistentContext(path.join(home, "chromium"), {
  executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
  headless: true,
  viewport: { width: 1600, height: 1000 },
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
});
const page = browser.pages()[0] ?? (await browser.newPage());
let shot = 0;
async function screenshot(name) {
  shot += 1;
  await page.screenshot({ path: path.join(artifacts, `${String(shot).padStart(2, "0")}-${name}.png`) });
}

/** Polls `check` until it returns a truthy value or `ms` pass. */
async function until(what, check, ms = 30000) {
  const start = Date.now();
  let last;
  while (Date.now() - start < ms) {
    try {
      last = await check();
      if (last) {
        return last;
      }
    } catch (e) {
      last = e;
    }
    await page.waitForTimeout(250);
  }
  throw new Error(`timed out waiting for ${what} (last: ${JSON.stringify(last)})`);
}

async function command(name) {
  await page.keyboard.press("F1");
  const input = page.locator(".quick-input-widget input");
  await input.waitFor({ state: "visible" });
  await input.fill(`>${name}`);
  await page.waitForTimeout(300);
  await page.keyboard.press("Enter");
}

async function openFile(relative) {
  await page.keyboard.press("Control+P");
  const input = page.locator(".quick-input-widget input");
  await input.waitFor({ state: "visible" });
  await input.fill(relative);
  const name = path.basename(relative);
  const row = page.locator(".quick-input-list .monaco-list-row", { hasText: name }).first();
  await row.waitFor({ state: "visible" });
  await row.click();
  await until(`${name} open`, async () =>
    (await page.locator(`.tab.active[aria-label*="${name}"]`).count()) > 0 ||
    (await page.locator(`.tab.active:has-text("${name}")`).count()) > 0,
  );
  await page.locator(".monaco-editor .view-lines").first().click();
}

async function goTo(line, column) {
  await page.keyboard.press("Control+G");
  const input = page.locator(".quick-input-widget input");
  await input.waitFor({ state: "visible" });
  await input.fill(`:${line}:${column}`);
  await page.keyboard.press("Enter");
  await page.waitForTimeout(300);
}

/** The Problems panel's rows: `{file, line, column, code, text}` from each row's aria-label. */
async function problems() {
  // The aria-label says where ("at line 158 and character 38"); the row's text shows the code
  // as `stslint(rule-id) [Ln 158, Col 38]` (the brackets are drawn, not text).
  const rows = await page
    .locator(".markers-panel .monaco-list-row")
    .evaluateAll((rows) => rows.map((r) => [r.getAttribute("aria-label") ?? "", r.textContent ?? ""]));
  return rows
    .map(([label, shown]) => {
      const at = /line (\d+)(?: and|,)? (?:column|character) (\d+)/i.exec(label);
      const code = /stslint\(?([a-z0-9-]+)\)?\s*\[Ln/.exec(shown);
      return at ? { line: Number(at[1]), column: Number(at[2]), code: code?.[1], text: label, shown } : null;
    })
    .filter(Boolean);
}

async function showProblems() {
  if ((await page.locator(".markers-panel").count()) === 0 ||
      !(await page.locator(".markers-panel").first().isVisible())) {
    await command("View: Focus Problems (Problems)");
  }
  await page.locator(".markers-panel").first().waitFor({ state: "visible" });
}

const failures = [];
async function step(name, body) {
  log("step:", name);
  try {
    await body();
    await screenshot(name);
    log("  ok");
  } catch (e) {
    failures.push(`${name}: ${e.message}`);
    log("  FAILED:", e.message);
    await page.screenshot({ path: path.join(artifacts, `failed-${name}.png`) }).catch(() => {});
  }
}

const fileText = () => fs.readFileSync(lab, "utf8");
const strayQuotes = () => (fileText().match(/hook-succeeded"/g) ?? []).length;

try {
  await page.goto(`http://127.0.0.1:${port}/?folder=${encodeURIComponent(workspace)}`);
  await page.locator(".monaco-workbench").waitFor({ state: "visible", timeout: 60000 });
  await page.waitForTimeout(2000);

  await step("lab-findings", async () => {
    await openFile("lab/stateful-python-app.yaml");
    await showProblems();
    const found = await until("the lab's four findings", async () => {
      const rows = await problems();
      return rows.length >= 4 ? rows : null;
    }, 60000);
    const at = found.map((p) => `${p.line}:${p.column}`).sort();
    const want = ["142:15", "158:38", "175:38", "75:1"].sort();
    if (JSON.stringify(at) !== JSON.stringify(want)) {
      throw new Error(`findings at ${at.join(", ")}, want ${want.join(", ")}: ${found.map((p) => p.text).join(" | ")}`);
    }
    const codes = found.map((p) => `${p.line}:${p.code}`).sort();
    const wantCodes = [
      "142:claim-template-not-mounted",
      "158:invalid-helm-hook-annotation",
      "175:invalid-helm-hook-annotation",
      "75:statefulset-missing-service-name",
    ];
    if (JSON.stringify(codes) !== JSON.stringify(wantCodes)) {
      throw new Error(`codes ${codes.join(", ")}, want ${wantCodes.join(", ")}: ${JSON.stringify(found.map((p) => p.shown))}`);
    }
  });

  await step("hover", async () => {
    await page.locator(".monaco-editor .view-lines").first().click();
    await goTo(158, 40);
    await command("Show or Focus Hover");
    const hover = await until("the hover", async () => {
      const text = await page.locator(".monaco-hover").allInnerTexts();
      const joined = text.join("\n");
      return joined.includes("Helm does not know") ? joined : null;
    });
    if (!hover.includes("invalid-helm-hook-annotation")) {
      throw new Error(`hover without the rule: ${hover}`);
    }
  });

  await step("quick-fix", async () => {
    await page.keyboard.press("Escape");
    await page.locator(".monaco-editor .view-lines").first().click();
    await goTo(158, 40);
    await page.keyboard.press("Control+.");
    const item = page.locator(".action-widget .monaco-list-row", { hasText: "Remove the stray quote" });
    await item.first().waitFor({ state: "visible", timeout: 15000 });
    await item.first().click();
    await until("the finding at 158 to clear", async () => {
      const rows = await problems();
      return rows.length === 3 && !rows.some((p) => p.line === 158) ? rows : null;
    });
  });

  await step("fix-all-on-save", async () => {
    await page.locator(".monaco-editor .view-lines").first().click();
    await page.keyboard.press("Control+S");
    await until("the saved file without a stray quote", async () => strayQuotes() === 0);
    await until("the hook findings to clear", async () => {
      const rows = await problems();
      return rows.length === 2 && !rows.some((p) => p.code === "invalid-helm-hook-annotation") ? rows : null;
    });
  });

  await step("cross-file-update", async () => {
    await openFile("app/statefulset.yaml");
    await openFile("app/service.yaml");
    const before = await problems();
    if (before.some((p) => p.code === "statefulset-service-not-found")) {
      throw new Error("statefulset-service-not-found before the rename");
    }
    // Rename the Service: `name: db` becomes `name: dbx` (end of the line that holds it).
    const text = fs.readFileSync(path.join(workspace, "app", "service.yaml"), "utf8");
    const line = text.split("\n").findIndex((l) => /^\s*name:\s*db\s*$/.test(l)) + 1;
    if (line === 0) {
      throw new Error("app/service.yaml has no `name: db`");
    }
    await goTo(line, 100);
    await page.keyboard.press("End");
    await page.keyboard.type("x");
    await until("statefulset-service-not-found in app/statefulset.yaml", async () => {
      const rows = await problems();
      return rows.some((p) => p.code === "statefulset-service-not-found") ? rows : null;
    });
  });

  await step("status-item", async () => {
    // Two findings at warning, none at error (`stslint.failOn` is `error`): a check mark.
    const item = page.locator(".statusbar-item", { hasText: "stslint" }).first();
    const label = (await item.getAttribute("aria-label")) ?? (await item.innerText());
    if (!/check/i.test(label) && !(await item.locator(".codicon-check").count())) {
      throw new Error(`status item says ${label}`);
    }
  });
  await step("rule-documentation", async () => {
    // Last: it opens the documentation in a second editor group. The cursor goes on the
    // claim template's name (142:15), a finding that remains.
    await openFile("lab/stateful-python-app.yaml");
    await goTo(142, 17);
    await command("stslint: Show rule documentation");
    // The rule of the finding under the cursor, as `stslint rule` prints it, beside the file.
    await until("the rule's documentation", async () => {
      const text = (await page.locator(".monaco-editor .view-lines").allInnerTexts()).join("\n");
      return (await page.locator(`.tab[aria-label*="claim-template-not-mounted"]`).count()) > 0 &&
        text.includes("claim-template-not-mounted") && text.includes("Why");
    });
  });
} catch (e) {
  failures.push(`setup: ${e.message}`);
  await page.screenshot({ path: path.join(artifacts, "failed-setup.png") }).catch(() => {});
} finally {
  await browser.close();
  server.kill();
  fs.rmSync(home, { recursive: true, force: true });
}

if (failures.length > 0) {
  console.error(`${failures.length} step(s) failed:\n- ${failures.join("\n- ")}`);
  process.exit(1);
}
log("all steps passed");
