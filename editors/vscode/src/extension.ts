// The stslint extension: runs `stslint server` through vscode-languageclient, in the spirit
// of ruff-vscode. Diagnostics, hover, quick fixes and "fix all" come from the server; the
// extension finds the binary, passes the settings, and adds commands and a status item.

import { execFile } from "child_process";
import * as vscode from "vscode";
import {
  CloseAction,
  ErrorAction,
  LanguageClient,
  LanguageClientOptions,
  RevealOutputChannelOn,
  ServerOptions,
  State,
} from "vscode-languageclient/node";
import { Found, findStslint } from "./binary";

const FIX_ALL = "source.fixAll.stslint";
const SEVERITY_ORDER = ["error", "warning", "info", "never"];

let client: LanguageClient | undefined;
let found: Found | undefined;
let output: vscode.LogOutputChannel;
let status: vscode.StatusBarItem;
/** Serialises starts and stops: a restart while starting must not leave two servers. */
let pending: Promise<void> = Promise.resolve();

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  output = vscode.window.createOutputChannel("stslint", { log: true });
  status = vscode.window.createStatusBarItem("stslint.status", vscode.StatusBarAlignment.Left, 0);
  status.name = "stslint";
  status.command = "stslint.showLogs";
  context.subscriptions.push(output, status);

  context.subscriptions.push(
    vscode.commands.registerCommand("stslint.restart", () => restart(context)),
    vscode.commands.registerCommand("stslint.fixAll", fixAll),
    vscode.commands.registerCommand("stslint.showRuleDocumentation", (id?: string) =>
      showRuleDocumentation(id),
    ),
    vscode.commands.registerCommand("stslint.showLogs", () => output.show()),
    vscode.workspace.registerTextDocumentContentProvider("stslint-rule", {
      provideTextDocumentContent: (uri) => ruleText(uri.path.replace(/\.md$/, "")),
    }),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (
        e.affectsConfiguration("stslint.enable") ||
        e.affectsConfiguration("stslint.path") ||
        e.affectsConfiguration("stslint.args")
      ) {
        void restart(context);
      } else if (e.affectsConfiguration("stslint.failOn")) {
        updateStatus();
      }
    }),
    vscode.languages.onDidChangeDiagnostics(() => updateStatus()),
  );
  await restart(context);
}

export async function deactivate(): Promise<void> {
  await stop();
}

function settings(): vscode.WorkspaceConfiguration {
  return vscode.workspace.getConfiguration("stslint");
}

function restart(context: vscode.ExtensionContext): Promise<void> {
  pending = pending.then(async () => {
    await stop();
    if (!settings().get<boolean>("enable", true)) {
      output.info("stslint is disabled (stslint.enable)");
      status.hide();
      return;
    }
    await start(context);
  });
  return pending;
}

async function stop(): Promise<void> {
  const running = client;
  client = undefined;
  if (running) {
    try {
      await running.stop();
    } catch (e) {
      output.warn(`stopping the server: ${e}`);
    }
  }
}

async function start(context: vscode.ExtensionContext): Promise<void> {
  const folder = vscode.workspace.workspaceFolders?.[0];
  found = await findStslint(context, settings(), folder);
  if (!found) {
    const configured = settings().get<string[]>("path", []);
    const why =
      configured.length > 0
        ? `none of stslint.path exists: ${configured.join(", ")}`
        : "no stslint found (bundled, in the Python environment, or on PATH): `pip install stslint` or set stslint.path";
    output.error(why);
    status.text = "$(error) stslint";
    status.tooltip = why;
    status.show();
    void vscode.window.showErrorMessage(`stslint: ${why}`);
    return;
  }
  const args = ["server", ...settings().get<string[]>("args", [])];
  output.info(`starting ${found.path} ${args.join(" ")} (found: ${found.source})`);
  const serverOptions: ServerOptions = {
    command: found.path,
    args,
    options: { cwd: folder?.uri.fsPath },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { scheme: "file", language: "yaml" },
      { scheme: "file", language: "json" },
      { scheme: "untitled", language: "yaml" },
    ],
    outputChannel: output,
    traceOutputChannel: output,
    revealOutputChannelOn: RevealOutputChannelOn.Never,
    initializationOptions: { failOn: settings().get<string>("failOn", "error") },
    errorHandler: {
      error: () => ({ action: ErrorAction.Continue }),
      closed: () => {
        output.error("the stslint server stopped; run `stslint: Restart server` to start it again");
        return { action: CloseAction.DoNotRestart };
      },
    },
  };
  const next = new LanguageClient("stslint", "stslint", serverOptions, clientOptions);
  next.onDidChangeState((e) => {
    if (e.newState === State.Stopped && client === next) {
      status.text = "$(error) stslint";
      status.tooltip = "The stslint server is not running";
    }
  });
  client = next;
  try {
    await next.start();
    const version = next.initializeResult?.serverInfo?.version ?? "";
    output.info(`stslint ${version} running`);
    updateStatus();
  } catch (e) {
    output.error(`the stslint server did not start: ${e}`);
    status.text = "$(error) stslint";
    status.tooltip = `${e}`;
    status.show();
  }
}

/** The status item: how many findings at or above `stslint.failOn` the open files hold. */
function updateStatus(): void {
  if (!client) {
    return;
  }
  const failOn = settings().get<string>("failOn", "error");
  const limit = SEVERITY_ORDER.indexOf(failOn);
  const rank = (s: vscode.DiagnosticSeverity) =>
    s === vscode.DiagnosticSeverity.Error ? 0 : s === vscode.DiagnosticSeverity.Warning ? 1 : 2;
  let failing = 0;
  for (const [, diagnostics] of vscode.languages.getDiagnostics()) {
    failing += diagnostics.filter(
      (d) => d.source === "stslint" && limit < 3 && rank(d.severity) <= limit,
    ).length;
  }
  const version = client.initializeResult?.serverInfo?.version ?? "";
  status.text = failing === 0 ? "$(check) stslint" : `$(error) stslint: ${failing}`;
  status.tooltip = `stslint ${version} (${found?.source}: ${found?.path}); ${failing} finding(s) at or above ${failOn}`;
  status.show();
}

/** Applies every safe fix of the active document (the server's `source.fixAll.stslint`). */
async function fixAll(): Promise<void> {
  const editor = vscode.window.activeTextEditor;
  if (!editor) {
    return;
  }
  const document = editor.document;
  const whole = new vscode.Range(0, 0, document.lineCount, 0);
  const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>(
    "vscode.executeCodeActionProvider",
    document.uri,
    whole,
    FIX_ALL,
  );
  const action = actions?.find((a) => a.kind?.value === FIX_ALL);
  if (!action?.edit) {
    void vscode.window.setStatusBarMessage("stslint: nothing to fix", 3000);
    return;
  }
  await vscode.workspace.applyEdit(action.edit);
}

function run(args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    if (!found) {
      reject(new Error("no stslint binary"));
      return;
    }
    execFile(found.path, args, { maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) =>
      error ? reject(new Error(stderr || String(error))) : resolve(stdout),
    );
  });
}

async function ruleText(id: string): Promise<string> {
  try {
    return await run(["rule", id]);
  } catch (e) {
    return `stslint rule ${id}: ${e}`;
  }
}

/** The documentation of the rule under the cursor, or of one picked from the catalogue. */
async function showRuleDocumentation(id?: string): Promise<void> {
  let rule = id;
  const editor = vscode.window.activeTextEditor;
  if (!rule && editor) {
    const here = editor.selection.active;
    const finding = vscode.languages
      .getDiagnostics(editor.document.uri)
      .find((d) => d.source === "stslint" && d.range.contains(here));
    const code = finding?.code;
    rule = typeof code === "object" ? String(code.value) : code === undefined ? undefined : String(code);
  }
  if (!rule) {
    let catalogue: { id: string; summary: string; category: string }[] = [];
    try {
      catalogue = JSON.parse(await run(["rules", "--format", "json"]));
    } catch (e) {
      void vscode.window.showErrorMessage(`stslint: cannot list the rules: ${e}`);
      return;
    }
    const picked = await vscode.window.showQuickPick(
      catalogue.map((r) => ({ label: r.id, description: r.category, detail: r.summary })),
      { placeHolder: "Rule to show", matchOnDetail: true },
    );
    rule = picked?.label;
  }
  if (rule) {
    const document = await vscode.workspace.openTextDocument(
      vscode.Uri.parse(`stslint-rule:${rule}.md`),
    );
    await vscode.window.showTextDocument(document, { preview: true, viewColumn: vscode.ViewColumn.Beside });
  }
}
